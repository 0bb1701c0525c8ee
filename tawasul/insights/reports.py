"""The content of a report: its title, charts and tables, built from the stored data in
the language being rendered (the caller activates it). No personal data: counts, the
published statements and poll answers, and the outcome the editors wrote.

Each builder returns a dict for the PDF template; ``tables`` is the list of every table in
the report, as plain values, so the same rows give the PDF, the CSV and the XLSX.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.core.dates import gregorian_long
from tawasul.polls import charts as poll_charts
from tawasul.polls.selectors import Tally, TallyRow

GROUP_COLOURS = ("#0b7a5c", "#a3521c", "#2d5fa8", "#7a2d8c", "#8c7a0b")


class ReportError(ValueError):
    """A report that cannot be made (unknown id, empty period): the message says why."""


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)

    def as_rows(self) -> list[list]:
        """For CSV and XLSX: the header, then the rows."""
        return [list(self.headers), *[list(row) for row in self.rows]]


def _day(value) -> str:
    return gregorian_long(value) if value else ""


def _bars(labels_counts: list[tuple[str, int]], *, rtl: bool) -> dict:
    """A bar chart of counts, drawn by the polls' chart (bars scaled to the largest)."""
    top = max((count for _label, count in labels_counts), default=0)
    rows = [
        TallyRow(label=label, votes=count, percent=round(100 * count / top, 1) if top else 0.0)
        for label, count in labels_counts
    ]
    chart = poll_charts.bar_chart(Tally(voters=top, rows=rows, multiple=False), rtl=rtl)
    for row, (_label, count) in zip(chart["rows"], labels_counts, strict=True):
        row["value"] = str(count)
    return chart


def _period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``start`` to the end of ``end``, in the site's time zone."""
    zone = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return begin, finish


# ---------------------------------------------------------------- a poll
def poll_report(poll_id: int, language: str, *, rtl: bool, user=None) -> dict:
    """A poll's results, under the polls' staff rule: a closed poll's, or an open poll's
    only when ``user`` may see its live results (and then the view is logged)."""
    from tawasul.polls import rules, selectors, services
    from tawasul.polls.models import Poll

    poll = Poll.objects.filter(pk=poll_id).select_related("locale").first()
    if poll is None:
        raise ReportError(_("There is no poll with that number."))
    poll = selectors.poll_in_language(poll, language) or poll
    if not rules.can_see_results_as_staff(user, poll):
        raise ReportError(_("The results of this poll are sealed until it closes."))
    services.results_access_log(poll=poll, user=user, action="report")
    tally = selectors.poll_tally(poll)
    table = Table(
        _("Votes per answer"),
        [_("Answer"), _("Votes"), _("Share of voters (%)")],
        [[row.label, row.votes, row.percent] for row in tally.rows],
    )
    facts = Table(
        _("The poll"),
        [_("Item"), _("Value")],
        [
            [_("Question"), poll.question],
            [_("State"), poll.state_label],
            [_("Opens"), _day(timezone.localtime(poll.opens_at))],
            [_("Closes"), _day(timezone.localtime(poll.closes_at))],
            [_("Voters"), tally.voters],
        ],
    )
    return {
        "kind": "poll",
        "title": poll.question,
        "subtitle": _("Poll report"),
        "poll": poll,
        "description": poll.description,
        "chart": poll_charts.bar_chart(tally, rtl=rtl) if tally.voters else None,
        "tables": [facts, table],
    }


# ---------------------------------------------------------------- an issue
def issue_report(issue_id: int, language: str, *, rtl: bool) -> dict:
    from tawasul.discussions import charts as issue_charts
    from tawasul.discussions import selectors
    from tawasul.discussions.models import DiscussionIssue

    issue = DiscussionIssue.objects.filter(pk=issue_id).select_related("locale").first()
    if issue is None:
        raise ReportError(_("There is no issue for discussion with that number."))
    translated = (
        DiscussionIssue.objects.filter(
            translation_key=issue.translation_key, locale__language_code=language
        )
        .select_related("locale")
        .first()
    )
    issue = translated or issue
    result = selectors.analysis_of(issue.key)
    statements = {s.pk: s for s in selectors.statements_with_counts(issue.key)}
    content = issue_charts.report_context(
        result.data if result else {}, statements=statements, rtl=rtl
    )
    participation = selectors.participation_by_day(issue.key)
    if content["map"]:
        for dot in content["map"]["dots"]:
            dot["colour"] = (
                GROUP_COLOURS[dot["group"] % len(GROUP_COLOURS)] if dot["group"] >= 0 else "#777"
            )
    figures = Table(
        _("Participation"),
        [_("Item"), _("Value")],
        [
            [_("Participants"), content["participants"]],
            [_("Votes"), content["votes"]],
            [_("Statements"), len(statements)],
            [_("Opinion groups"), len(content["groups"])],
        ],
    )
    groups = Table(
        _("Opinion groups"),
        [_("Group"), _("Participants"), _("Statement"), _("Position"), _("Share (%)")],
    )
    for group in content["groups"]:
        if not group["representative"]:
            groups.rows.append([group["letter"], group["size"], "", "", ""])
        for rep in group["representative"]:
            position = _("agree") if rep["direction"] == "agree" else _("disagree")
            groups.rows.append(
                [group["letter"], group["size"], rep["text"], position, rep["percent"]]
            )
    consensus = Table(_("Consensus statements"), [_("Statement"), _("Position"), _("Share (%)")])
    for item in content["consensus_agree"]:
        consensus.rows.append([item["text"], _("agree"), item["percent"]])
    for item in content["consensus_disagree"]:
        consensus.rows.append([item["text"], _("disagree"), item["percent"]])
    votes = Table(
        _("Votes per statement"),
        [_("Statement"), _("Agree"), _("Disagree"), _("Pass")],
        [[s.text, s.agrees, s.disagrees, s.passes] for s in statements.values()],
    )
    days = Table(
        _("Participation over time"),
        [_("Day"), _("New participants"), _("Votes")],
        [[_day(row["day"]), row["participants"], row["votes"]] for row in participation],
    )
    return {
        "kind": "issue",
        "title": issue.title,
        "subtitle": _("Report on an issue for discussion"),
        "issue": issue,
        "map": content["map"],
        "groups_chart": _bars(
            [
                (_("Group %(letter)s") % {"letter": g["letter"]}, g["size"])
                for g in content["groups"]
            ],
            rtl=rtl,
        )
        if content["groups"]
        else None,
        "tables": [figures, groups, consensus, votes, days],
    }


