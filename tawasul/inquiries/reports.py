"""Figures of the desk (volumes, median response time, SLA compliance, satisfaction) and
the case list as a spreadsheet. No personal data: no name, email, phone or text."""

from __future__ import annotations

import statistics
from collections import Counter

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tawasul.polls.exports import csv_response, xlsx_response


def _name(obj) -> str:
    if obj is None:
        return _("Triage")
    localized = getattr(obj, "localized", obj)
    return getattr(localized, "name", str(localized))


def figures(cases: QuerySet) -> dict:
    rows = list(cases.select_related("topic", "department"))
    by_kind = Counter(case.get_kind_display() for case in rows)
    by_topic = Counter(_name(case.topic) for case in rows)
    by_department = Counter(_name(case.department) for case in rows)
    hours = [
        (case.first_answered_at - case.created_at).total_seconds() / 3600
        for case in rows
        if case.first_answered_at
    ]
    answered = [case for case in rows if case.answered_in_time is not None]
    in_time = sum(1 for case in answered if case.answered_in_time)
    ratings = [case.rating for case in rows if case.rating]
    return {
        "total": len(rows),
        "by_kind": sorted(by_kind.items()),
        "by_topic": sorted(by_topic.items()),
        "by_department": sorted(by_department.items()),
        "median_hours": round(statistics.median(hours), 1) if hours else None,
        "sla_percent": round(100 * in_time / len(answered)) if answered else None,
        "answered": len(answered),
        "rating_average": round(statistics.mean(ratings), 2) if ratings else None,
        "ratings": len(ratings),
    }


def case_rows(cases: QuerySet):
    yield [
        _("Reference"),
        _("Kind"),
        _("Topic"),
        _("Department"),
        _("State"),
        _("Received"),
        _("Due"),
        _("First answer"),
        _("In time"),
        _("Closed"),
        _("Rating"),
    ]
    local = timezone.localtime
    fmt = "%Y-%m-%d %H:%M"
    for case in cases.select_related("topic", "department").order_by("created_at").iterator():
        yield [
            case.reference,
            case.get_kind_display(),
            _name(case.topic) if case.topic_id else "",
            _name(case.department),
            case.get_state_display(),
            local(case.created_at).strftime(fmt),
            case.due_on.isoformat() if case.due_on else "",
            local(case.first_answered_at).strftime(fmt) if case.first_answered_at else "",
            {True: _("yes"), False: _("no"), None: ""}[case.answered_in_time],
            local(case.closed_at).strftime(fmt) if case.closed_at else "",
            case.rating or "",
        ]


def response(rows, filename: str, fmt: str):
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(
        rows, filename, title=_("Inquiries"), rtl=translation.get_language() == "ar"
    )
