"""Insights benchmark: a year of participation at the scale of the other benchmarks, the
rollup backfill over it, and the analysts' dashboard for that year, next to baselines
measured in the same run.

    python bench/insights.py [--renders 20] [--scale 1.0]

At scale 1: 20,000 newsletter subscribers, 120,000 poll votes, 30,000 comments, 20,000
statements with 100,000 discussion votes and 15,000 inquiries (each with a message),
spread over the last 365 days, written in bulk into a temporary SQLite database (or
DATABASE_URL). Then: the backfill (``tawasul insights-rollup``) and its time; the
dashboard for the whole year by week, rendered N times as an analyst through the Django
test client (p50/p95). Baselines: /_floor (a view that does nothing, same stack) and the
same participation figures computed straight from the source tables (no rollups).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from comments import percentile

WORDS_AR = [
    "الكهرباء",
    "الكهربا",
    "المياه",
    "الماء",
    "الطريق",
    "الطرق",
    "المدرسة",
    "المدرسه",
    "المدارس",
    "المستشفى",
    "الصحة",
    "الجوازات",
    "الإقامة",
    "الاقامة",
    "التأشيرة",
    "المرور",
    "الازدحام",
    "الحديقة",
    "الحدائق",
    "النظافة",
    "البلدية",
    "الخدمة",
    "الخدمات",
    "الإلكترونية",
    "الموقع",
    "التطبيق",
    "الموعد",
    "المواعيد",
    "الانتظار",
    "الرسوم",
    "الدعم",
    "الشباب",
    "التعليم",
    "الجامعة",
    "الوظائف",
    "العمل",
    "السكن",
    "الإسكان",
    "النقل",
    "الحافلات",
    "القطار",
    "الأمن",
]
WORDS_EN = [
    "electricity",
    "water",
    "road",
    "school",
    "hospital",
    "health",
    "passport",
    "residence",
    "visa",
    "traffic",
    "park",
    "cleanliness",
    "service",
    "online",
    "website",
    "app",
    "appointment",
    "waiting",
    "fees",
    "support",
    "youth",
    "education",
    "university",
    "jobs",
    "housing",
    "transport",
    "bus",
    "train",
    "safety",
]
STOP_AR = "في من على إلى عن هذا هذه التي أن مع".split()  # noqa: SIM905
STOP_EN = "the of to and in is for with".split()  # noqa: SIM905


def sentence(rng: random.Random, language: str, words: int) -> str:
    vocab, stops = (WORDS_AR, STOP_AR) if language == "ar" else (WORDS_EN, STOP_EN)
    # a few words are much more common than others (like real text)
    return " ".join(
        rng.choice(stops) if rng.random() < 0.3 else vocab[int(rng.paretovariate(1.2)) % len(vocab)]
        for _ in range(words)
    )


def when(rng: random.Random, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=rng.randrange(365 * 86400))


def generate(scale: float, rng: random.Random) -> dict[str, int]:
    from django.utils import timezone

    from tawasul.comments.models import Comment, Thread
    from tawasul.discussions.models import DiscussionIssue, Participant, Statement
    from tawasul.discussions.models import Vote as DVote
    from tawasul.inquiries.models import Case, Message, Topic
    from tawasul.news.models import NewsArticlePage
    from tawasul.newsletter.models import Subscriber
    from tawasul.polls.models import Poll, Vote, VoteChoice

    now = timezone.now()
    n = {
        "subscribers": int(20_000 * scale),
        "poll votes": int(120_000 * scale),
        "comments": int(30_000 * scale),
        "statements": int(20_000 * scale),
        "discussion votes": int(100_000 * scale),
        "inquiries": int(15_000 * scale),
    }
    batch = 5000
    subscribers = []
    for i in range(n["subscribers"]):
        email = f"bench{i}@example.org"
        confirmed = when(rng, now)
        gone = confirmed + dt.timedelta(days=30) if i % 10 == 0 else None
        subscribers.append(
            Subscriber(
                email=email,
                email_key=email,
                language="ar" if i % 3 else "en",
                state="unsubscribed" if gone else "active",
                source="import",
                confirmed_at=confirmed,
                unsubscribed_at=gone if gone and gone < now else None,
            )
        )
    Subscriber.objects.bulk_create(subscribers, batch_size=batch)

    polls = [
        (poll.translation_key, [c.translation_key for c in poll.choices.all()])
        for poll in Poll.objects.filter(locale__language_code="ar")
    ]
    votes, choices = [], []
    for i in range(n["poll votes"]):
        key, keys = polls[i % len(polls)]
        votes.append(
            Vote(
                poll_key=key,
                voter=f"bench:{i}",
                language="ar" if i % 3 else "en",
                created_at=when(rng, now),
            )
        )
    Vote.objects.bulk_create(votes, batch_size=batch)
    by_poll = dict(polls)
    for vote in Vote.objects.filter(voter__startswith="bench:").only("pk", "poll_key").iterator():
        keys = by_poll[vote.poll_key]
        choices.append(
            VoteChoice(vote_id=vote.pk, poll_key=vote.poll_key, choice_key=rng.choice(keys))
        )
    VoteChoice.objects.bulk_create(choices, batch_size=batch)

    from tawasul.accounts.models import User

    author = User.objects.create_user(email="bench-author@example.org", password=None)
    threads = []
    for article in NewsArticlePage.objects.all():
        thread, _ = Thread.objects.get_or_create(article=article)
        threads.append((thread, article.locale.language_code))
    comments = []
    for i in range(n["comments"]):
        thread, language = threads[i % len(threads)]
        comments.append(
            Comment(
                thread=thread,
                author=author,
                body=sentence(rng, language, rng.randint(6, 30)),
                state="published" if i % 20 else "rejected",
                idempotency_key=f"bench-{i}",
                created_at=when(rng, now),
            )
        )
    Comment.objects.bulk_create(comments, batch_size=batch)

    issues = list(DiscussionIssue.objects.filter(locale__language_code="ar"))
    statements = []
    for i in range(n["statements"]):
        issue = issues[i % len(issues)]
        language = "ar" if i % 4 else "en"
        statements.append(
            Statement(
                issue=issue,
                issue_key=issue.translation_key,
                text=sentence(rng, language, rng.randint(5, 20)),
                language=language,
                origin="imported",
                matching_key=uuid.uuid4().hex,
                created_at=when(rng, now),
            )
        )
    Statement.objects.bulk_create(statements, batch_size=batch)
    per_issue = {
        issue.translation_key: list(
            Statement.objects.filter(issue_key=issue.translation_key).values_list(
                "pk", "created_at"
            )
        )
        for issue in issues
    }
    participants = []
    for i in range(max(1, n["discussion votes"] // 20)):
        issue = issues[i % len(issues)]
        participants.append(
            Participant(
                issue_key=issue.translation_key,
                identity=f"bench-{i}",
                created_at=now - dt.timedelta(days=366),
            )
        )
    Participant.objects.bulk_create(participants, batch_size=batch)
    seen, dvotes = set(), []
    people = list(
        Participant.objects.filter(identity__startswith="bench-").values_list("pk", "issue_key")
    )
    while len(dvotes) < n["discussion votes"]:
        pk, key = rng.choice(people)
        statement, posted = rng.choice(per_issue[key])
        if (pk, statement) in seen:
            continue
        seen.add((pk, statement))
        cast = posted + (now - posted) * rng.random()
        dvotes.append(
            DVote(
                issue_key=key,
                participant_id=pk,
                statement_id=statement,
                value=rng.choice((1, -1, 0)),
                created_at=cast,
            )
        )
    DVote.objects.bulk_create(dvotes, batch_size=batch)

    topics = list(Topic.objects.filter(locale__language_code="ar"))
    cases = []
    for i in range(n["inquiries"]):
        topic = topics[i % len(topics)]
        language = "ar" if i % 4 else "en"
        cases.append(
            Case(
                reference=f"BENCH-{i}",
                kind="question",
                topic=topic,
                department=topic.department,
                subject=sentence(rng, language, 5),
                name="مواطن",
                email=f"c{i}@example.org",
                language=language,
                created_at=when(rng, now),
            )
        )
    Case.objects.bulk_create(cases, batch_size=batch)
    messages = [
        Message(case_id=pk, kind="citizen", body=sentence(rng, language, 25), created_at=created)
        for pk, language, created in Case.objects.filter(
            reference__startswith="BENCH-"
        ).values_list("pk", "language", "created_at")
    ]
    Message.objects.bulk_create(messages, batch_size=batch)
    return n


def from_sources(start: dt.date, end: dt.date) -> dict:
    """The baseline: the dashboard's participation by week, straight from the sources."""
    from django.db.models import Count
    from django.db.models.functions import TruncWeek

    from tawasul.comments.models import Comment
    from tawasul.discussions.models import Statement
    from tawasul.discussions.models import Vote as DVote
    from tawasul.inquiries.models import Case
    from tawasul.newsletter.models import Subscriber
    from tawasul.polls.models import Vote

    out = {}
    for name, queryset, field in (
        ("comments", Comment.objects.filter(state="published", deleted_at=None), "created_at"),
        ("statements", Statement.objects.filter(Statement.votable_q()), "created_at"),
        ("discussion votes", DVote.objects.all(), "created_at"),
        ("poll votes", Vote.objects.all(), "created_at"),
        ("inquiries", Case.objects.all(), "created_at"),
        ("subscribed", Subscriber.objects.all(), "confirmed_at"),
        ("unsubscribed", Subscriber.objects.all(), "unsubscribed_at"),
    ):
        rows = (
            queryset.filter(**{f"{field}__date__gte": start, f"{field}__date__lte": end})
            .annotate(week=TruncWeek(field))
            .values("week")
            .annotate(n=Count("pk"))
        )
        out[name] = list(rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    renders = max(3, min(args.renders, 500))
    scale = max(0.01, min(args.scale, 5.0))

    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as folder:
        os.environ["TAWASUL_DATA"] = str(Path(folder))
        os.environ["TAWASUL_BENCH_FLOOR"] = "1"
        os.environ["TAWASUL_LOG_LEVEL"] = "WARNING"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115

        started = time.perf_counter()
        sizes = generate(scale, random.Random(20261124))
        built = time.perf_counter() - started

        from io import StringIO

        from django.core.management import call_command as run

        from tawasul.accounts.models import User
        from tawasul.accounts.roles import ensure_roles
        from tawasul.insights import selectors

        out = StringIO()
        started = time.perf_counter()
        run("insights_rollup", stdout=out)
        backfill = time.perf_counter() - started

        analyst = User.objects.create_user(email="bench-analyst@example.org", password=None)
        analyst.is_staff = True
        analyst.save()
        analyst.groups.add(ensure_roles()["Analysts"])
        client = Client()
        client.force_login(analyst)
        today = timezone.localdate()
        start = today - dt.timedelta(days=364)
        path = f"/admin/insights/?from={start}&to={today}&granularity=week"

        def timed(call, n):
            call()  # warm up
            values = []
            for _ in range(n):
                began = time.perf_counter()
                call()
                values.append((time.perf_counter() - began) * 1000)
            return values

        def page(url):
            def call():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return call

        rows = [
            ("floor GET /_floor", timed(page("/_floor"), renders)),
            ("dashboard, a year by week (rollups)", timed(page(path), renders)),
            (
                "dashboard, a year by day (rollups)",
                timed(page(path.replace("week", "day")), max(3, renders // 2)),
            ),
            (
                "participation from the source tables (baseline, no rollups)",
                timed(lambda: from_sources(start, today), max(3, renders // 4)),
            ),
            (
                "participation from the rollups (selector only)",
                timed(lambda: selectors.participation(start, today, "week", "", analyst), renders),
            ),
        ]
        print(
            f"Tawasul insights benchmark — database: {connection.vendor}, Python "
            f"{sys.version.split()[0]}, generated in {built:.1f} s: "
            + ", ".join(f"{v:,} {k}" for k, v in sizes.items())
        )
        print(f"backfill of the rollups: {out.getvalue().strip()} (wall {backfill:.1f} s)")
        print(f"{'row':62} {'p50 ms':>8} {'p95 ms':>8} {'n':>4}")
        for label, timings in rows:
            print(
                f"{label:62} {statistics.median(timings):8.1f} "
                f"{percentile(timings, 0.95):8.1f} {len(timings):4d}"
            )
        target = statistics.median(rows[1][1])
        verdict = "under" if percentile(rows[1][1], 0.95) < 1000 else "OVER"
        print(f"target: dashboard for a year under 1 s -> p50 {target:.0f} ms, p95 {verdict} 1 s")


if __name__ == "__main__":
    main()