# ---------------------------------------------------------------- a period
# The participation a period report counts, in the dashboard's words (insights.Metric).
PERIOD_METRICS = (
    ("comments", "comments"),
    ("statements", "statements"),
    ("discussion_votes", "discussion_votes"),
    ("poll_votes", "poll_votes"),
    ("inquiries", "inquiries"),
    ("subscribers", "subscribed"),
)


def period_figures(
    start: dt.date, end: dt.date, language: str | None = None, user=None
) -> list[tuple]:
    """Participation from ``start`` to ``end`` (whole days, both included), read from the
    dashboard's daily rollups so that a report and the dashboard agree: [(key, label,
    count)]. Counted as the dashboard counts (published comments, votable statements,
    confirmed subscriptions); ``language`` as there too (discussion votes record none, so
    a language leaves them out); inquiries only for a ``user`` who may see them."""
    from tawasul.insights import selectors
    from tawasul.insights.models import Metric

    totals = selectors.participation(start, end, "month", language or "", user=user).totals
    labels = {
        "comments": _("Comments"),
        "statements": _("Statements"),
        "discussion_votes": _("Votes on statements"),
        "poll_votes": _("Poll votes"),
        "inquiries": _("Inquiries"),
        "subscribers": _("New subscribers"),
    }
    return [
        (key, labels[key], totals[Metric(metric)])
        for key, metric in PERIOD_METRICS
        if Metric(metric) in totals
    ]


def period_report(start: dt.date, end: dt.date, language: str, *, rtl: bool, user=None) -> dict:
    from tawasul.discussions.models import DiscussionIssue, Statement
    from tawasul.discussions.models import Vote as IssueVote
    from tawasul.polls import selectors as poll_selectors
    from tawasul.polls.models import Poll

    if start > end:
        raise ReportError(_("The start of the period is after its end."))
    begin, finish = _period_bounds(start, end)
    figures = period_figures(start, end, user=user)
    closed = list(
        Poll.objects.filter(
            locale__language_code=language,
            status=Poll.Status.PUBLISHED,
            closes_at__gte=begin,
            closes_at__lt=finish,
        )
        .prefetch_related("choices")
        .order_by("closes_at", "pk")
    )
    closed = [poll for poll in closed if poll.closes_at <= timezone.now()]
    tallies = poll_selectors.poll_tallies(closed)
    active_keys = set(
        IssueVote.objects.filter(created_at__gte=begin, created_at__lt=finish)
        .values_list("issue_key", flat=True)
        .distinct()
    ) | set(
        Statement.objects.filter(created_at__gte=begin, created_at__lt=finish)
        .values_list("issue_key", flat=True)
        .distinct()
    )
    issues = list(
        DiscussionIssue.objects.filter(
            translation_key__in=active_keys, locale__language_code=language
        ).order_by("opens_at", "pk")
    )
    in_period = {
        key: (votes, statements)
        for key, votes, statements in [
            (
                issue.key,
                IssueVote.objects.filter(
                    issue_key=issue.key, created_at__gte=begin, created_at__lt=finish
                ).count(),
                Statement.objects.filter(
                    issue_key=issue.key, created_at__gte=begin, created_at__lt=finish
                ).count(),
            )
            for issue in issues
        ]
    }
    if not any(count for _key, _label, count in figures) and not closed and not issues:
        raise ReportError(
            _("Nothing happened from %(start)s to %(end)s: there is nothing to report.")
            % {"start": _day(start), "end": _day(end)}
        )
    participation = Table(
        _("Participation in the period"),
        [_("Kind"), _("Number")],
        [[label, count] for _key, label, count in figures],
    )
    polls = Table(
        _("Polls closed in the period"),
        [_("Poll"), _("Closed on"), _("Voters"), _("Most chosen answer")],
    )
    for poll in closed:
        tally = tallies[poll.translation_key]
        top = max(tally.rows, key=lambda row: row.votes, default=None)
        polls.rows.append(
            [
                poll.question,
                _day(timezone.localtime(poll.closes_at)),
                tally.voters,
                top.label if top and top.votes else "",
            ]
        )
    discussed = Table(
        _("Issues discussed in the period"),
        [_("Issue"), _("State"), _("Votes in the period"), _("Statements in the period")],
        [[issue.title, issue.state_label, *in_period[issue.key]] for issue in issues],
    )
    return {
        "kind": "period",
        "title": _("Participation from %(start)s to %(end)s")
        % {"start": _day(start), "end": _day(end)},
        "subtitle": _("Period report"),
        "chart": _bars([(label, count) for _key, label, count in figures], rtl=rtl),
        "tables": [participation, polls, discussed, *_trend_tables(start, end, user)],
    }


