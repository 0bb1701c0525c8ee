"""Comments benchmark: an article with a long thread, and the post path, next to baselines
measured in the same run.

    python bench/comments.py [--requests 200] [--comments 500]

In-process (Django test client, full middleware stack, anonymous page cache off so that
rendering is measured; SQLite embedded default unless DATABASE_URL is set). Baselines:
/_floor (a view that does nothing, same stack) and the same kind of article page with no
comments. Measured: the article with N approved comments (page 1 newest first, a middle
page oldest first, signed in with the reply forms), the news list with comment counts,
and posting a comment (JSON, as comments.js sends it) against a POST to /_floor.
Bounded in count and time; touches only its own temporary data folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def measure(client, method: str, path: str, requests: int, data=None) -> tuple[list[float], int]:
    from django.db import connection

    queries: list[str] = []

    def count(run, sql, *rest):
        queries.append(sql)
        return run(sql, *rest)

    call = getattr(client, method)
    call(path, data() if data else None)  # warm up
    with connection.execute_wrapper(count):
        call(path, data() if data else None)
    timings = []
    for _ in range(requests):
        payload = data() if data else None
        started = time.perf_counter()
        response = call(
            path, payload, **({"headers": {"Accept": "application/json"}} if data else {})
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 201), (path, response.status_code)
    return timings, len(queries)


def make_thread(article, size: int) -> None:
    """``size`` approved comments on ``article``: four in five top-level, the rest replies."""
    from tawasul.accounts.models import User
    from tawasul.comments import selectors, services
    from tawasul.comments.models import Comment

    people = [
        User.objects.create_user(
            email=f"bench{n}@example.org", password=None, display_name=f"مواطن {n}"
        )
        for n in range(50)
    ]
    moderator = User.objects.create_superuser(email="bench-moderator@example.org", password=None)
    roots: list[Comment] = []
    for n in range(size):
        parent = roots[n % len(roots)] if roots and n % 5 == 4 else None
        comment = services.comment_create(
            author=people[n % len(people)],
            target=article,
            body=f"رأي المواطن رقم {n} في هذا الخبر، مع رابط https://moi.example/{n} وبعض النص "
            "الإضافي ليشبه تعليقًا حقيقيًا من سطرين.\nسطر ثانٍ.",
            idempotency_key=selectors.new_form_key(),
            parent=parent,
        ).comment
        if parent is None:
            services.comment_approve(comment_ids=[comment.pk], moderator=moderator)
            roots.append(comment)
    replies = Comment.objects.filter(thread__article=article, state="pending")
    services.comment_approve(
        comment_ids=list(replies.values_list("pk", flat=True)), moderator=moderator
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--comments", type=int, default=500)
    args = parser.parse_args()
    requests = max(10, min(args.requests, 2000))
    size = max(20, min(args.comments, 5000))

    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as folder:
        os.environ["TAWASUL_DATA"] = str(Path(folder))
        os.environ["TAWASUL_BENCH_FLOOR"] = "1"
        os.environ["TAWASUL_PAGE_CACHE_SECONDS"] = "0"
        os.environ["TAWASUL_COMMENTS_PER_MINUTE"] = "1000000"
        os.environ["TAWASUL_COMMENTS_PER_MINUTE_PER_IP"] = "1000000"
        os.environ["TAWASUL_LOG_LEVEL"] = "WARNING"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        from django.core import mail

        from tawasul.accounts.models import User
        from tawasul.comments import selectors
        from tawasul.news.models import NewsArticlePage

        mail.outbox = []  # the post path queues emails; keep them in memory
        from django.conf import settings

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

        article = NewsArticlePage.objects.get(
            slug="interactive-links-window", locale__language_code="ar"
        )
        empty = NewsArticlePage.objects.get(
            slug="phishing-awareness-campaign", locale__language_code="ar"
        )
        started = time.perf_counter()
        make_thread(article, size)
        built = time.perf_counter() - started

        anonymous = Client()
        citizen = Client(REMOTE_ADDR="10.9.9.9")
        poster = User.objects.create_user(email="bench-poster@example.org", password=None)
        citizen.force_login(poster)
        middle = max(1, (size * 4 // 5) // 20 // 2)
        counter = iter(range(10**9))

        def new_comment():
            n = next(counter)
            return {"body": f"تعليق القياس رقم {n}", "key": selectors.new_form_key(), "website": ""}

        rows = [
            ("floor GET /_floor", anonymous, "get", "/_floor", None),
            ("article, no comments", anonymous, "get", empty.url, None),
            (f"article, {size} comments, page 1", anonymous, "get", article.url, None),
            (
                f"article, {size} comments, page {middle} oldest",
                anonymous,
                "get",
                f"{article.url}?order=oldest&cpage={middle}",
                None,
            ),
            ("article, signed in (forms)", citizen, "get", article.url, None),
            ("news list with counts", anonymous, "get", "/ar/news/", None),
            ("floor POST /_floor", citizen, "post", "/_floor", new_comment),
            (
                "post a comment (JSON)",
                citizen,
                "post",
                f"/ar/comments/article/{article.pk}/",
                new_comment,
            ),
        ]
        print(
            f"Tawasul comments benchmark — database: {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {size} approved comments (built in {built:.1f} s), "
            f"{requests} requests per row, page cache off"
        )
        headings = ("p50 ms", "p99 ms", "req/s", "queries", "x floor", "x empty")
        print(f"{'row':38} " + " ".join(f"{h:>8}" for h in headings))
        floor = empty_p50 = None
        for label, client, method, path, data in rows:
            timings, queries = measure(client, method, path, requests, data)
            p50 = statistics.median(timings)
            floor = floor or p50
            if label == "article, no comments":
                empty_p50 = p50
            versus_empty = (
                f"{p50 / empty_p50:7.2f}x" if empty_p50 and method == "get" else "       -"
            )
            rate = 1000 / statistics.mean(timings)
            print(
                f"{label:38} {p50:8.2f} {percentile(timings, 0.99):8.2f} {rate:8.0f} "
                f"{queries:8d} {p50 / floor:7.1f}x {versus_empty}"
            )


if __name__ == "__main__":
    main()
