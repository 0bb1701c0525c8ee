"""Thin views: the polls index, a poll page, its live panel (for the home page widget and
for voting without a reload) and the vote itself. Forms validate, services count."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tawasul.core import identity, ratelimit
from tawasul.core.net import client_ip
from tawasul.core.templatetags.tawasul import _arabic_indic
from tawasul.polls import charts, rules, selectors, services
from tawasul.polls.forms import VoteForm

FRAGMENT_HEADER = "X-Tawasul-Fragment"


def _is_fragment(request) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "1"


def _voter_key(request, browser: str | None = None) -> tuple[str | None, str | None]:
    browser = browser or identity.browser_id(request)
    if request.user.is_authenticated:
        return f"u:{request.user.pk}", browser
    return (f"b:{browser}" if browser else None), browser


def panel_context(
    request, poll, *, form=None, just_voted=False, error="", browser: str | None = None
) -> dict:
    """What the live part of a poll shows this visitor: the form (when they may vote),
    their own vote, the results (when the rule lets them see them), or why not.
    ``browser`` is the identifier just given to a first-time voter (not yet a cookie)."""
    voter_key, browser = _voter_key(request, browser)
    vote = selectors.vote_of(poll, voter_key=voter_key, browser=browser)
    has_voted = vote is not None
    choices = list(poll.choices.all())
    may_vote = rules.can_vote(request.user, poll) and (not has_voted or rules.can_change_vote(poll))
    if may_vote and form is None:
        initial = {}
        if vote is not None:
            ticked = [str(c.pk) for c in choices if c.translation_key in vote.choice_keys]
            if poll.translation_key in vote.choice_keys:
                ticked.append("other")
                initial["other_text"] = vote.other_text
            initial["answer"] = ticked if poll.is_multiple else (ticked[0] if ticked else None)
        form = VoteForm(poll=poll, choices=choices, initial=initial)
    if form is not None:
        form.human_check_skipped = request.user.is_authenticated
    results_visible = rules.can_see_results(request.user, poll, has_voted=has_voted)
    tally = chart = None
    if results_visible:
        tally = selectors.poll_tally(poll)
        chart = charts.bar_chart(
            tally,
            rtl=translation.get_language_bidi(),
            arabic_indic=_arabic_indic({"request": request}),
        )
    your_answers = []
    if vote is not None:
        your_answers = [c.label for c in choices if c.translation_key in vote.choice_keys]
        if poll.translation_key in vote.choice_keys:
            your_answers.append(_("Other"))
    return {
        "level": 3 if request.GET.get("compact") else 2,
        "poll": poll,
        "choices": choices,
        "form": form if may_vote else None,
        "vote": vote,
        "your_answers": your_answers,
        "just_voted": just_voted,
        "error": error,
        "sign_in_needed": poll.is_open
        and poll.electorate == poll.Electorate.CITIZENS
        and not request.user.is_authenticated,
        "results_visible": results_visible,
        "tally": tally,
        "chart": chart,
        "results_rule": rules.results_rule_text(poll),
        "electorate_rule": rules.electorate_text(poll),
        "change_rule": rules.change_text(poll),
    }


@require_safe
def index(request):
    context = selectors.polls_index(translation.get_language())
    return render(request, "polls/index.html", context)


def _private(response):
    """Poll pages show this visitor's own vote: never stored by the shared page cache."""
    patch_cache_control(response, private=True)
    return response


@require_safe
def detail(request, pk: int):
    poll = selectors.access_poll(pk)
    language = translation.get_language()
    if poll.locale.language_code != language:
        translated = selectors.poll_in_language(poll, language)
        if translated is not None:
            return redirect(translated.get_absolute_url())
    translations = selectors.translations_of([poll]).get(poll.translation_key, [])
    context = panel_context(request, poll)
    context["translations"] = [t for t in translations if t.pk != poll.pk]
    return _private(render(request, "polls/detail.html", context))


@never_cache
@require_safe
def panel(request, pk: int):
    """The live part of a poll as an HTML fragment (fetched by polls.js; never cached)."""
    poll = selectors.access_poll(pk)
    response = render(request, "polls/includes/panel.html", panel_context(request, poll))
    return _fragment(response)


def _fragment(response):
    """Mark an HTML fragment, so polls.js knows it got one (and not a whole page)."""
    response[FRAGMENT_HEADER] = "1"
    return response


def _refuse(request, poll, *, message: str, status: int, form=None):
    context = panel_context(request, poll, form=form, error=message)
    if _is_fragment(request):
        response = _fragment(render(request, "polls/includes/panel.html", context, status=status))
    else:
        context["translations"] = []
        response = render(request, "polls/detail.html", context, status=status)
    return _private(response)


@never_cache
@require_POST
def vote(request, pk: int):
    poll = selectors.access_poll(pk)
    if not rules.can_vote(request.user, poll):
        if poll.is_open:  # citizens only, and not signed in
            return _refuse(request, poll, message=_("Please sign in to vote."), status=403)
        return _refuse(request, poll, message=_("This poll is not open for voting."), status=409)
    try:
        if request.user.is_authenticated:
            ratelimit.hit(
                "polls:vote:user",
                str(request.user.pk),
                limit=settings.POLL_VOTES_PER_IP,
                period=3600,
            )
        else:
            ratelimit.hit(
                "polls:vote:ip", client_ip(request), limit=settings.POLL_VOTES_PER_IP, period=3600
            )
    except ratelimit.RateLimited as limited:
        message = ngettext(
            "Too many votes from your network. Please try again in %(minutes)s minute.",
            "Too many votes from your network. Please try again in %(minutes)s minutes.",
            limited.minutes,
        ) % {"minutes": limited.minutes}
        response = _refuse(request, poll, message=message, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    choices = list(poll.choices.all())
    form = VoteForm(request.POST, poll=poll, choices=choices)
    form.human_check_skipped = request.user.is_authenticated
    if not form.is_valid():
        return _refuse(
            request, poll, message=_("Your vote was not counted yet:"), status=400, form=form
        )
    browser = identity.browser_id(request)
    new_browser = browser is None and poll.electorate == poll.Electorate.ANYONE
    if new_browser:
        browser = identity.browser_id_new()
    try:
        voter = services.voter_for(poll, user=request.user, browser=browser)
        proof = ""
        if not request.user.is_authenticated:
            proof = services.proof_of(
                altcha=form.cleaned_data.get("altcha"),
                human_token=form.cleaned_data.get("human_token"),
            )
        result = services.poll_vote_cast(
            poll=poll,
            ballot=form.ballot,
            voter=voter,
            language=translation.get_language(),
            proof=proof,
        )
    except services.VoteRefused as refused:
        return _refuse(request, poll, message=refused.message, status=refused.status)
    thanks = _("Your vote is changed.") if result.changed else _("Thank you: your vote is counted.")
    if _is_fragment(request):
        context = panel_context(request, poll, just_voted=True, browser=browser)
        context["thanks"] = thanks
        response = _fragment(render(request, "polls/includes/panel.html", context))
    else:
        messages.success(request, thanks)
        response = redirect(poll.get_absolute_url())
    if new_browser:
        identity.browser_id_remember(response, browser)
    return _private(response)
