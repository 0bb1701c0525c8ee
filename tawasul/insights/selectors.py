"""Reads of the dashboard (and, later, of the PDF reports of a period), from the rollups.

Every function takes a period as two local dates ``start`` and ``end`` (both included),
reads only the precomputed tables (``models.rollups``) plus a few names, and returns
plain data: lists, dicts and numbers, ready for a template, a chart or a spreadsheet.

Who sees what (``user``):

- Everything here is counts, never a person. Participation, breakdowns, terms of comments
  and statements: anyone with ``insights.view_dashboard``.
- Inquiry figures (counts by topic and department, inquiry terms) only for those who may
  see inquiry reports (``inquiries.rules.can_see_reports``; analysts may). Desk staff who
  see only some departments get their departments' inquiries only.
- Inquiry terms are shown only when at least ``MIN_INQUIRY_TERM`` inquiries in the period
  use them, so a rare word (a place, a name) cannot point at one person.
- The texts behind a term (:func:`texts_with_term`): comments and statements for any
  dashboard user; inquiry texts only to desk staff, for the cases they may open.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.utils import translation

from tawasul.insights.models import (
    DailyCount,
    DailyTerm,
    Dimension,
    Metric,
    MonthlyTerm,
    OpinionSnapshot,
    TermSource,
)

GRANULARITIES = ("day", "week", "month")
LANGUAGES = ("ar", "en")
MIN_INQUIRY_TERM = 3
TEXTS_LIMIT = 200
# The metrics of the participation chart, in order.
PARTICIPATION = (
    Metric.COMMENTS,
    Metric.STATEMENTS,
    Metric.DISCUSSION_VOTES,
    Metric.POLL_VOTES,
    Metric.INQUIRIES,
    Metric.SUBSCRIBED,
    Metric.UNSUBSCRIBED,
)


# ---------------------------------------------------------------------------- access
def sees_inquiries(user) -> bool:
    from tawasul.inquiries import rules

    return user is not None and rules.can_see_reports(user)


def inquiry_departments(user) -> set[int] | None:
    """None: every department; else the ids of the departments whose figures ``user`` sees
    (desk staff limited to their departments). Empty when no inquiry figures at all."""
    from tawasul.inquiries import rules

    if not sees_inquiries(user):
        return set()
    if rules.can_use_desk(user) and not rules.sees_all(user):
        return set(rules.department_ids(user))
    return None


def metrics_for(user) -> list[str]:
    """The metrics of the participation chart that ``user`` may see."""
    return [m for m in PARTICIPATION if m != Metric.INQUIRIES or sees_inquiries(user)]


# ---------------------------------------------------------------------------- periods
def bucket_of(day: dt.date, granularity: str) -> dt.date:
    if granularity == "week":
        return day - dt.timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def buckets(start: dt.date, end: dt.date, granularity: str) -> list[dt.date]:
    """The first day of each day, week (Monday) or month that the period touches."""
    out: list[dt.date] = []
    day = start
    while day <= end:
        bucket = bucket_of(day, granularity)
        if not out or out[-1] != bucket:
            out.append(bucket)
        day += dt.timedelta(days=1)
    return out


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before ``start``."""
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def _counts(start, end, language: str = ""):
    rows = DailyCount.objects.filter(day__gte=start, day__lte=end)
    if language:
        rows = rows.filter(language=language)
    return rows


# ---------------------------------------------------------------------------- participation
@dataclass
class Participation:
    buckets: list[dt.date]
    series: dict[str, list[int]]  # metric -> count per bucket
    totals: dict[str, int]  # metric -> count over the period

    @property
    def empty(self) -> bool:
        return not any(self.totals.values())


