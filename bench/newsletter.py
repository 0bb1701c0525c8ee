"""Newsletter benchmark: messages per second through a real SMTP sink, then the crash test.

    python bench/newsletter.py [--subscribers 100000] [--sample 10000]
                               [--concurrency 1,4,8,16] [--kills 3]
    DATABASE_URL=postgres://.../scratch_db python bench/newsletter.py   # on PostgreSQL

In a temporary folder (SQLite) or the scratch database DATABASE_URL names (it is
migrated and filled), with a counting aiosmtpd sink in its own process on 127.0.0.1
(bench/smtp_sink.py):

1. the baseline: plain smtplib sending one ready-made message per recipient, at the
   same concurrency, to the same sink (what the sink and the loopback allow);
2. the sender: for each concurrency, a campaign to ``--sample`` subscribers sent by
   `tawasul newsletter-send` (claiming, recording every message, building each message
   in the subscriber's language with its own unsubscribe link and Message-ID);
3. the crash test: one campaign to all subscribers; the sending process is killed with
   SIGKILL at random moments ``--kills`` times and restarted, then run to the end. The
   sink's counts must show every subscriber exactly once, except the rows reported
   ambiguous (at most the concurrency per kill), which got at most one.

Sends traffic to 127.0.0.1 only; stops only the processes it started.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.file = folder / f"sink-{self.port}.json"
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(self.port), str(self.file)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def counts(self) -> dict[str, int]:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        return json.loads(self.file.read_text())


def tawasul(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "tawasul.cli", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        **kwargs,
    )


def baseline(port: int, recipients: list[str], concurrency: int) -> float:
    """smtplib alone: one connection per thread, a fixed 2 kB message per recipient."""
    body = (
        b"From: bench@moi.example\r\nTo: x@example.org\r\nSubject: bench\r\n\r\n"
        + (b"x" * 76 + b"\r\n") * 26
    )
    shares = [recipients[n::concurrency] for n in range(concurrency)]

    def run(share):
        smtp = smtplib.SMTP("127.0.0.1", port)
        for address in share:
            smtp.sendmail("bounces@moi.example", [address], body)
        smtp.quit()

    start = time.perf_counter()
    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(recipients) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--concurrency", default="1,4,8,16")
    parser.add_argument("--crash-concurrency", type=int, default=8)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    levels = [int(level) for level in options.concurrency.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="tawasul-bench-newsletter-"))
    env = {
        **os.environ,
        "TAWASUL_DATA": str(folder),
        "TAWASUL_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "tawasul.settings",
    }
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "-m", "tawasul.cli", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from tawasul.newsletter.models import Campaign, Delivery, Subscriber, Topic

    print(f"data: {folder} ({'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'})")
    Subscriber.objects.all().delete()
    sample_topic, _ = Topic.objects.get_or_create(
        slug="bench-sample", defaults={"name_ar": "عينة", "name_en": "Sample"}
    )
    start = time.perf_counter()
    batch = []
    for n in range(options.subscribers):
        batch.append(
            Subscriber(
                email=f"reader{n}@example.org",
                email_key=f"reader{n}@example.org",
                language="en" if n % 3 == 0 else "ar",
                state=Subscriber.State.ACTIVE,
                source=Subscriber.Source.IMPORT,
            )
        )
        if len(batch) == 5000:
            Subscriber.objects.bulk_create(batch)
            batch = []
    Subscriber.objects.bulk_create(batch)
    sample_ids = list(
        Subscriber.objects.order_by("pk").values_list("pk", flat=True)[: options.sample]
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        [through(subscriber_id=pk, topic_id=sample_topic.pk) for pk in sample_ids]
    )
    print(f"{options.subscribers} subscribers created in {time.perf_counter() - start:.1f} s")

    def new_campaign(title: str, topic=None) -> Campaign:
        campaign = Campaign.objects.create(
            title=title,
            subject_ar="نصائح الأمن السيبراني لهذا الأسبوع",
            subject_en="This week's cyber-security tips",
            body_ar=[("heading", "لا تشارك رمز التحقق"), ("tip", "لن نطلب منك كلمة المرور أبداً")],
            body_en=[("heading", "Never share a code"), ("tip", "We never ask for passwords")],
        )
        if topic:
            campaign.topics.set([topic])
        return campaign

    sample = [f"reader{n}@example.org" for n in range(options.sample)]
    print(f"\nthroughput, {options.sample} messages per run (messages/second)")
    print(
        f"{'concurrency':>12} {'smtplib floor':>14} {'tawasul':>10} {'share':>7}"
        f" {'with start-up':>14}"
    )
    for level in levels:
        sink = Sink(folder)
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
        floor = baseline(sink.port, sample, level)
        campaign = new_campaign(f"bench c={level}", sample_topic)
        begun = time.perf_counter()
        process = tawasul(
            env, "newsletter-send", str(campaign.pk), "--start", "--concurrency", str(level)
        )
        output, _ = process.communicate()
        elapsed = time.perf_counter() - begun
        report = json.loads(output.strip().splitlines()[-1])
        counts = sink.counts()
        ours = report["sent"] / report["seconds"]  # from the first claim to the last write
        print(
            f"{level:>12} {floor:>14.0f} {ours:>10.0f} {ours / floor:>7.0%} "
            f"{report['sent'] / elapsed:>14.0f}"
        )
        assert report["sent"] == options.sample, report
        assert sum(counts.values()) == 2 * options.sample  # floor + ours

    print(f"\ncrash test: {options.subscribers} messages, {options.kills} kill -9")
    sink = Sink(folder)
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
    campaign = new_campaign("bench crash test")
    from tawasul.newsletter import services

    services.campaign_start(campaign_id=campaign.pk, enqueue=False)
    start = time.perf_counter()
    total = options.subscribers
    for kill in range(options.kills):
        process = tawasul(
            env,
            "newsletter-send",
            str(campaign.pk),
            "--concurrency",
            str(options.crash_concurrency),
        )
        # Kill at a random moment once this run is really sending.
        sent_before = Delivery.objects.filter(campaign=campaign, state="sent").count()
        waited = time.perf_counter()
        while (
            Delivery.objects.filter(campaign=campaign, state="sent").count() <= sent_before
            and time.perf_counter() - waited < 60
        ):
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, max(0.5, total / 600 / (options.kills + 1))))
        process.send_signal(signal.SIGKILL)
        process.wait()
        held = dict(
            Delivery.objects.filter(campaign=campaign)
            .values_list("state")
            .annotate(n=django.db.models.Count("pk"))
            .values_list("state", "n")
        )
        print(f"  kill {kill + 1}: {held}")
    process = tawasul(
        env, "newsletter-send", str(campaign.pk), "--concurrency", str(options.crash_concurrency)
    )
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    counts = sink.counts()
    states = dict(
        Delivery.objects.filter(campaign=campaign).values_list("subscriber__email", "state")
    )
    ambiguous = [email for email, state in states.items() if state == "ambiguous"]
    wrong = []
    for email, state in states.items():
        got = counts.get(email, 0)
        if (state == "sent" and got != 1) or (state == "ambiguous" and got > 1):
            wrong.append((email, state, got))
        if state not in ("sent", "ambiguous"):
            wrong.append((email, state, got))
    duplicates = [email for email, got in counts.items() if got > 1]
    campaign.refresh_from_db()
    print(
        f"  finished in {elapsed:.0f} s; campaign {campaign.state}; "
        f"{sum(1 for s in states.values() if s == 'sent')} sent, {len(ambiguous)} ambiguous "
        f"(limit {options.kills * options.crash_concurrency}), "
        f"{len(duplicates)} received twice, {len(wrong)} wrong"
    )
    exact = (
        not wrong
        and not duplicates
        and len(ambiguous) <= options.kills * options.crash_concurrency
        and len(states) == total
    )
    print("crash test: EXACT" if exact else f"crash test: FAILED {wrong[:10]}")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
