"""Daily rollups: exact against the source tables, idempotent, kept current by the clock;
terms counted in their normalised spelling, without stopwords; rising terms."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from tawasul.insights import selectors, services
from tawasul.insights.models import DailyCount, DailyTerm, Metric, OpinionSnapshot


def total(day, metric, language=None):
    rows = DailyCount.objects.filter(day=day, metric=metric, kind="")
    if language is not None:
        rows = rows.filter(language=language)
    return rows.aggregate(n=Sum("count"))["n"] or 0


def test_rollups_count_exactly_what_the_source_tables_hold(make, quiet_days, poll_factory):
    first, second = quiet_days
    make.comment(first)
    make.comment(first, language="en")
    make.comment(first, state="pending")  # not published: not counted
    make.comment(second)
    statement = make.statement(first)
    make.statement(second, language="en")
    make.discussion_vote(first, statement)
    make.discussion_vote(second, statement, value=-1)
    poll = poll_factory()
    for _ in range(3):
        make.poll_vote(first, poll, 1)
    make.poll_vote(second, poll, 0, language="en")
    make.case(first)
    make.case(second, language="en")
    make.subscriber(first, unsubscribed=second)
    make.subscriber(second, language="en")

    services.rollup_days(start=first, end=second)

    assert total(first, Metric.COMMENTS) == 2
    assert total(first, Metric.COMMENTS, "en") == 1
    assert total(second, Metric.COMMENTS) == 1
    assert total(first, Metric.STATEMENTS) == 1 and total(second, Metric.STATEMENTS, "en") == 1
    assert total(first, Metric.DISCUSSION_VOTES) == 1 == total(second, Metric.DISCUSSION_VOTES)
    assert total(first, Metric.POLL_VOTES) == 3 and total(second, Metric.POLL_VOTES, "en") == 1
    assert total(first, Metric.INQUIRIES) == 1 and total(second, Metric.INQUIRIES, "en") == 1
    assert total(first, Metric.SUBSCRIBED) == 1 and total(second, Metric.SUBSCRIBED) == 1
    assert total(second, Metric.UNSUBSCRIBED) == 1
    by_poll = DailyCount.objects.get(day=first, metric=Metric.POLL_VOTES, kind="poll")
    assert (by_poll.key, by_poll.count) == (str(poll.translation_key), 3)
    issue_rows = DailyCount.objects.filter(metric=Metric.STATEMENTS, kind="issue")
    assert issue_rows.aggregate(n=Sum("count"))["n"] == 2


def test_rollups_of_every_day_with_demo_content_match_the_source_counts(demo_site):
    from tawasul.comments.models import Comment
    from tawasul.polls.models import Vote

    start = services.first_day()
    end = timezone.localdate()
    services.rollup_days(start=start, end=end)
    rolled = DailyCount.objects.filter(kind="").values("metric").annotate(n=Sum("count"))
    rolled = {row["metric"]: row["n"] for row in rolled}
    published = Comment.objects.filter(
        state="published", deleted_at=None, thread__issue_statements=None
    ).count()
    assert rolled.get(Metric.COMMENTS, 0) == published
    assert (
        rolled.get(Metric.POLL_VOTES, 0) == Vote.objects.filter(created_at__date__lte=end).count()
    )


def test_recomputing_a_day_twice_leaves_the_same_rows(make, quiet_days):
    first, _second = quiet_days
    make.comment(first, "المدرسة الجديدة")
    make.statement(first, "المدرسة بعيدة")
    services.rollup_day(day=first)
    before = sorted(
        DailyCount.objects.filter(day=first).values_list(
            "metric", "language", "kind", "key", "count"
        )
    )
    terms = sorted(DailyTerm.objects.filter(day=first).values_list("source", "term", "count"))
    services.rollup_day(day=first)
    after = sorted(
        DailyCount.objects.filter(day=first).values_list(
            "metric", "language", "kind", "key", "count"
        )
    )
    assert before == after
    assert terms == sorted(
        DailyTerm.objects.filter(day=first).values_list("source", "term", "count")
    )


def test_the_clock_job_counts_a_new_comment_of_today(make):
    today = timezone.localdate()
    services.rollup_recent(force=True)
    before = total(today, Metric.COMMENTS)
    make.comment(today)
    services.rollup_recent(force=True)
    assert total(today, Metric.COMMENTS) == before + 1
    # Throttled across workers: a second run within minutes does nothing.
    assert services.rollup_recent() in (0, 2)
    assert services.rollup_recent() == 0


def test_a_removed_comment_is_no_longer_counted_once_its_day_is_recomputed(make, quiet_days):
    first, _second = quiet_days
    comment = make.comment(first)
    services.rollup_day(day=first)
    assert total(first, Metric.COMMENTS) == 1
    comment.state = "hidden"
    comment.save()
    services.rollup_day(day=first)
    assert total(first, Metric.COMMENTS) == 0


def test_spelling_variants_of_a_word_count_as_one_term(make, quiet_days):
    first, _second = quiet_days
    make.comment(first, "المدرسة")
    make.comment(first, "المدرسه")
    make.comment(first, "الْمَدْرَسَة")
    services.rollup_day(day=first)
    terms = selectors.top_terms(first, first, "comments")["words"]
    assert len(terms) == 1
    assert terms[0].count == 3


def test_stopwords_and_numbers_are_left_out_and_phrases_are_counted(make, quiet_days):
    first, _second = quiet_days
    make.comment(first, "في هذا الطريق من المدرسة 2025")
    make.comment(first, "the road to the school is long", language="en")
    services.rollup_day(day=first)
    stored = set(DailyTerm.objects.filter(day=first).values_list("term", flat=True))
    assert not stored & {"في", "هذا", "من", "the", "to", "is", "2025"}
    assert {"الطريق", "المدرسه", "road", "school", "long"} <= stored
    # a phrase is two neighbouring words with no stopword between them
    assert "school long" not in stored
    assert "الطريق المدرسه" not in stored
    make.comment(first, "road safety matters", language="en")
    services.rollup_day(day=first)
    assert "road safety" in set(DailyTerm.objects.filter(day=first).values_list("term", flat=True))


def test_rising_terms_compare_the_period_with_the_one_before(make):
    days = [dt.date(2019, 5, d) for d in (1, 2, 3, 4)]
    make.comment(days[0], "الكهرباء")
    make.comment(days[1], "الكهرباء والمياه")
    for _ in range(4):
        make.comment(days[2], "المياه مقطوعة")
    make.comment(days[3], "الكهرباء")
    services.rollup_days(start=days[0], end=days[3])
    rising = selectors.rising_terms(days[2], days[3], "comments", minimum=2)
    names = [t.term for t in rising]
    assert names[0] in ("المياه", "مقطوعه", "المياه مقطوعه")
    water = next(t for t in rising if t.term == "المياه")
    assert (water.count, water.previous) == (4, 0)
    assert "الكهرباء" not in names  # as used as before


def test_inquiry_terms_leave_out_the_writers_name_and_address(make, quiet_days):
    first, _second = quiet_days
    make.case(
        first,
        "انقطاع الكهرباء",
        body="اسمي هدى كريم وأكتب من huda.karim@example.org",
        name="هدى كريم",
    )
    services.rollup_day(day=first)
    stored = set(
        DailyTerm.objects.filter(day=first, source="inquiries").values_list("term", flat=True)
    )
    assert "الكهرباء" in stored
    assert not {t for t in stored if "هدي" in t or "كريم" in t or "huda" in t or "example" in t}


def test_rare_inquiry_terms_are_not_shown(make, quiet_days, analyst):
    first, _second = quiet_days
    make.case(first, "انقطاع الكهرباء")
    make.case(first, "انقطاع الكهرباء")
    make.case(first, "انقطاع المياه")
    services.rollup_day(day=first)
    words = {
        t.term: t.count
        for t in selectors.top_terms(first, first, "inquiries", user=analyst.user)["words"]
    }
    assert words == {"انقطاع": 3}


def test_the_command_backfills_a_range_and_refuses_a_reversed_one(make, quiet_days):
    import pytest
    from django.core.management.base import CommandError

    first, second = quiet_days
    make.comment(second)
    call_command(
        "insights_rollup",
        "--from",
        first.isoformat(),
        "--to",
        second.isoformat(),
        stdout=io.StringIO(),
    )
    assert total(second, Metric.COMMENTS) == 1
    with pytest.raises(CommandError):
        call_command("insights_rollup", "--from", second.isoformat(), "--to", first.isoformat())
    with pytest.raises(CommandError):
        call_command("insights_rollup", "--from", "yesterday")


def test_opinion_snapshots_follow_the_votes_week_by_week(make):
    from tawasul.discussions.models import DiscussionIssue

    issue = DiscussionIssue.objects.filter(
        locale__language_code="ar", status=DiscussionIssue.Status.OPEN
    ).last()
    monday = dt.date(2019, 6, 3)
    statements = [make.statement(monday, f"رأي {n}", issue=issue) for n in range(3)]
    for statement in statements:
        make.discussion_vote(monday, statement)
    make.discussion_vote(monday + dt.timedelta(days=8), statements[0], -1)
    services.opinion_snapshot(
        issue_key=issue.translation_key, week_end=monday + dt.timedelta(days=7)
    )
    services.opinion_snapshot(
        issue_key=issue.translation_key, week_end=monday + dt.timedelta(days=14)
    )
    weeks = list(
        OpinionSnapshot.objects.filter(issue_key=issue.translation_key).order_by("week_end")
    )
    assert [w.votes for w in weeks] == [3, 4]
    trends = selectors.opinion_trends(monday, monday + dt.timedelta(days=13))
    mine = next(t for t in trends if t["key"] == str(issue.translation_key))
    assert [w["votes"] for w in mine["weeks"]] == [3, 4]


def test_poll_results_over_time_are_cumulative_per_answer(make, poll_factory):
    poll = poll_factory()
    monday = dt.date(2019, 9, 2)
    make.poll_vote(monday - dt.timedelta(days=3), poll, 0)  # before the period: still counted
    make.poll_vote(monday, poll, 0)
    make.poll_vote(monday + dt.timedelta(days=7), poll, 1)
    services.rollup_days(start=monday - dt.timedelta(days=3), end=monday + dt.timedelta(days=13))
    trends = selectors.poll_trends(monday, monday + dt.timedelta(days=13))
    mine = next(t for t in trends if t["key"] == str(poll.translation_key))
    counts = {c["label"]: c["counts"] for c in mine["choices"]}
    assert counts["ممتازة"] == [2, 2]
    assert counts["جيدة"] == [0, 1]


def test_term_counts_over_months_equal_the_sum_of_their_days(make):
    from tawasul.insights.models import MonthlyTerm

    for day in (dt.date(2019, 1, 31), dt.date(2019, 2, 10), dt.date(2019, 3, 1)):
        make.comment(day, "المدرسة الجديدة")
    services.rollup_days(start=dt.date(2019, 1, 1), end=dt.date(2019, 3, 31))
    assert MonthlyTerm.objects.filter(term="المدرسه").count() == 3
    for start, end, expected in (
        (dt.date(2019, 1, 1), dt.date(2019, 3, 31), 3),  # whole months
        (dt.date(2019, 1, 31), dt.date(2019, 3, 1), 3),  # a day, a month, a day
        (dt.date(2019, 2, 1), dt.date(2019, 2, 28), 1),
        (dt.date(2019, 2, 11), dt.date(2019, 3, 5), 1),
        (dt.date(2019, 1, 15), dt.date(2019, 1, 30), 0),
    ):
        words = {t.term: t.count for t in selectors.top_terms(start, end, "comments")["words"]}
        assert words.get("المدرسه", 0) == expected, (start, end)


def test_the_worker_clock_runs_the_rollup_and_the_snapshots():
    from tawasul.core import clock

    assert clock._jobs["insights rollup"] is services.rollup_recent
    assert clock._jobs["insights opinion snapshots"] is services.opinion_snapshots


def test_a_language_filter_counts_only_that_languages_participation(make, quiet_days):
    first, _second = quiet_days
    make.comment(first, language="ar")
    make.comment(first, language="en")
    make.comment(first, language="en")
    services.rollup_day(day=first)
    assert selectors.participation(first, first, "day", "en").totals["comments"] == 2
    assert selectors.participation(first, first, "day", "ar").totals["comments"] == 1
    assert selectors.participation(first, first, "month", "").series["comments"] == [3]


def test_participation_buckets_days_into_weeks_and_months():
    start, end = dt.date(2019, 1, 30), dt.date(2019, 3, 2)
    assert selectors.buckets(start, end, "month") == [
        dt.date(2019, 1, 1),
        dt.date(2019, 2, 1),
        dt.date(2019, 3, 1),
    ]
    weeks = selectors.buckets(start, end, "week")
    assert weeks[0] == dt.date(2019, 1, 28) and all(w.weekday() == 0 for w in weeks)
    assert selectors.previous_period(start, end) == (dt.date(2018, 12, 29), dt.date(2019, 1, 29))


def test_moderating_an_old_comment_marks_its_day_and_the_clock_recomputes_it(make, quiet_days):
    from tawasul.insights.models import DirtyDay

    first, _second = quiet_days
    comment = make.comment(first, "الحديقة مغلقة")
    services.rollup_day(day=first)
    assert total(first, Metric.COMMENTS) == 1
    assert not DirtyDay.objects.exists()  # a new comment is counted on its own day
    comment.state = "hidden"
    comment.save()
    assert list(DirtyDay.objects.values_list("day", flat=True)) == [first]
    services.rollup_recent(force=True)
    assert total(first, Metric.COMMENTS) == 0
    assert not DailyTerm.objects.filter(day=first, term="الحديقه").exists()
    assert not DirtyDay.objects.exists()


def test_erasing_a_subscriber_marks_the_days_of_its_subscription(make, quiet_days):
    from tawasul.insights.models import DirtyDay

    first, second = quiet_days
    subscriber = make.subscriber(first, unsubscribed=second)
    subscriber.delete()
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {first, second}


def test_opinion_snapshots_keep_past_weeks_and_recompute_the_last_two(make):
    from tawasul.discussions.models import DiscussionIssue

    issue = DiscussionIssue.objects.filter(
        locale__language_code="ar", status=DiscussionIssue.Status.OPEN
    ).last()
    today = timezone.localdate()
    start = services.week_start(today) - dt.timedelta(days=21)
    statement = make.statement(start, "رأي قديم", issue=issue)
    make.discussion_vote(start, statement)
    first = services.opinion_snapshots(issue_key=issue.translation_key)
    assert first == 4  # three past weeks and this one
    again = services.opinion_snapshots(issue_key=issue.translation_key)
    assert again == 2
    weeks = OpinionSnapshot.objects.filter(issue_key=issue.translation_key).count()
    assert weeks == 4
