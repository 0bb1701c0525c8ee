"""Thin views: the index, an issue page with its one-statement-at-a-time voting flow and
statement form, the report page, and staff exports. Every page works without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tawasul.comments.services import CommentRefused
from tawasul.core import identity, ratelimit
from tawasul.core.net import client_ip
from tawasul.discussions import charts, exports, selectors, services
from tawasul.discussions.forms import StatementForm, VoteForm
from tawasul.discussions.models import DiscussionIssue


def _issue(pk: int) -> DiscussionIssue:
    issue = selectors.public_issue(pk)
    if issue is None:
        raise Http404
    return issue


def _private(response):
    """Issue pages show this visitor's own votes: never stored by the shared page cache."""
    patch_cache_control(response, private=True)
    return response


def _identity_key(request, issue) -> str | None:
    found = services.identity_for(issue, user=request.user, browser=identity.browser_id(request))
    return found.key if found else None


@require_safe
def index(request):
    issues = list(selectors.public_issues(translation.get_language()))
    return render(
        request,
        "discussions/index.html",
        {
            "open_issues": [i for i in issues if i.is_open],
            "past_issues": [i for i in issues if not i.is_open],
        },
    )


def _detail_context(request, issue, *, vote_form=None, statement_form=None) -> dict:
    participant = selectors.participant_of(issue.key, _identity_key(request, issue))
    skip = request.GET.get("skip")
    skip = int(skip) if skip and skip.isdigit() else None
    statement = selectors.next_statement(issue.key, participant, skip=skip)
    may_vote = issue.is_open and (
        request.user.is_authenticated or issue.voters == DiscussionIssue.Voters.ANYONE
    )
    if may_vote and statement is not None and vote_form is None:
        vote_form = VoteForm(initial={"statement": statement.pk})
    if vote_form is not None:
        vote_form.human_check_skipped = request.user.is_authenticated or participant is not None
    if statement_form is None and issue.is_open and request.user.is_authenticated:
        statement_form = StatementForm()
    votes = selectors.votes_of(participant)
    return {
        "issue": issue,
        "statement": statement,
        "vote_form": vote_form if may_vote and statement is not None else None,
        "statement_form": statement_form,
        "sign_in_needed": issue.is_open and not may_vote,
        "voted_count": len(votes),
        "statement_count": selectors.votable_statements(issue.key).count(),
        "own_statements": selectors.statements_of_author(issue.key, request.user),
        "translations": selectors.translations_of(issue),
        "analysis": selectors.analysis_of(issue.key),
    }


@require_safe
def detail(request, pk: int):
    issue = _issue(pk)
    language = translation.get_language()
    if issue.locale.language_code != language:
        translated = next(
            (t for t in selectors.translations_of(issue) if t.locale.language_code == language),
            None,
        )
        if translated is not None:
            return redirect(translated.get_absolute_url())
    return _private(render(request, "discussions/detail.html", _detail_context(request, issue)))


def _refuse(request, issue, message, status, **forms):
    context = _detail_context(request, issue, **forms)
    context["error"] = message
    return _private(render(request, "discussions/detail.html", context, status=status))


@never_cache
@require_POST
def vote(request, pk: int):
    issue = _issue(pk)
    if not issue.is_open:
        return _refuse(request, issue, services.CLOSED, 409)
    browser = identity.browser_id(request)
    new_browser = False
    if not request.user.is_authenticated:
        if issue.voters != DiscussionIssue.Voters.ANYONE:
            return _refuse(request, issue, _("Please sign in to vote."), 403)
        if browser is None:
            browser, new_browser = identity.browser_id_new(), True
    who = services.identity_for(issue, user=request.user, browser=browser)
    participant = selectors.participant_of(issue.key, who.key)
    try:
        scope_key = str(request.user.pk) if request.user.is_authenticated else client_ip(request)
        ratelimit.hit(
            "discussions:vote", scope_key, limit=settings.POLL_VOTES_PER_IP * 5, period=3600
        )
    except ratelimit.RateLimited as limited:
        response = _refuse(request, issue, _("Too many votes. Please try again later."), 429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    form = VoteForm(request.POST)
    form.human_check_skipped = request.user.is_authenticated or participant is not None
    if not form.is_valid():
        return _refuse(request, issue, _("Your vote was not counted yet:"), 400, vote_form=form)
    try:
        services.vote_cast(
            issue=issue,
            statement_id=form.cleaned_data["statement"],
            value=form.cleaned_data["value"],
            identity=who,
        )
    except services.Refused as refused:
        return _refuse(request, issue, refused.message, refused.status)
    messages.success(request, _("Your vote is counted. Here is the next statement."))
    response = redirect(issue.get_absolute_url() + "#vote")
    if new_browser:
        identity.browser_id_remember(response, browser)
    return _private(response)


@never_cache
@require_POST
def submit(request, pk: int):
    issue = _issue(pk)
    if not request.user.is_authenticated:
        return _refuse(request, issue, _("Please sign in to add a statement."), 403)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _refuse(request, issue, _("Your statement was not sent:"), 400, statement_form=form)
    try:
        statement = services.statement_submit(
            issue=issue,
            author=request.user,
            text=form.cleaned_data["text"],
            idempotency_key=form.cleaned_data["key"],
            ip_address=client_ip(request),
        )
    except ValidationError as error:
        form.add_error("text", error)
        return _refuse(request, issue, _("Your statement was not sent:"), 400, statement_form=form)
    except services.Refused as refused:
        return _refuse(request, issue, refused.message, refused.status, statement_form=form)
    except CommentRefused as refused:
        return _refuse(request, issue, refused.message, 403, statement_form=form)
    except ratelimit.RateLimited:
        return _refuse(request, issue, _("Too many statements. Please try later."), 429)
    if statement.state == statement.State.PUBLISHED:
        messages.success(request, _("Thank you: your statement is published."))
    else:
        messages.success(request, _("Thank you: your statement will be published after review."))
    return _private(redirect(issue.get_absolute_url() + "#your-statements"))


@require_safe
def report(request, pk: int):
    issue = _issue(pk)
    result = selectors.analysis_of(issue.key)
    participant = selectors.participant_of(issue.key, _identity_key(request, issue))
    statements = {s.pk: s for s in selectors.statements_with_counts(issue.key)}
    context = {
        "issue": issue,
        "analysis": result,
        "report": charts.report_context(
            result.data if result else {},
            statements=statements,
            own_participant=participant.pk if participant else None,
            rtl=translation.get_language_bidi(),
        ),
        "participation": selectors.participation_by_day(issue.key),
    }
    return _private(render(request, "discussions/report.html", context))


@require_safe
def export(request, pk: int, what: str, fmt: str):
    if not request.user.has_perm("discussions.export_discussion"):
        raise PermissionDenied
    issue = DiscussionIssue.objects.filter(pk=pk).first()
    if issue is None or what not in exports.KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    return exports.response(issue, what, fmt)