def _trend_tables(start: dt.date, end: dt.date, user) -> list[Table]:
    """Participation over the period (by week, or by month past half a year) and what
    people talked about, from the dashboard's daily rollups (insights.selectors), so a
    report and the dashboard give the same figures. ``user`` (who asked) decides whether
    inquiries are included, as on the dashboard."""
    from tawasul.insights import selectors
    from tawasul.insights.models import Metric, TermSource

    granularity = "month" if (end - start).days > 183 else "week"
    flow = selectors.participation(start, end, granularity, user=user)
    metrics = [metric for metric in flow.series if metric != Metric.POLL_CHOICES]
    over_time = Table(
        _("Participation by month") if granularity == "month" else _("Participation by week"),
        [_("From"), *[str(Metric(metric).label) for metric in metrics]],
        [
            [_day(bucket), *[flow.series[metric][n] for metric in metrics]]
            for n, bucket in enumerate(flow.buckets)
        ],
    )
    tables = [over_time]
    for source in selectors.term_sources(user):
        terms = selectors.terms_summary(start, end, source, user=user, limit=15)
        label = str(TermSource(source).label)
        if terms["words"] or terms["phrases"]:
            tables.append(
                Table(
                    _("Most used words and phrases: %(source)s") % {"source": label},
                    [_("Word or phrase"), _("Texts")],
                    [[term.term, term.count] for term in [*terms["words"], *terms["phrases"]]],
                )
            )
        if terms["rising"]:
            tables.append(
                Table(
                    _("Rising words: %(source)s") % {"source": label},
                    [_("Word or phrase"), _("Texts"), _("Texts in the period before")],
                    [[term.term, term.count, term.previous] for term in terms["rising"]],
                )
            )
    return tables


def build(
    kind: str, *, object_id=None, start=None, end=None, language: str, rtl: bool, user=None
) -> dict:
    """The content of a report; ``user`` is who asked (the polls' staff rule needs it)."""
    if kind == "poll":
        return poll_report(object_id, language, rtl=rtl, user=user)
    if kind == "issue":
        return issue_report(object_id, language, rtl=rtl)
    if kind == "period":
        return period_report(start, end, language, rtl=rtl, user=user)
    raise ReportError(_("Unknown kind of report."))


def _plain(value):
    return value if isinstance(value, int | float) or value is None else str(value)


def tables_as_json(tables: list[Table]) -> list[dict]:
    """The tables as JSON-ready values (translated labels become plain text)."""
    return [
        {
            "title": str(table.title),
            "headers": [str(header) for header in table.headers],
            "rows": [[_plain(cell) for cell in row] for row in table.rows],
        }
        for table in tables
    ]


def period_has_data(start: dt.date, end: dt.date) -> bool:
    """Whether a period report would show anything: anything written, cast or subscribed
    in the period, or a poll closing in it (read from the live tables, so what happened
    minutes ago counts before the rollups catch up)."""
    from tawasul.comments.models import Comment
    from tawasul.discussions.models import Statement
    from tawasul.discussions.models import Vote as IssueVote
    from tawasul.inquiries.models import Case
    from tawasul.newsletter.models import Subscriber
    from tawasul.polls.models import Poll
    from tawasul.polls.models import Vote as PollVote

    begin, finish = _period_bounds(start, end)
    within = {"created_at__gte": begin, "created_at__lt": finish}
    return (
        any(
            model.objects.filter(**within).exists()
            for model in (Comment, Statement, IssueVote, PollVote, Case)
        )
        or Subscriber.objects.filter(confirmed_at__gte=begin, confirmed_at__lt=finish).exists()
        or Poll.objects.filter(
            status=Poll.Status.PUBLISHED,
            closes_at__gte=begin,
            closes_at__lt=min(finish, timezone.now()),
        ).exists()
    )
