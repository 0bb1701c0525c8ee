"""Staff screens of polls in the Wagtail admin: results (logged while the poll is open),
exports, closing early, and the review of free answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tawasul.polls import charts, exports, rules, selectors, services
from tawasul.polls.models import Poll, Vote

URL_NAMESPACE = "polls_admin"


def _poll(pk: int) -> Poll:
    return get_object_or_404(
        Poll.objects.select_related("locale").prefetch_related("choices"), pk=pk
    )


def _admin_page(request, template: str, title: str, context: dict, status: int = 200):
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "list-ul",
        "breadcrumbs_items": [],
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


def results(request, pk: int):
    poll = _poll(pk)
    if not rules.can_see_results_as_staff(request.user, poll):
        return _admin_page(
            request,
            "polls/admin/results_sealed.html",
            _("Results of the poll"),
            {"poll": poll, "results_rule": rules.results_rule_text(poll)},
            status=403,
        )
    services.results_access_log(poll=poll, user=request.user, action="results")
    tally = selectors.poll_tally(poll)
    chart = charts.bar_chart(tally, rtl=translation.get_language_bidi())
    return _admin_page(
        request,
        "polls/admin/results.html",
        _("Results of the poll"),
        {
            "poll": poll,
            "tally": tally,
            "chart": chart,
            "level": 2,
            "can_export": rules.can_export(request.user, poll),
            "can_close": poll.is_open and request.user.has_perm("polls.change_poll"),
            "results_rule": rules.results_rule_text(poll),
        },
    )


EXPORTS = {"results", "votes"}
FORMATS = {"csv", "xlsx"}


def export(request, pk: int, what: str, fmt: str):
    poll = _poll(pk)
    if what not in EXPORTS or fmt not in FORMATS:
        raise PermissionDenied
    if not rules.can_export(request.user, poll):
        raise PermissionDenied
    services.results_access_log(poll=poll, user=request.user, action=f"export {what} {fmt}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"poll-{poll.pk}-{what}-{stamp}"
    if what == "results":
        rows = exports.results_rows(poll, selectors.poll_tally(poll))
    else:
        rows = exports.vote_rows(poll)
    if fmt == "csv":
        return exports.csv_response(rows, filename)
    return exports.xlsx_response(
        rows,
        filename,
        title=_("Results") if what == "results" else _("Votes"),
        rtl=poll.locale.language_code == "ar",
    )


@require_POST
def close(request, pk: int):
    poll = _poll(pk)
    if not request.user.has_perm("polls.change_poll"):
        raise PermissionDenied
    if poll.is_open:
        services.poll_close_now(poll=poll, user=request.user)
        messages.success(request, _("The poll is closed in every language."))
    return redirect(reverse(f"{URL_NAMESPACE}:results", args=[poll.pk]))


def other_answers(request):
    if not rules.can_moderate_other(request.user):
        raise PermissionDenied
    status = request.GET.get("status", Vote.OtherStatus.PENDING)
    if status not in (
        Vote.OtherStatus.PENDING,
        Vote.OtherStatus.ACCEPTED,
        Vote.OtherStatus.REJECTED,
    ):
        status = Vote.OtherStatus.PENDING
    votes = Vote.objects.filter(other_status=status).order_by("created_at", "pk")
    page = Paginator(votes, 50).get_page(request.GET.get("p"))
    keys = {vote.poll_key for vote in page}
    language = translation.get_language()
    questions: dict = {}
    for poll in Poll.objects.filter(translation_key__in=keys).select_related("locale"):
        if poll.translation_key not in questions or poll.locale.language_code == language:
            questions[poll.translation_key] = poll.question
    for vote in page:
        vote.question = questions.get(vote.poll_key, "")
    return _admin_page(
        request,
        "polls/admin/other_answers.html",
        _("Free answers to review"),
        {
            "page": page,
            "status": status,
            "statuses": [
                (Vote.OtherStatus.PENDING, _("Waiting for review")),
                (Vote.OtherStatus.ACCEPTED, _("Accepted")),
                (Vote.OtherStatus.REJECTED, _("Rejected")),
            ],
        },
    )


@require_POST
def other_answer_review(request, vote_id: int):
    if not rules.can_moderate_other(request.user):
        raise PermissionDenied
    decision = request.POST.get("decision", "")
    if decision not in (Vote.OtherStatus.ACCEPTED, Vote.OtherStatus.REJECTED):
        messages.error(request, _("Choose to accept or to reject the answer."))
    elif services.vote_other_review(vote_id=vote_id, status=decision, user=request.user):
        messages.success(request, _("The answer is reviewed."))
    else:
        messages.error(request, _("That answer no longer exists."))
    return redirect(reverse(f"{URL_NAMESPACE}:other_answers"))
