"""Inquiries benchmark: the public form, sending an inquiry, the staff queue with many
cases, and taking in replies by email, next to baselines measured in the same run.

    python bench/inquiries.py [--requests 200] [--cases 2000]

In-process (Django test client, full middleware stack; SQLite embedded default unless
DATABASE_URL is set). Baselines: /_floor (a view that does nothing, same stack) for the
pages and the POST; parsing a mail without acting on it for the ingest. Bounded in count
and time; touches only its own temporary data folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from comments import measure, percentile


def reply_mail(reference: str, n: int) -> bytes:
    message = EmailMessage()
    message["From"] = "bench@example.org"
    message["To"] = "inquiries@example.org"
    message["Subject"] = f"Re: [{reference}] A reply to your inquiry"
    message["Message-ID"] = f"<bench-{n}@example.org>"
    message.set_content(f"معلومة إضافية رقم {n}\n\nOn Mon, desk wrote:\n> الجواب")
    return message.as_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    requests = max(10, min(args.requests, 2000))
    size = max(50, min(args.cases, 20000))

    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as folder:
        os.environ["TAWASUL_DATA"] = str(Path(folder))
        os.environ["TAWASUL_BENCH_FLOOR"] = "1"
        os.environ["TAWASUL_PAGE_CACHE_SECONDS"] = "0"
        os.environ["TAWASUL_INQUIRIES_PER_IP_HOUR"] = "100000000"
        os.environ["TAWASUL_INQUIRIES_PER_EMAIL_DAY"] = "100000000"
        os.environ["TAWASUL_LOG_LEVEL"] = "WARNING"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core import mail
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        mail.outbox = []
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }

        from tawasul.accounts.models import User
        from tawasul.inquiries import inbound, services
        from tawasul.inquiries.models import DeskMember, Topic

        topic = Topic.objects.get(name="الجوازات والإقامة")
        started = time.perf_counter()
        cases = [
            services.case_submit(
                kind="question",
                topic=topic,
                subject=f"سؤال رقم {n}",
                message="نص السؤال",
                name="مواطن",
                email=f"c{n % 500}@example.org",
                language="ar",
                consent=True,
            ).case
            for n in range(size)
        ]
        built = time.perf_counter() - started
        staff = User.objects.create_user(email="bench-desk@example.org", password=None)
        staff.is_staff = True
        staff.is_superuser = True
        staff.save()
        DeskMember.objects.create(user=staff, department=topic.department)
        desk = Client()
        desk.force_login(staff)
        citizen = Client(REMOTE_ADDR="10.9.9.9")
        citizen.force_login(User.objects.create_user(email="bench-c@example.org", password=None))
        counter = iter(range(10**9))

        def new_inquiry():
            n = next(counter)
            return {
                "kind": "question",
                "topic": str(topic.pk),
                "subject": f"استفسار القياس {n}",
                "message": "نص الاستفسار",
                "name": "مواطن",
                "email": "bench-c@example.org",
                "language": "ar",
                "consent": "on",
                "form_key": f"bench-key-{n}",
            }

        rows = [
            ("floor GET /_floor", citizen, "get", "/_floor", None),
            ("the inquiry form", citizen, "get", "/ar/inquiries/", None),
            (f"staff queue, {size} cases (page 1)", desk, "get", "/admin/inquiries_admin/", None),
            ("floor POST /_floor", citizen, "post", "/_floor", new_inquiry),
        ]
        print(
            f"Tawasul inquiries benchmark — database: {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {size} cases (built in {built:.1f} s, "
            f"{size / built:.0f} cases/s through the service), {requests} requests per row"
        )
        headings = ("p50 ms", "p99 ms", "req/s", "queries", "x floor")
        print(f"{'row':40} " + " ".join(f"{h:>8}" for h in headings))
        floor = None
        for label, client, method, path, data in rows:
            timings, queries = measure(client, method, path, requests, data)
            p50 = statistics.median(timings)
            floor = floor or p50
            rate = 1000 / statistics.mean(timings)
            print(
                f"{label:40} {p50:8.2f} {percentile(timings, 0.99):8.2f} {rate:8.0f} "
                f"{queries:8d} {p50 / floor:7.1f}x"
            )
        # Sending the form: a redirect (302), so timed here rather than by measure().
        timings = []
        for _ in range(requests):
            payload = new_inquiry()
            begun = time.perf_counter()
            response = citizen.post("/ar/inquiries/", payload)
            timings.append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 302, response.status_code
        p50 = statistics.median(timings)
        print(
            f"{'send an inquiry (POST, 302)':40} {p50:8.2f} {percentile(timings, 0.99):8.2f}"
            f" {1000 / statistics.mean(timings):8.0f} {'-':>8} {p50 / floor:7.1f}x"
        )

        # The ingest: parse only (baseline) against parse + thread + store.
        target = cases[0]
        target.email = "bench@example.org"
        target.save(update_fields=["email"])
        mails = [reply_mail(target.reference, n) for n in range(requests)]
        begun = time.perf_counter()
        for raw in mails:
            inbound.parse(raw)
        parse_ms = (time.perf_counter() - begun) * 1000 / requests
        begun = time.perf_counter()
        outcomes = [services.mail_ingest(raw=raw) for raw in mails]
        ingest_ms = (time.perf_counter() - begun) * 1000 / requests
        again = [services.mail_ingest(raw=raw) for raw in mails[:20]]
        assert set(outcomes) <= {"added", "reopened"}, set(outcomes)
        assert set(again) == {"duplicate"}
        print(
            f"ingest: parse only {parse_ms:.2f} ms/mail; parse + thread + store "
            f"{ingest_ms:.2f} ms/mail ({ingest_ms / parse_ms:.1f}x parse); "
            f"{1000 / ingest_ms:.0f} mails/s; repeats taken in once"
        )


if __name__ == "__main__":
    main()