def participation(
    start: dt.date, end: dt.date, granularity: str = "day", language: str = "", user=None
) -> Participation:
    """Counts of each participation metric per day, week or month of the period, and
    their totals. ``language`` "" for all, "ar" or "en" (discussion votes record no
    language: with a language chosen they are not counted). Inquiries only for ``user``s
    who may see them (:func:`inquiry_departments`)."""
    periods = buckets(start, end, granularity)
    index = {bucket: n for n, bucket in enumerate(periods)}
    metrics = metrics_for(user)
    series = {metric: [0] * len(periods) for metric in metrics}
    rows = _counts(start, end, language).filter(metric__in=metrics)
    departments = inquiry_departments(user)
    limited = departments is not None and Metric.INQUIRIES in metrics
    if limited:
        rows = rows.filter(
            Q(kind="") & ~Q(metric=Metric.INQUIRIES)
            | Q(
                metric=Metric.INQUIRIES,
                kind=Dimension.DEPARTMENT,
                key__in=[str(d) for d in departments],
            )
        )
    else:
        rows = rows.filter(kind="")
    for day, metric, count in (
        rows.values("day", "metric").annotate(n=Sum("count")).values_list("day", "metric", "n")
    ):
        series[metric][index[bucket_of(day, granularity)]] += count
    return Participation(
        buckets=periods, series=series, totals={m: sum(v) for m, v in series.items()}
    )


# ---------------------------------------------------------------------------- names
def _translated(model, keys, field: str) -> dict[str, str]:
    language = translation.get_language() or "ar"
    names: dict[str, str] = {}
    rows = model.objects.filter(translation_key__in=list(keys)).values_list(
        "translation_key", field, "locale__language_code"
    )
    for key, name, code in rows:
        if code == language or str(key) not in names:
            names[str(key)] = name
    return names


def labels(kind: str, keys) -> dict[str, str]:
    """Names (in the active language) of the categories, issues, polls, topics,
    departments or poll answers behind ``keys``."""
    keys = [key for key in keys if key]
    if kind == Dimension.CATEGORY:
        from tawasul.news.models import NewsCategory

        return _translated(NewsCategory, keys, "name")
    if kind == Dimension.ISSUE:
        from tawasul.discussions.models import DiscussionIssue

        return _translated(DiscussionIssue, keys, "title")
    if kind == Dimension.POLL:
        from tawasul.polls.models import Poll

        return _translated(Poll, keys, "question")
    if kind == Dimension.TOPIC:
        from tawasul.inquiries.models import Topic

        return _translated(Topic, keys, "name")
    if kind == Dimension.CHOICE:
        from tawasul.polls.models import PollChoice

        by_choice = _translated(PollChoice, [key.split(":")[-1] for key in keys], "label")
        return {key: by_choice.get(key.split(":")[-1], "") for key in keys}
    if kind == Dimension.DEPARTMENT:
        from tawasul.core.models import Department

        ids = [int(key) for key in keys if key.isdigit()]
        return {
            str(d.pk): getattr(d.localized, "name", d.name)
            for d in Department.objects.filter(pk__in=ids)
        }
    return {}


# ---------------------------------------------------------------------------- breakdowns
@dataclass
class Share:
    key: str
    label: str
    count: int


def breakdown(
    start: dt.date, end: dt.date, metric: str, kind: str, language: str = "", user=None
) -> list[Share]:
    """Counts of ``metric`` per ``kind`` (category, issue, poll, topic, department) over
    the period, largest first. Inquiries: [] for those who may not see them, and only
    their departments for desk staff."""
    rows = _counts(start, end, language).filter(metric=metric, kind=kind)
    if metric == Metric.INQUIRIES:
        departments = inquiry_departments(user)
        if departments is not None:
            if not departments:
                return []
            if kind != Dimension.DEPARTMENT:
                return []  # topics cross departments: only the department table
            rows = rows.filter(key__in=[str(d) for d in departments])
    totals = list(
        rows.values("key").annotate(n=Sum("count")).order_by("-n", "key").values_list("key", "n")
    )
    names = labels(kind, [key for key, _n in totals])
    from django.utils.translation import gettext as _

    unnamed = _("Triage") if kind == Dimension.DEPARTMENT else _("(none)")
    return [Share(key, names.get(key) or unnamed, n) for key, n in totals]


