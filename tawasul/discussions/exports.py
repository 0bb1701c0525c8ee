"""Exports for analysts: an issue's statements, its votes (pseudonymous) and the opinion-group
membership, as CSV or XLSX (the writers are the polls app's: formula-safe, BOM, RTL sheet).

Pseudonymous: participants appear by their participant number (or the id of an imported
export), never by account, e-mail or browser identifier.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from tawasul.discussions import selectors
from tawasul.discussions.models import DiscussionIssue, Participant, Statement, Vote
from tawasul.polls.exports import csv_response, xlsx_response

KINDS = ("statements", "votes", "groups")
VALUE_LABELS = {1: "agree", -1: "disagree", 0: "pass"}


def statement_rows(issue: DiscussionIssue):
    yield [
        _("statement"),
        _("id in the export"),
        _("origin"),
        _("state"),
        _("posted at"),
        _("agree"),
        _("disagree"),
        _("pass"),
        _("text"),
    ]
    counts = {s.pk: s for s in selectors.statements_with_counts(issue.key)}
    for s in Statement.objects.filter(issue_key=issue.key).select_related("comment"):
        c = counts.get(s.pk)
        yield [
            s.pk,
            s.external_id,
            s.origin,
            s.state,
            s.created_at.strftime("%Y-%m-%d %H:%M"),
            c.agrees if c else 0,
            c.disagrees if c else 0,
            c.passes if c else 0,
            s.text,
        ]


def vote_rows(issue: DiscussionIssue):
    yield [_("participant"), _("statement"), _("vote"), _("cast at"), _("changed at")]
    participants = dict(
        Participant.objects.filter(issue_key=issue.key).values_list("pk", "external_id")
    )
    for participant_id, statement_id, value, created, changed in (
        Vote.objects.filter(issue_key=issue.key)
        .order_by("created_at", "pk")
        .values_list("participant_id", "statement_id", "value", "created_at", "changed_at")
        .iterator(chunk_size=5000)
    ):
        external = participants.get(participant_id)
        yield [
            external if external is not None else participant_id,
            statement_id,
            VALUE_LABELS[value],
            created.strftime("%Y-%m-%d %H:%M"),
            changed.strftime("%Y-%m-%d %H:%M") if changed else "",
        ]


def group_rows(issue: DiscussionIssue):
    yield [_("participant"), _("opinion group")]
    result = selectors.analysis_of(issue.key)
    for group in result.data.get("groups", []) if result else []:
        for participant in group["participants"]:
            yield [participant, group["id"] + 1]


def response(issue: DiscussionIssue, what: str, fmt: str):
    rows = {"statements": statement_rows, "votes": vote_rows, "groups": group_rows}[what](issue)
    filename = f"discussion-{issue.pk}-{what}"
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, title=what, rtl=translation.get_language_bidi())
