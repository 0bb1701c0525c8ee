"""Writes of insights: the daily rollups and weekly opinion snapshots, and report jobs.

Rollups and snapshots are recomputed from the source tables and are idempotent: running
them twice for the same day (or week) leaves the same rows. Each day is rewritten in one
transaction (its old rows deleted, the new ones inserted in bulk), so a reader sees a day
either before or after, never half. Report jobs are requested once per identical request
while one is pending, and built by a task.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import time
from collections import Counter
from collections.abc import Iterable

import numpy as np
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone, translation

from tawasul.insights import terms as term_tools
from tawasul.insights.models import (
    DailyCount,
    DailyTerm,
    Metric,
    MonthlyTerm,
    OpinionSnapshot,
    ReportJob,
    TermSource,
)
from tawasul.insights.reports import ReportError

log = logging.getLogger("tawasul.insights")
RECENT_EVERY = 300  # seconds between two runs of the clock's rollup of today and yesterday
SNAPSHOTS_EVERY = 3600  # seconds between two runs of the opinion snapshots
BATCH = 5000


# ---------------------------------------------------------------------------- days
def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (exclusive) of a local calendar day, as aware datetimes."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


# ---------------------------------------------------------------------------- counts
def _comment_rows(start, end):
    from tawasul.comments.models import Comment

    rows = (
        Comment.objects.filter(
            Q(thread__article__isnull=False) | Q(thread__issue__isnull=False),
            state=Comment.State.PUBLISHED,
            deleted_at__isnull=True,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values(
            "thread__article__locale__language_code",
            "thread__issue__locale__language_code",
            "thread__article__category__translation_key",
            "thread__issue__translation_key",
        )
        .annotate(n=Count("pk"))
    )
    for row in rows:
        language = (
            row["thread__article__locale__language_code"]
            or row["thread__issue__locale__language_code"]
            or ""
        )
        dims = {}
        if row["thread__article__category__translation_key"]:
            dims["category"] = row["thread__article__category__translation_key"]
        if row["thread__issue__translation_key"]:
            dims["issue"] = row["thread__issue__translation_key"]
        yield Metric.COMMENTS, language, dims, row["n"]


def _statement_rows(start, end):
    from tawasul.discussions.models import Statement

    rows = (
        Statement.objects.filter(Statement.votable_q(), created_at__gte=start, created_at__lt=end)
        .values("language", "issue_key")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        yield Metric.STATEMENTS, row["language"] or "", {"issue": row["issue_key"]}, row["n"]


def _discussion_vote_rows(start, end):
    from tawasul.discussions.models import Vote

    rows = (
        Vote.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("issue_key")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        yield Metric.DISCUSSION_VOTES, "", {"issue": row["issue_key"]}, row["n"]


def _poll_rows(start, end):
    from tawasul.polls.models import Vote, VoteChoice

    rows = (
        Vote.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("language", "poll_key")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        yield Metric.POLL_VOTES, row["language"], {"poll": row["poll_key"]}, row["n"]
    rows = (
        VoteChoice.objects.filter(vote__created_at__gte=start, vote__created_at__lt=end)
        .values("vote__language", "poll_key", "choice_key")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        key = f"{row['poll_key']}:{row['choice_key']}"
        yield Metric.POLL_CHOICES, row["vote__language"], {"choice": key}, row["n"]


def _inquiry_rows(start, end):
    from tawasul.inquiries.models import Case

    rows = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("language", "topic__translation_key", "department_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        dims = {}
        if row["topic__translation_key"]:
            dims["topic"] = row["topic__translation_key"]
        dims["department"] = row["department_id"] or ""
        yield Metric.INQUIRIES, row["language"], dims, row["n"]


def _subscriber_rows(start, end):
    from tawasul.newsletter.models import Subscriber

    for metric, field in (
        (Metric.SUBSCRIBED, "confirmed_at"),
        (Metric.UNSUBSCRIBED, "unsubscribed_at"),
    ):
        rows = (
            Subscriber.objects.filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .values("language")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            yield metric, row["language"], {}, row["n"]


SOURCES = (
    _comment_rows,
    _statement_rows,
    _discussion_vote_rows,
    _poll_rows,
    _inquiry_rows,
    _subscriber_rows,
)


def counts_for_day(day: dt.date) -> Counter:
    """(metric, language, kind, key) -> count for one day, read from the source tables.
    A metric's total has kind and key empty; choices are counted per choice only."""
    start, end = day_bounds(day)
    counts: Counter = Counter()
    for source in SOURCES:
        for metric, language, dims, n in source(start, end):
            if metric != Metric.POLL_CHOICES:
                counts[(metric, language, "", "")] += n
            for kind, key in dims.items():
                counts[(metric, language, kind, str(key))] += n
    return counts