def most_discussed(
    start: dt.date, end: dt.date, language: str = "", user=None, limit: int = 10
) -> list[dict]:
    """The subjects that drew the most participation in the period, across the site:
    issues for discussion (comments, statements and votes), polls (votes) and news
    categories (comments), largest first."""
    from django.utils.translation import gettext as _

    rows = (
        _counts(start, end, language)
        .filter(
            Q(kind=Dimension.ISSUE)
            | Q(kind=Dimension.POLL, metric=Metric.POLL_VOTES)
            | Q(kind=Dimension.CATEGORY)
        )
        .values("kind", "key")
        .annotate(n=Sum("count"))
        .order_by("-n")
    )
    top = list(rows[: limit * 3])
    merged: dict[tuple[str, str], int] = defaultdict(int)
    for row in top:
        merged[(row["kind"], row["key"])] += row["n"]
    ordered = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:limit]
    names = {
        kind: labels(kind, [key for (k, key), _n in ordered if k == kind])
        for kind in (Dimension.ISSUE, Dimension.POLL, Dimension.CATEGORY)
    }
    return [
        {
            "kind": kind,
            "kind_label": Dimension(kind).label,
            "key": key,
            "label": names[kind].get(key) or _("(none)"),
            "count": n,
        }
        for (kind, key), n in ordered
    ]


# ---------------------------------------------------------------------------- terms
def term_sources(user) -> list[str]:
    return [s for s in TermSource.values if s != TermSource.INQUIRIES or sees_inquiries(user)]


def _term_totals(start, end, source, language) -> dict[str, int]:
    """Term -> texts over the period: whole months from the monthly table, the days at
    either end from the daily one."""
    from tawasul.insights.services import month_end, month_of

    def filtered(rows):
        rows = rows.filter(source=source)
        return rows.filter(language=language) if language else rows

    first_full = start if start.day == 1 else month_end(start) + dt.timedelta(days=1)
    last_full = month_of(end + dt.timedelta(days=1)) - dt.timedelta(days=1)  # a month's end
    totals: dict[str, int] = defaultdict(int)
    parts = []
    if first_full <= last_full:
        parts.append(
            filtered(MonthlyTerm.objects.filter(month__gte=first_full, month__lte=last_full))
        )
        if start < first_full:
            parts.append(filtered(DailyTerm.objects.filter(day__gte=start, day__lt=first_full)))
        if last_full < end:
            parts.append(filtered(DailyTerm.objects.filter(day__gt=last_full, day__lte=end)))
    else:
        parts.append(filtered(DailyTerm.objects.filter(day__gte=start, day__lte=end)))
    for rows in parts:
        for term, n in rows.values("term").annotate(n=Sum("count")).values_list("term", "n"):
            totals[term] += n
    return totals


def _visible(source: str, count: int) -> bool:
    return source != TermSource.INQUIRIES or count >= MIN_INQUIRY_TERM


@dataclass
class Term:
    term: str
    count: int
    phrase: bool
    previous: int = 0


def _top(totals: dict[str, int], source: str, limit: int) -> dict[str, list[Term]]:
    ranked = sorted(
        (item for item in totals.items() if _visible(source, item[1])),
        key=lambda item: (-item[1], item[0]),
    )
    words = [Term(t, n, False) for t, n in ranked if " " not in t][:limit]
    phrases = [Term(t, n, True) for t, n in ranked if " " in t][:limit]
    return {"words": words, "phrases": phrases}


def _rising(now: dict, before: dict, source: str, limit: int, minimum: int) -> list[Term]:
    rising = [
        Term(term, n, " " in term, before.get(term, 0))
        for term, n in now.items()
        if n >= minimum and n > before.get(term, 0) and _visible(source, n)
    ]
    rising.sort(key=lambda t: (-(t.count + 1) / (t.previous + 1), -(t.count - t.previous), t.term))
    return rising[:limit]


def top_terms(
    start: dt.date,
    end: dt.date,
    source: str = TermSource.COMMENTS,
    language: str = "",
    user=None,
    limit: int = 20,
) -> dict[str, list[Term]]:
    """The most used words and two-word phrases of ``source`` (comments, statements,
    inquiries) in the period: {"words": [...], "phrases": [...]}, each counted in texts.
    Inquiry terms: none for those who may not see inquiries, and only terms used by at
    least MIN_INQUIRY_TERM inquiries."""
    if source not in term_sources(user):
        return {"words": [], "phrases": []}
    return _top(_term_totals(start, end, source, language), source, limit)


