"""Comments as a spreadsheet for analysts: CSV (streamed) or XLSX (openpyxl).

Text people typed is data, never a formula: in CSV a cell that starts with = + - @ or a
tab gets a leading apostrophe (what spreadsheet programs show as plain text); in XLSX
every text cell is written as a string cell, whatever it starts with.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tawasul.comments.models import THREAD_TARGET_FIELDS, Comment

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def comments_for_export(
    *, article=None, date_from=None, date_to=None, published_only: bool = True
) -> QuerySet:
    queryset = Comment.objects.select_related(
        "author", "thread", *[f"thread__{name}" for name in THREAD_TARGET_FIELDS]
    ).order_by("created_at", "pk")
    if article is not None:
        queryset = queryset.filter(thread__article=article)
    if date_from:
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(created_at__date__lte=date_to)
    if published_only:
        queryset = queryset.filter(state=Comment.State.PUBLISHED, deleted_at=None)
    return queryset


def author_reference(user_id: int | None) -> str:
    """A stable pseudonym for an author: analysts can group by person without knowing who."""
    if user_id is None:
        return ""
    key = f"tawasul.comments.export:{settings.SECRET_KEY}:{user_id}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def headers() -> list[str]:
    return [
        _("Comment"),
        _("Reply to"),
        _("On"),
        _("Address"),
        _("Language"),
        _("Posted at"),
        _("Author"),
        _("Author reference"),
        _("State"),
        _("Text"),
        _("Characters"),
        _("Edited"),
        _("Open reports"),
    ]


def rows(queryset: QuerySet) -> Iterator[list]:
    for comment in queryset.iterator(chunk_size=500):
        thread = comment.thread
        target = thread.target
        target_type = thread.target_type
        yield [
            comment.pk,
            comment.parent_id or "",
            target_type.title(target) if target is not None else "",
            (settings.BASE_URL + target_type.url(target)) if target is not None else "",
            target_type.language(target) if target is not None else "",
            timezone.localtime(comment.created_at).strftime("%Y-%m-%d %H:%M"),
            comment.author.public_name if comment.author else _("Deleted account"),
            author_reference(comment.author_id),
            _("Deleted by the author") if comment.is_deleted else comment.get_state_display(),
            comment.body,
            len(comment.body),
            _("yes") if comment.edited_at else "",
            comment.report_count,
        ]


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def as_csv(queryset: QuerySet) -> Iterator[str]:
    """CSV lines one by one (for a streaming response), with a BOM so spreadsheet
    programs read the Arabic as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers())
    for row in rows(queryset):
        yield writer.writerow([_csv_safe(value) for value in row])


def as_xlsx(queryset: QuerySet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Comments")[:31])
    sheet.sheet_view.rightToLeft = translation.get_language() == "ar"
    sheet.append(headers())
    for row in rows(queryset):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