# ---------------------------------------------------------------------------- terms
def _texts_for_day(start, end) -> Iterable[tuple[str, str, str, frozenset]]:
    """(source, language, text, words to leave out) of every text written in the day."""
    from tawasul.comments.models import Comment
    from tawasul.discussions.models import Statement
    from tawasul.inquiries.models import Case, Message

    comments = Comment.objects.filter(
        Q(thread__article__isnull=False) | Q(thread__issue__isnull=False),
        state=Comment.State.PUBLISHED,
        deleted_at__isnull=True,
        created_at__gte=start,
        created_at__lt=end,
    ).values_list(
        "body", "thread__article__locale__language_code", "thread__issue__locale__language_code"
    )
    for body, article_language, issue_language in comments.iterator(chunk_size=BATCH):
        yield TermSource.COMMENTS, article_language or issue_language or "", body, frozenset()
    statements = Statement.objects.filter(
        Statement.votable_q(), created_at__gte=start, created_at__lt=end
    ).values_list("text", "language")
    for text, language in statements.iterator(chunk_size=BATCH):
        yield TermSource.STATEMENTS, language or "", text, frozenset()
    # Inquiries: the subject and the citizen's messages; the writer's own name and address
    # are taken out of the words, and only counts are ever stored.
    cases = Case.objects.filter(
        created_at__gte=start, created_at__lt=end, anonymised_at__isnull=True
    ).values_list("pk", "subject", "language", "name", "email")
    names: dict[int, tuple[str, frozenset]] = {}
    for pk, subject, language, name, email in cases.iterator(chunk_size=BATCH):
        exclude = term_tools.words_of(f"{name} {email.replace('@', ' ').replace('.', ' ')}")
        names[pk] = (language, exclude)
        yield TermSource.INQUIRIES, language, subject, exclude
    messages = Message.objects.filter(
        kind=Message.Kind.CITIZEN,
        created_at__gte=start,
        created_at__lt=end,
        case__anonymised_at__isnull=True,
    ).values_list("case_id", "body", "case__language", "case__name", "case__email")
    for case_id, body, language, name, email in messages.iterator(chunk_size=BATCH):
        if case_id in names:
            language, exclude = names[case_id]
        else:
            exclude = term_tools.words_of(f"{name} {email.replace('@', ' ').replace('.', ' ')}")
        yield TermSource.INQUIRIES, language, body, exclude


def terms_for_day(day: dt.date) -> Counter:
    """(source, language, term) -> number of texts of that day that contain the term."""
    start, end = day_bounds(day)
    counts: Counter = Counter()
    for source, language, text, exclude in _texts_for_day(start, end):
        for term in term_tools.terms_of(text, exclude=exclude):
            counts[(source, language, term)] += 1
    return counts


# ---------------------------------------------------------------------------- rollup
def rollup_day(*, day: dt.date) -> tuple[int, int]:
    """Recompute every daily count and term count of ``day`` from the source tables,
    replacing what was stored, in one transaction. Returns (count rows, term rows)."""
    counts = counts_for_day(day)
    terms = terms_for_day(day)
    with transaction.atomic():
        DailyCount.objects.filter(day=day).delete()
        DailyTerm.objects.filter(day=day).delete()
        DailyCount.objects.bulk_create(
            (
                DailyCount(day=day, metric=m, language=lang, kind=kind, key=key, count=n)
                for (m, lang, kind, key), n in counts.items()
            ),
            batch_size=BATCH,
        )
        DailyTerm.objects.bulk_create(
            (
                DailyTerm(day=day, source=source, language=lang, term=term, count=n)
                for (source, lang, term), n in terms.items()
            ),
            batch_size=BATCH,
        )
    return len(counts), len(terms)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def rollup_month_terms(*, month: dt.date) -> int:
    """Rewrite the monthly term counts of ``month`` (its first day) as the sum of its daily
    term counts, in one transaction. Returns the rows written."""
    month = month_of(month)
    rows = (
        DailyTerm.objects.filter(day__gte=month, day__lte=month_end(month))
        .values("source", "language", "term")
        .annotate(n=Sum("count"))
        .values_list("source", "language", "term", "n")
    )
    with transaction.atomic():
        MonthlyTerm.objects.filter(month=month).delete()
        created = MonthlyTerm.objects.bulk_create(
            (
                MonthlyTerm(month=month, source=source, language=lang, term=term, count=n)
                for source, lang, term, n in rows.iterator(chunk_size=BATCH)
            ),
            batch_size=BATCH,
        )
    return len(created)


def rollup_days(*, start: dt.date, end: dt.date) -> int:
    """Recompute every day from ``start`` to ``end`` (inclusive), then the monthly term
    counts of the months they fall in; returns the days done."""
    if start > end:
        raise ValueError("start after end")
    done = 0
    months: set[dt.date] = set()
    for day in days_between(start, end):
        rollup_day(day=day)
        months.add(month_of(day))
        done += 1
    for month in sorted(months):
        rollup_month_terms(month=month)
    return done


