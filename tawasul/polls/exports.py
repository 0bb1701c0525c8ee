"""Exports for analysts: a poll's results, and its votes anonymised, as CSV or XLSX.

Anonymised means: no account, no browser identifier, no database id; a running number,
the time to the minute, the language, the answers, and a free answer only once a
moderator accepted it (rejected or unreviewed ones are left out, since they may hold
personal data). Rows are in time order, so the running number says nothing more.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.polls.models import Poll, PollChoice, Vote, VoteChoice
from tawasul.polls.selectors import Tally

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Text that a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def results_rows(poll: Poll, tally: Tally) -> list[list]:
    local = timezone.localtime
    rows = [
        [_("Question"), poll.question],
        [_("Opens"), local(poll.opens_at).strftime("%Y-%m-%d %H:%M")],
        [_("Closes"), local(poll.closes_at).strftime("%Y-%m-%d %H:%M")],
        [_("State"), poll.state_label],
        [_("Voters"), tally.voters],
        [],
        [_("Answer"), _("Votes"), _("Share of voters (%)")],
    ]
    rows += [[row.label, row.votes, row.percent] for row in tally.rows]
    return rows


def vote_rows(poll: Poll) -> Iterator[list]:
    """The header, then one row per vote, streamed from the database in batches."""
    labels = {
        choice.translation_key: choice.label for choice in PollChoice.objects.filter(poll=poll)
    }
    key = poll.translation_key
    yield [
        _("Number"),
        _("Cast at"),
        _("Changed at"),
        _("Language"),
        _("Answers"),
        _("Other answer (accepted by a moderator)"),
    ]
    votes = Vote.objects.filter(poll_key=key).order_by("created_at", "pk")
    batch: list[Vote] = []
    number = 0

    def flush(batch: list[Vote]) -> Iterable[list]:
        ticked: dict[int, list[str]] = {}
        for vote_id, choice_key in VoteChoice.objects.filter(vote__in=batch).values_list(
            "vote_id", "choice_key"
        ):
            label = _("Other") if choice_key == key else labels.get(choice_key, "?")
            ticked.setdefault(vote_id, []).append(label)
        for vote in batch:
            yield vote, ticked.get(vote.pk, [])

    def minute(value) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for vote in votes.only(
        "pk", "created_at", "changed_at", "language", "other_text", "other_status"
    ).iterator(chunk_size=2000):
        batch.append(vote)
        if len(batch) == 2000:
            for done, answers in flush(batch):
                number += 1
                yield _vote_row(number, done, answers, minute)
            batch = []
    if batch:
        for done, answers in flush(batch):
            number += 1
            yield _vote_row(number, done, answers, minute)


def _vote_row(number: int, vote: Vote, answers: list[str], minute) -> list:
    accepted = vote.other_status == Vote.OtherStatus.ACCEPTED
    return [
        number,
        minute(vote.created_at),
        minute(vote.changed_at),
        vote.language,
        " | ".join(answers),
        vote.other_text if accepted else "",
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """CSV with a byte-order mark, so spreadsheet programs read the Arabic as UTF-8."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Iterable[list], filename: str, *, title: str, rtl: bool) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.sheet_view.rightToLeft = rtl
    for row in rows:
        sheet.append([_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
