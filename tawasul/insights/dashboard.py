"""The analysts' dashboard in the Wagtail admin: participation over time, breakdowns,
the most discussed subjects, opinion trends, what people talk about, the texts behind a
term, and every table as CSV or XLSX.

Only people with ``insights.view_dashboard`` (analysts, administrators) get in; everyone
else gets 403. What each one sees inside is decided in :mod:`insights.selectors`.
Everything is read from the rollups (fast); nothing is computed on a page view beyond
sums over them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tawasul.insights import charts, selectors
from tawasul.insights.models import Dimension, Metric, TermSource
from tawasul.insights.terms import normalise_term
from tawasul.polls.exports import csv_response, xlsx_response

URL_NAMESPACE = "insights_admin"
DEFAULT_DAYS = 90
MAX_DAYS = 5 * 366
EXPORT_FORMATS = ("csv", "xlsx")


def can_view(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm("insights.view_dashboard")
    )


class Forbidden(Exception):
    """Answered with a 403 page (Wagtail would turn PermissionDenied into a redirect)."""


def _require(request) -> None:
    if not can_view(request.user):
        raise Forbidden


def _forbidden(request):
    return _page(
        request,
        "insights/admin/forbidden.html",
        _("Not allowed"),
        {"message": _("You do not have permission to see this.")},
        status=403,
    )


def guarded(view):
    """403 (not Wagtail's redirect) for anyone who may not see what ``view`` shows."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (Forbidden, PermissionDenied):
            return _forbidden(request)

    return wrapper


# ---------------------------------------------------------------------------- filters
@dataclass
class Filters:
    start: dt.date
    end: dt.date
    granularity: str = "week"
    language: str = ""
    errors: list[str] = field(default_factory=list)

    def query(self, **extra) -> str:
        return urlencode(
            {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "granularity": self.granularity,
                "language": self.language,
                **extra,
            }
        )


def _date(value: str, name: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors.append(
            _("“%(value)s” is not a date for “%(name)s”: write it as YYYY-MM-DD.")
            % {"value": value[:40], "name": name}
        )
        return None


def filters_from(params) -> Filters:
    """The period, granularity and language asked for; defaults where a value is missing
    or wrong (the last 90 days, by week, every language), with a message for each."""
    errors: list[str] = []
    today = timezone.localdate()
    end = _date(params.get("to", ""), _("to"), errors) or today
    start = _date(params.get("from", ""), _("from"), errors) or end - dt.timedelta(
        days=DEFAULT_DAYS - 1
    )
    if start > end:
        errors.append(_("The start of the period is after its end: the dates were swapped."))
        start, end = end, start
    if (end - start).days + 1 > MAX_DAYS:
        errors.append(_("The period was shortened to five years."))
        start = end - dt.timedelta(days=MAX_DAYS - 1)
    granularity = params.get("granularity", "") or "week"
    if granularity not in selectors.GRANULARITIES:
        errors.append(_("Unknown granularity: the figures are shown by week."))
        granularity = "week"
    language = params.get("language", "")
    if language not in ("", *selectors.LANGUAGES):
        errors.append(_("Unknown language: every language is shown."))
        language = ""
    return Filters(start, end, granularity, language, errors)


def _bucket_label(day: dt.date, granularity: str) -> str:
    return day.strftime("%Y-%m") if granularity == "month" else day.isoformat()


# ---------------------------------------------------------------------------- tables
@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list]
    links: list[str | None] = field(default_factory=list)  # per row, for the first cell
    chart: dict | None = None  # a line chart of the table's columns over its rows

    @property
    def linked_rows(self) -> list[tuple[str | None, object, list]]:
        """(link or None, first cell, the other cells) per row, for the template."""
        links = self.links or [None] * len(self.rows)
        return [(link, row[0], row[1:]) for link, row in zip(links, self.rows, strict=True)]


def _metric_label(metric: str) -> str:
    return str(Metric(metric).label)


def tables_for(filters: Filters, user) -> tuple[dict[str, Table], selectors.Participation]:
    """Every table of the dashboard, by id, for ``user``; also the participation."""
    start, end, language = filters.start, filters.end, filters.language
    rtl = bool(translation.get_language_bidi())
    tables: dict[str, Table] = {}
    part = selectors.participation(start, end, filters.granularity, language, user)
    metrics = list(part.series)
    tables["participation"] = Table(
        "participation",
        _("Participation over time"),
        [_("Period"), *[_metric_label(m) for m in metrics]],
        [
            [_bucket_label(bucket, filters.granularity), *[part.series[m][i] for m in metrics]]
            for i, bucket in enumerate(part.buckets)
        ],
    )
    tables["totals"] = Table(
        "totals",
        _("Totals"),
        [_("Measure"), _("Count")],
        [[_metric_label(m), part.totals[m]] for m in metrics],
    )
    breakdowns = [
        (Metric.COMMENTS, Dimension.CATEGORY, _("Comments by news category")),
        (Metric.COMMENTS, Dimension.ISSUE, _("Comments by issue for discussion")),
        (Metric.STATEMENTS, Dimension.ISSUE, _("Statements by issue for discussion")),
        (Metric.DISCUSSION_VOTES, Dimension.ISSUE, _("Discussion votes by issue")),
        (Metric.POLL_VOTES, Dimension.POLL, _("Votes by poll")),
    ]
    if selectors.sees_inquiries(user):
        breakdowns += [
            (Metric.INQUIRIES, Dimension.TOPIC, _("Inquiries by topic")),
            (Metric.INQUIRIES, Dimension.DEPARTMENT, _("Inquiries by department")),
        ]
    for metric, kind, title in breakdowns:
        table_id = f"{metric}-by-{kind}"
        shares = selectors.breakdown(start, end, metric, kind, language, user)
        tables[table_id] = Table(
            table_id,
            title,
            [Dimension(kind).label, _("Count")],
            [[s.label, s.count] for s in shares],
        )
    discussed = selectors.most_discussed(start, end, language, user)
    tables["most-discussed"] = Table(
        "most-discussed",
        _("Most discussed subjects"),
        [_("Subject"), _("Kind"), _("Participation")],
        [[d["label"], d["kind_label"], d["count"]] for d in discussed],
    )
    for source in selectors.term_sources(user):
        source_label = TermSource(source).label
        found = selectors.terms_summary(start, end, source, language, user)
        rising = found["rising"]
        for name, title, terms in (
            ("words", _("Top words: %(source)s"), found["words"]),
            ("phrases", _("Top two-word phrases: %(source)s"), found["phrases"]),
        ):
            table_id = f"terms-{source}-{name}"
            tables[table_id] = Table(
                table_id,
                title % {"source": source_label},
                [_("Term"), _("Texts")],
                [[t.term, t.count] for t in terms],
                [_term_link(filters, source, t.term, user) for t in terms],
            )
        table_id = f"rising-{source}"
        tables[table_id] = Table(
            table_id,
            _("Rising terms: %(source)s") % {"source": source_label},
            [_("Term"), _("Texts"), _("Texts in the previous period")],
            [[t.term, t.count, t.previous] for t in rising],
            [_term_link(filters, source, t.term, user) for t in rising],
        )
    for poll in selectors.poll_trends(start, end, language):
        table_id = f"poll-{poll['key']}"
        tables[table_id] = Table(
            table_id,
            _("Poll results over time: %(poll)s") % {"poll": poll["label"]},
            [_("Week"), *[c["label"] for c in poll["choices"]]],
            [
                [week.isoformat(), *[c["counts"][i] for c in poll["choices"]]]
                for i, week in enumerate(poll["weeks"])
            ],
            chart=charts.line_chart(
                [(c["label"], c["counts"]) for c in poll["choices"]],
                [week.isoformat() for week in poll["weeks"]],
                rtl=rtl,
            ),
        )
    for issue in selectors.opinion_trends(start, end):
        table_id = f"opinion-{issue['key']}"
        tables[table_id] = Table(
            table_id,
            _("Opinion groups over time: %(issue)s") % {"issue": issue["label"]},
            [
                _("Week ending"),
                _("Participants"),
                _("Votes"),
                _("Opinion groups"),
                _("Group sizes"),
                _("Consensus (agree)"),
                _("Consensus (disagree)"),
            ],
            [
                [
                    w["week_end"].isoformat(),
                    w["participants"],
                    w["votes"],
                    len(w["groups"]),
                    " / ".join(str(size) for size in w["groups"]),
                    w["consensus_agree"],
                    w["consensus_disagree"],
                ]
                for w in issue["weeks"]
            ],
            chart=charts.line_chart(
                [
                    (_("Opinion groups"), [len(w["groups"]) for w in issue["weeks"]]),
                    (
                        _("Consensus statements"),
                        [w["consensus_agree"] + w["consensus_disagree"] for w in issue["weeks"]],
                    ),
                ],
                [w["week_end"].isoformat() for w in issue["weeks"]],
                rtl=rtl,
            ),
        )
    return tables, part


def _term_link(filters: Filters, source: str, term: str, user) -> str | None:
    if source == TermSource.INQUIRIES and not _sees_inquiry_texts(user):
        return None
    return reverse(f"{URL_NAMESPACE}:texts") + "?" + filters.query(source=source, term=term)


def _sees_inquiry_texts(user) -> bool:
    from tawasul.inquiries import rules

    return rules.can_use_desk(user)


# ---------------------------------------------------------------------------- views
def _page(request, template: str, title: str, context: dict, status: int = 200):
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "view",
        "breadcrumbs_items": [],
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


@guarded
def dashboard(request):
    _require(request)
    filters = filters_from(request.GET)
    tables, part = tables_for(filters, request.user)
    rtl = translation.get_language_bidi()
    labels = [_bucket_label(b, filters.granularity) for b in part.buckets]
    chart = charts.line_chart(
        [(_metric_label(m), values) for m, values in part.series.items()], labels, rtl=rtl
    )
    sections = {
        "breakdowns": [t for k, t in tables.items() if "-by-" in k],
        "terms": [t for k, t in tables.items() if k.startswith(("terms-", "rising-"))],
        "polls": [t for k, t in tables.items() if k.startswith("poll-")],
        "opinion": [t for k, t in tables.items() if k.startswith("opinion-")],
    }
    return _page(
        request,
        "insights/admin/dashboard.html",
        _("Insights"),
        {
            "filters": filters,
            "query": filters.query(),
            "tables": tables,
            "sections": sections,
            "participation": tables["participation"],
            "totals": tables["totals"],
            "most_discussed": tables["most-discussed"],
            "chart": chart,
            "empty": part.empty,
            "granularities": [
                ("day", _("Day")),
                ("week", _("Week")),
                ("month", _("Month")),
            ],
            "languages": [("", _("All languages")), ("ar", _("Arabic")), ("en", _("English"))],
        },
    )


def _cell(value):
    """Numbers stay numbers; everything else (translated labels too) becomes text."""
    return value if isinstance(value, int | float) else str(value)


@guarded
def export(request, table: str, fmt: str):
    """One table of the dashboard, for the same filters, as CSV or XLSX."""
    _require(request)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filters = filters_from(request.GET)
    tables, _part = tables_for(filters, request.user)
    if table not in tables:
        raise Http404
    chosen = tables[table]
    rows = [[_cell(value) for value in row] for row in (chosen.columns, *chosen.rows)]
    filename = f"insights-{table[:60]}-{filters.start.isoformat()}-{filters.end.isoformat()}"
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(
        rows, filename, title=_("Insights"), rtl=bool(translation.get_language_bidi())
    )


@guarded
def texts(request):
    """The texts of the period that contain one term (see selectors.texts_with_term)."""
    _require(request)
    filters = filters_from(request.GET)
    source = request.GET.get("source", "")
    term = normalise_term(request.GET.get("term", ""))
    if source not in TermSource.values:
        raise Http404
    if source == TermSource.INQUIRIES and not _sees_inquiry_texts(request.user):
        raise Forbidden
    found = (
        selectors.texts_with_term(
            term, source, filters.start, filters.end, filters.language, request.user
        )
        if term
        else []
    )
    return _page(
        request,
        "insights/admin/texts.html",
        _("Texts that use “%(term)s”") % {"term": term},
        {
            "filters": filters,
            "term": term,
            "source_label": TermSource(source).label,
            "found": found,
            "limit": selectors.TEXTS_LIMIT,
            "back": reverse(f"{URL_NAMESPACE}:dashboard") + "?" + filters.query(),
        },
    )