def first_day() -> dt.date | None:
    """The first local day on which anything the dashboard counts happened."""
    from tawasul.comments.models import Comment
    from tawasul.discussions.models import Statement
    from tawasul.discussions.models import Vote as DiscussionVote
    from tawasul.inquiries.models import Case
    from tawasul.newsletter.models import Subscriber
    from tawasul.polls.models import Vote as PollVote

    candidates = [
        Comment.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        Statement.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        DiscussionVote.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        PollVote.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        Case.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        Subscriber.objects.exclude(confirmed_at=None)
        .order_by("confirmed_at")
        .values_list("confirmed_at", flat=True)
        .first(),
    ]
    found = [timezone.localtime(value).date() for value in candidates if value is not None]
    return min(found) if found else None


DIRTY_PER_RUN = 31


def rollup_dirty(*, limit: int = DIRTY_PER_RUN) -> int:
    """Recompute the past days marked as changed (``DirtyDay``), oldest first, and forget
    each mark unless it was made again while its day was being recomputed."""
    from tawasul.insights.models import DirtyDay

    done = 0
    months: set[dt.date] = set()
    for mark in list(DirtyDay.objects.order_by("day")[:limit]):
        rollup_day(day=mark.day)
        months.add(month_of(mark.day))
        DirtyDay.objects.filter(pk=mark.pk, marked_at=mark.marked_at).delete()
        done += 1
    for month in sorted(months):
        rollup_month_terms(month=month)
    return done


def rollup_recent(*, force: bool = False) -> int:
    """The clock's job: keep yesterday and today current, and recompute the past days
    marked as changed (at most every RECENT_EVERY seconds across workers). Returns the
    days recomputed."""
    if not force and not cache.add("insights:rollup-recent", 1, timeout=RECENT_EVERY):
        return 0
    today = timezone.localdate()
    return rollup_days(start=today - dt.timedelta(days=1), end=today) + rollup_dirty()