def rising_terms(
    start: dt.date,
    end: dt.date,
    source: str = TermSource.COMMENTS,
    language: str = "",
    user=None,
    limit: int = 20,
    minimum: int = 3,
) -> list[Term]:
    """Terms used more in the period than in the period of the same length just before,
    the strongest rise first (ratio of the counts, each plus one, then the difference).
    Only terms used at least ``minimum`` times in the period."""
    if source not in term_sources(user):
        return []
    now = _term_totals(start, end, source, language)
    before = _term_totals(*previous_period(start, end), source, language)
    return _rising(now, before, source, limit, minimum)


def terms_summary(
    start: dt.date,
    end: dt.date,
    source: str = TermSource.COMMENTS,
    language: str = "",
    user=None,
    limit: int = 20,
    minimum: int = 3,
) -> dict[str, list[Term]]:
    """:func:`top_terms` and :func:`rising_terms` at once (the period read once):
    {"words", "phrases", "rising"}."""
    if source not in term_sources(user):
        return {"words": [], "phrases": [], "rising": []}
    now = _term_totals(start, end, source, language)
    before = _term_totals(*previous_period(start, end), source, language)
    return {**_top(now, source, limit), "rising": _rising(now, before, source, limit, minimum)}


def texts_with_term(
    term: str, source: str, start: dt.date, end: dt.date, language: str = "", user=None
) -> list[dict]:
    """The texts of the period that contain ``term`` (as :mod:`insights.terms` reads it),
    newest first, at most TEXTS_LIMIT: {"date", "text", "url"}. Comments and statements:
    the text, its date and a link to where it was published, nothing about the writer.
    Inquiries: only for desk staff, only the cases they may open (subject and a link to
    the case in the desk); anyone else gets PermissionDenied."""
    from django.urls import reverse

    from tawasul.insights.services import day_bounds
    from tawasul.insights.terms import mentions

    since, _end = day_bounds(start)
    _start, until = day_bounds(end)
    found: list[dict] = []
    if source == TermSource.COMMENTS:
        from tawasul.comments.models import Comment

        rows = Comment.objects.filter(
            Q(thread__article__isnull=False) | Q(thread__issue__isnull=False),
            state=Comment.State.PUBLISHED,
            deleted_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        ).select_related("thread__article", "thread__issue")
        if language:
            rows = rows.filter(
                Q(thread__article__locale__language_code=language)
                | Q(thread__issue__locale__language_code=language)
            )
        for comment in rows.order_by("-created_at").iterator(chunk_size=2000):
            if mentions(comment.body, term):
                target = comment.thread.article or comment.thread.issue
                url = target.url if hasattr(target, "url") else target.get_absolute_url()
                found.append(
                    {
                        "date": comment.created_at,
                        "text": comment.body,
                        "url": f"{url}#comment-{comment.pk}",
                    }
                )
                if len(found) >= TEXTS_LIMIT:
                    break
    elif source == TermSource.STATEMENTS:
        from tawasul.discussions.models import Statement

        rows = Statement.objects.filter(
            Statement.votable_q(), created_at__gte=since, created_at__lt=until
        ).select_related("issue")
        if language:
            rows = rows.filter(language=language)
        for statement in rows.order_by("-created_at").iterator(chunk_size=2000):
            if mentions(statement.text, term):
                found.append(
                    {
                        "date": statement.created_at,
                        "text": statement.text,
                        "url": statement.issue.get_absolute_url(),
                    }
                )
                if len(found) >= TEXTS_LIMIT:
                    break
    elif source == TermSource.INQUIRIES:
        from tawasul.inquiries import rules
        from tawasul.inquiries import selectors as inquiry_selectors

        if user is None or not rules.can_use_desk(user):
            raise PermissionDenied
        rows = inquiry_selectors.cases_for(user).filter(
            created_at__gte=since, created_at__lt=until, anonymised_at__isnull=True
        )
        if language:
            rows = rows.filter(language=language)
        for case in rows.order_by("-created_at").prefetch_related("messages").iterator(500):
            texts = [case.subject] + [m.body for m in case.messages.all() if m.kind == "citizen"]
            if any(mentions(text, term) for text in texts):
                found.append(
                    {
                        "date": case.created_at,
                        "text": case.subject,
                        "url": reverse("inquiries_admin:case", args=[case.pk]),
                    }
                )
                if len(found) >= TEXTS_LIMIT:
                    break
    else:
        raise ValueError("unknown source")
    return found