# ---------------------------------------------------------------------------- opinion
def week_start(day: dt.date) -> dt.date:
    """The Monday of the week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


def _analyse_until(issue_key, until: dt.datetime):
    """The opinion groups of an issue on the votes cast before ``until`` (each with its
    present value), and on the statements posted before then."""
    from tawasul.discussions import analysis
    from tawasul.discussions.models import Participant, Statement, Vote

    statements = list(
        Statement.objects.filter(issue_key=issue_key, created_at__lt=until)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    votable = set(
        Statement.objects.filter(
            Statement.votable_q(), issue_key=issue_key, created_at__lt=until
        ).values_list("pk", flat=True)
    )
    participants = np.array(
        Participant.objects.filter(issue_key=issue_key, created_at__lt=until)
        .order_by("pk")
        .values_list("pk", flat=True),
        dtype=np.int64,
    )
    votes = Vote.objects.filter(issue_key=issue_key, created_at__lt=until).values_list(
        "participant_id", "statement_id", "value"
    )
    triples = np.fromiter(
        itertools.chain.from_iterable(votes.iterator(chunk_size=20_000)), dtype=np.int64
    ).reshape(-1, 3)
    statement_pks = np.array(statements, dtype=np.int64)
    known = np.isin(triples[:, 0], participants) & np.isin(triples[:, 1], statement_pks)
    triples = triples[known]
    result = analysis.analyse(
        n_participants=len(participants),
        n_statements=len(statements),
        rows=np.searchsorted(participants, triples[:, 0]),
        cols=np.searchsorted(statement_pks, triples[:, 1]),
        values=triples[:, 2],
        excluded=[j for j, pk in enumerate(statements) if pk not in votable],
    )
    return result, statements


def opinion_snapshot(*, issue_key, week_end: dt.date) -> OpinionSnapshot:
    """Compute (or recompute) the snapshot of one issue at the start of ``week_end``."""
    until, _end = day_bounds(week_end)
    result, statements = _analyse_until(issue_key, until)
    snapshot, _created = OpinionSnapshot.objects.update_or_create(
        issue_key=issue_key,
        week_end=week_end,
        defaults={
            "participants": int(result.n_participants),
            "votes": int(result.n_votes),
            "groups": [len(group.members) for group in result.groups],
            "consensus": {
                "agree": [statements[c.statement] for c in result.consensus_agree],
                "disagree": [statements[c.statement] for c in result.consensus_disagree],
            },
        },
    )
    return snapshot


def opinion_snapshots(*, issue_key=None, force: bool = False) -> int:
    """Snapshots of every issue (or one), week by week from its first vote to this week:
    weeks already stored are kept, the current week is always recomputed. Run by the
    clock at most every SNAPSHOTS_EVERY seconds; returns the snapshots computed."""
    from tawasul.discussions.models import Vote

    throttled = issue_key is None and not force
    if throttled and not cache.add("insights:opinion-snapshots", 1, timeout=SNAPSHOTS_EVERY):
        return 0
    votes = Vote.objects.all()
    if issue_key is not None:
        votes = votes.filter(issue_key=issue_key)
    firsts = votes.values("issue_key").annotate(first=Min("created_at"))
    this_week_end = week_start(timezone.localdate()) + dt.timedelta(days=7)
    done = 0
    for row in firsts:
        key = row["issue_key"]
        week_end = week_start(timezone.localtime(row["first"]).date()) + dt.timedelta(days=7)
        stored = set(
            OpinionSnapshot.objects.filter(issue_key=key).values_list("week_end", flat=True)
        )
        while week_end <= this_week_end:
            if week_end not in stored or week_end >= this_week_end - dt.timedelta(days=7):
                opinion_snapshot(issue_key=key, week_end=week_end)
                done += 1
            week_end += dt.timedelta(days=7)
    return done


def request_key(
    *, kind: str, object_id: int | None, start: dt.date | None, end: dt.date | None, language: str
) -> str:
    if kind == ReportJob.Kind.PERIOD:
        return f"{kind}:{start:%Y-%m-%d}:{end:%Y-%m-%d}:{language}"
    return f"{kind}:{object_id}:{language}"


def report_request(
    *,
    kind: str,
    language: str,
    user,
    object_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[ReportJob, bool]:
    """Queue a report, or return the pending job for the same request: (job, created).

    Idempotent while a job is pending: the partial unique constraint on ``request_key``
    (state queued or running) lets one insert win; a concurrent duplicate's insert fails
    inside its own savepoint and it returns the winner's job. The build task is queued
    after the commit, so it never sees a job that was rolled back. Validation of the
    request (ids, dates) is the form's; what only the data can tell (an empty period) is
    found by the build, which then fails the job with the reason.
    """
    key = request_key(kind=kind, object_id=object_id, start=start, end=end, language=language)
    pending = ReportJob.objects.filter(request_key=key, state__in=ReportJob.PENDING)
    existing = pending.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                kind=kind,
                object_id=object_id if kind != ReportJob.Kind.PERIOD else None,
                period_start=start if kind == ReportJob.Kind.PERIOD else None,
                period_end=end if kind == ReportJob.Kind.PERIOD else None,
                language=language,
                request_key=key,
                requested_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except IntegrityError:
        existing = pending.first()
        if existing is None:  # finished in between: ask again
            return report_request(
                kind=kind, language=language, user=user, object_id=object_id, start=start, end=end
            )
        return existing, False
    from tawasul.insights import tasks

    transaction.on_commit(lambda: tasks.build_report.enqueue(job_id=job.pk))
    return job, True


def _progress(job_id: int, percent: int, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(progress=percent, **fields)


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Build a queued job's report: state queued → running → done (or failed, with the
    reason in ``error``), progress updated as it goes. Claimed with a conditional UPDATE,
    so two workers given the same job build it once; a job not queued is left alone."""
    from tawasul.insights import pdf, reports

    claimed = ReportJob.objects.filter(pk=job_id, state=ReportJob.State.QUEUED).update(
        state=ReportJob.State.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return None
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    began = time.monotonic()
    try:
        if job.kind == ReportJob.Kind.PERIOD:
            # The period's figures come from the rollups: bring today, yesterday and
            # the days marked as changed up to date first.
            rollup_recent(force=True)
        with translation.override(job.language):
            rtl = translation.get_language_bidi()
            content = reports.build(
                job.kind,
                object_id=job.object_id,
                start=job.period_start,
                end=job.period_end,
                language=job.language,
                rtl=rtl,
                user=job.requested_by,
            )
            _progress(job.pk, 40, title=str(content["title"])[:300])
            document = pdf.render_pdf(content, job.language)
            _progress(job.pk, 90)
            tables = reports.tables_as_json(content["tables"])
        job.refresh_from_db()
        job.file.save(f"{job.filename}.pdf", ContentFile(document), save=False)
        job.tables = tables
        job.state = ReportJob.State.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.build_seconds = round(time.monotonic() - began, 3)
        job.save(
            update_fields=["file", "tables", "state", "progress", "finished_at", "build_seconds"]
        )
        return job
    except ReportError as error:
        reason = str(error)
    except Exception:
        log.exception("report build failed", extra={"job_id": job.pk})
        with translation.override(job.language):
            reason = translation.gettext("The report could not be built; try again later.")
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.FAILED, error=reason, finished_at=timezone.now()
    )
    return ReportJob.objects.get(pk=job.pk)