# ---------------------------------------------------------------------------- trends
def poll_trends(start: dt.date, end: dt.date, language: str = "", limit: int = 10) -> list[dict]:
    """Per poll with votes in the period: its answers' cumulative counts (every vote since
    the poll opened) at the end of each week of the period.
    [{"key", "label", "weeks": [date...], "choices": [{"key", "label", "counts": [...]}]}]"""
    weeks = buckets(start, end, "week")
    polls = list(
        _counts(start, end, language)
        .filter(metric=Metric.POLL_VOTES, kind=Dimension.POLL)
        .values("key")
        .annotate(n=Sum("count"))
        .order_by("-n")
        .values_list("key", flat=True)[:limit]
    )
    if not polls:
        return []
    poll_names = labels(Dimension.POLL, polls)
    rows = DailyCount.objects.filter(
        metric=Metric.POLL_CHOICES,
        kind=Dimension.CHOICE,
        day__lte=end,
        key__regex=r"^(" + "|".join(polls) + "):",
    )
    if language:
        rows = rows.filter(language=language)
    before: dict[str, int] = defaultdict(int)
    per_week: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
    index = {week: n for n, week in enumerate(weeks)}
    for day, key, n in (
        rows.values("day", "key").annotate(n=Sum("count")).values_list("day", "key", "n")
    ):
        if day < start:
            before[key] += n
        else:
            per_week[key][index[bucket_of(day, "week")]] += n
    choice_keys = sorted(set(before) | set(per_week))
    names = labels(Dimension.CHOICE, choice_keys)
    out = []
    for poll in polls:
        choices = []
        for key in choice_keys:
            if not key.startswith(poll + ":"):
                continue
            running = before.get(key, 0)
            counts = []
            for n in per_week.get(key, [0] * len(weeks)):
                running += n
                counts.append(running)
            from django.utils.translation import gettext as _

            label = names.get(key) or (_("Other") if key.split(":")[1] == poll else "?")
            choices.append({"key": key, "label": label, "counts": counts})
        out.append(
            {"key": poll, "label": poll_names.get(poll, ""), "weeks": weeks, "choices": choices}
        )
    return out


def opinion_trends(start: dt.date, end: dt.date, limit: int = 10) -> list[dict]:
    """Per issue for discussion with snapshots in the period: week by week, participants,
    votes, the number and sizes of the opinion groups and the consensus statements.
    [{"key", "label", "weeks": [{"week_end", "participants", "votes", "groups",
    "consensus_agree", "consensus_disagree"}]}]"""
    snapshots = OpinionSnapshot.objects.filter(
        week_end__gt=start, week_end__lte=end + dt.timedelta(days=7)
    ).order_by("issue_key", "week_end")
    by_issue: dict[str, list] = defaultdict(list)
    for snap in snapshots:
        by_issue[str(snap.issue_key)].append(
            {
                "week_end": snap.week_end,
                "participants": snap.participants,
                "votes": snap.votes,
                "groups": snap.groups,
                "consensus_agree": len(snap.consensus.get("agree", [])),
                "consensus_disagree": len(snap.consensus.get("disagree", [])),
            }
        )
    keys = sorted(by_issue, key=lambda k: -by_issue[k][-1]["votes"])[:limit]
    names = labels(Dimension.ISSUE, keys)
    return [{"key": key, "label": names.get(key, ""), "weeks": by_issue[key]} for key in keys]
