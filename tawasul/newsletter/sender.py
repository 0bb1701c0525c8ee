"""The sending engine: claims deliveries atomically, sends them over SMTP, records each.

Crash safety comes from the order of writes for every message:

1. claim a small batch: ``pending`` → ``claimed`` with this worker's id (atomic: a
   conditional UPDATE on SQLite, whose writes are serialised; ``SELECT ... FOR UPDATE
   SKIP LOCKED`` on PostgreSQL, so workers never wait on each other's rows);
2. ``claimed`` → ``sending`` committed *before* the message is handed to the relay;
3. ``sending`` → ``sent`` committed after the relay's 250 reply.

A worker killed at any moment leaves its rows ``claimed`` (never handed to the relay:
given back as pending, safe) or ``sending`` (in the relay's hands, at most one per
connection, i.e. the concurrency): those become ``ambiguous``, are reported and are not
resent unless staff choose to. A ``sent`` row is never touched again. Rows of a worker
on this host whose process is gone are recovered at once; rows of other hosts once they
have been held longer than ``NEWSLETTER_STALE_SECONDS``.

Relay answers: 4xx (or a connection lost before the message was transferred) → back to
pending with exponential backoff; 5xx → failed; a connection lost while the message
itself was being transferred → ambiguous. Concurrency (SMTP connections, one thread
each) and rate (messages per second, shared by the threads of one worker) are settings
or arguments.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from tawasul.newsletter import services
from tawasul.newsletter.message import MessageFactory
from tawasul.newsletter.models import Campaign, Delivery, Subscriber, Suppression, email_hash

log = logging.getLogger("tawasul.newsletter.sender")
State = Delivery.State
HOST = socket.gethostname()[:60]


def setting(name: str, default):
    return getattr(settings, name, default)


def stale_seconds() -> int:
    return int(setting("NEWSLETTER_STALE_SECONDS", 600))


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    ambiguous: int = 0
    skipped: int = 0
    stopped: str = ""
    errors: list[str] = field(default_factory=list)

    def add(self, other: SendReport) -> None:
        for name in ("sent", "failed", "retried", "ambiguous", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors[:5]
        self.stopped = self.stopped or other.stopped


class RateLimiter:
    """At most ``rate`` acquisitions per second across the threads that share it."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def acquire(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            wait = self.next_at - now
            self.next_at = max(self.next_at, now) + self.interval
        if wait > 0:
            time.sleep(wait)


# ---------------------------------------------------------------- recovery
def _worker_is_dead(worker: str) -> bool:
    host, _sep, rest = worker.partition(":")
    pid = rest.split(":", 1)[0]
    if host != HOST or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def deliveries_recover(*, campaign_id: int) -> dict[str, int]:
    """Rows left by dead workers: ``claimed`` → ``pending`` (never handed to the relay),
    ``sending`` → ``ambiguous`` (maybe delivered; not resent). Dead means a process of
    this host that no longer exists, or a hold older than NEWSLETTER_STALE_SECONDS."""
    held = Delivery.objects.filter(
        campaign_id=campaign_id, state__in=[State.CLAIMED, State.SENDING]
    )
    stale = timezone.now() - timedelta(seconds=stale_seconds())
    workers = set(held.values_list("worker", flat=True))
    dead = [worker for worker in workers if _worker_is_dead(worker)]
    gone = Q(worker__in=dead) | Q(claimed_at__lt=stale)
    released = held.filter(gone, state=State.CLAIMED).update(
        state=State.PENDING, worker="", claimed_at=None
    )
    ambiguous = held.filter(gone, state=State.SENDING).update(
        state=State.AMBIGUOUS, error="worker stopped while the relay had the message"
    )
    if released or ambiguous:
        log.warning(
            "deliveries recovered",
            extra={"campaign": campaign_id, "released": released, "ambiguous": ambiguous},
        )
    return {"released": released, "ambiguous": ambiguous}


def deliveries_resend_ambiguous(*, campaign_id: int) -> int:
    """Staff's choice: send the ambiguous rows again (some people may get two copies)."""
    return Delivery.objects.filter(campaign_id=campaign_id, state=State.AMBIGUOUS).update(
        state=State.PENDING, worker="", claimed_at=None, next_attempt_at=None
    )


# ---------------------------------------------------------------- claiming
def deliveries_claim(*, campaign_id: int, worker: str, limit: int) -> list[Delivery]:
    """Atomically take up to ``limit`` due pending rows for ``worker``."""
    now = timezone.now()
    due = Delivery.objects.filter(campaign_id=campaign_id, state=State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                due.order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:limit]
            )
            if ids:
                Delivery.objects.filter(pk__in=ids).update(
                    state=State.CLAIMED, worker=worker, claimed_at=now
                )
    else:
        # One statement; SQLite serialises writers and re-checks state in the UPDATE.
        ids_query = due.order_by("pk").values("pk")[:limit]
        with writing:
            Delivery.objects.filter(pk__in=ids_query, state=State.PENDING).update(
                state=State.CLAIMED, worker=worker, claimed_at=now
            )
    return list(
        Delivery.objects.filter(campaign_id=campaign_id, worker=worker, state=State.CLAIMED)
        .select_related("subscriber")
        .order_by("pk")
    )


def _release(rows: list[Delivery], worker: str) -> None:
    if rows:
        Delivery.objects.filter(
            pk__in=[row.pk for row in rows], worker=worker, state=State.CLAIMED
        ).update(state=State.PENDING, worker="", claimed_at=None)


# SQLite has one writer at a time and its busy handler sleeps in steps of milliseconds;
# the threads of one worker take turns here instead of sleeping there.
_sqlite_writes = threading.Lock()


class _Writing:
    def __enter__(self):
        if connection.vendor == "sqlite":
            _sqlite_writes.acquire()

    def __exit__(self, *exc):
        if connection.vendor == "sqlite":
            _sqlite_writes.release()


writing = _Writing()


def _mark(row: Delivery, owner: str, from_state: str, **changes) -> bool:
    """Move a row this worker holds from one state to the next (a conditional UPDATE:
    a row taken away meanwhile, e.g. skipped by an unsubscribe, is left alone)."""
    with writing:
        return bool(
            Delivery.objects.filter(pk=row.pk, worker=owner, state=from_state).update(**changes)
        )


_TABLE = Delivery._meta.db_table
_TO_SENDING = (
    f"UPDATE {_TABLE} SET state = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
    "WHERE id = %s AND worker = %s AND state = %s"
)
_TO_SENT = (
    f"UPDATE {_TABLE} SET state = %s, sent_at = %s, error = '' "  # noqa: S608
    "WHERE id = %s AND worker = %s AND state = %s"
)


def _fast_mark(sql: str, row: Delivery, owner: str, to_state: str, from_state: str) -> bool:
    """The two writes every message makes (claimed → sending → sent), as plain SQL:
    the ORM's statement building would cost more than the write itself."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with writing, connection.cursor() as cursor:
        cursor.execute(sql, [to_state, now, row.pk, owner, from_state])
        return cursor.rowcount == 1


def _suppressed_among(rows: list[Delivery]) -> set[str]:
    """The email keys of these rows that are on the suppression list (one query)."""
    by_hash = {email_hash(row.subscriber.email_key): row for row in rows if row.subscriber}
    found = Suppression.objects.filter(email_hash__in=list(by_hash)).values_list(
        "email_hash", flat=True
    )
    return {by_hash[digest].subscriber.email_key for digest in found}


# ---------------------------------------------------------------- SMTP
class Ambiguous(Exception):
    """The connection failed while the message itself was being transferred."""


def _smtp_settings() -> dict | None:
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return None
    return {
        "host": settings.EMAIL_HOST,
        "port": settings.EMAIL_PORT,
        "user": settings.EMAIL_HOST_USER,
        "password": settings.EMAIL_HOST_PASSWORD,
        "tls": settings.EMAIL_USE_TLS,
        "ssl": settings.EMAIL_USE_SSL,
        "timeout": settings.EMAIL_TIMEOUT or 30,
    }


_CRLF_DOT = re.compile(rb"(?m)^\.")


class Relay:
    """One SMTP connection; sends a message in explicit steps so that a failure before
    the message was transferred (safe to retry) is told apart from one during it."""

    def __init__(self, config: dict):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        c = self.config
        if c["ssl"]:
            smtp = smtplib.SMTP_SSL(c["host"], c["port"], timeout=c["timeout"])
        else:
            smtp = smtplib.SMTP(c["host"], c["port"], timeout=c["timeout"])
        smtp.ehlo()
        if c["tls"]:
            smtp.starttls()
            smtp.ehlo()
        if c["user"]:
            smtp.login(c["user"], c["password"])
        self.smtp = smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def send(self, sender: str, recipient: str, data: bytes) -> tuple[int, str]:
        """Returns the relay's final (code, text). Raises Ambiguous when the connection
        broke during the transfer; other OSError/SMTPException before it."""
        if self.smtp is None:
            self.open()
        smtp = self.smtp
        assert smtp is not None
        try:
            code, text = smtp.mail(sender, ["SMTPUTF8"] if _needs_utf8(recipient) else [])
            if code != 250:
                smtp.rset()
                return code, text.decode(errors="replace")
            code, text = smtp.rcpt(recipient)
            if code not in (250, 251):
                smtp.rset()
                return code, text.decode(errors="replace")
            smtp.putcmd("data")
            code, text = smtp.getreply()
            if code != 354:
                smtp.rset()
                return code, text.decode(errors="replace")
        except (smtplib.SMTPException, OSError):
            self.smtp = None
            raise
        try:
            payload = _CRLF_DOT.sub(b"..", data)
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            smtp.send(payload + b".\r\n")
            code, text = smtp.getreply()
        except (smtplib.SMTPException, OSError) as error:
            self.smtp = None
            raise Ambiguous(str(error)) from error
        return code, text.decode(errors="replace")


def _needs_utf8(address: str) -> bool:
    return not address.isascii()


# ---------------------------------------------------------------- the loop
def new_worker_id() -> str:
    return f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _backoff(attempts: int) -> timedelta:
    base = float(setting("NEWSLETTER_RETRY_SECONDS", 60))
    return timedelta(seconds=min(base * (2 ** max(0, attempts - 1)), 3600))


class _Lane:
    """One thread of a worker: one SMTP connection, its own claims."""

    def __init__(self, campaign_id, factory, limiter, batch, stop, smtp_config, threaded):
        self.threaded = threaded
        self.campaign_id = campaign_id
        self.factory = factory
        self.limiter = limiter
        self.batch = batch
        self.stop = stop
        self.worker = new_worker_id()
        self.relay = Relay(smtp_config) if smtp_config else None
        self.report = SendReport()
        self.connect_failures = 0
        self.checked_at = 0.0
        self.is_running = True

    def running(self) -> bool:
        """Still running? (A pause or cancel is seen within a second.)"""
        if self.stop.is_set():
            return False
        now = time.monotonic()
        if now - self.checked_at >= 1.0:
            self.checked_at = now
            self.is_running = Campaign.objects.filter(
                pk=self.campaign_id, state=Campaign.State.RUNNING
            ).exists()
        return self.is_running

    def run(self) -> SendReport:
        try:
            self._loop()
        except Exception as error:  # keep the worker alive; the clock resumes the rest
            log.exception("sender lane failed", extra={"campaign": self.campaign_id})
            self.report.errors.append(repr(error))
            self.report.stopped = self.report.stopped or "error"
        finally:
            if self.relay:
                self.relay.close()
            if self.threaded:
                # A thread's own database connection; the caller's stays open.
                close_old_connections()
                connection.close()
        return self.report

    def _loop(self) -> None:
        wait_limit = float(setting("NEWSLETTER_WAIT_SECONDS", 30))
        while self.running():
            rows = deliveries_claim(
                campaign_id=self.campaign_id, worker=self.worker, limit=self.batch
            )
            if not rows:
                due = (
                    Delivery.objects.filter(campaign_id=self.campaign_id, state=State.PENDING)
                    .order_by(F("next_attempt_at").asc(nulls_first=True))
                    .values_list("next_attempt_at", flat=True)
                    .first()
                )
                if (
                    due is None
                    and not Delivery.objects.filter(
                        campaign_id=self.campaign_id, state=State.PENDING
                    ).exists()
                ):
                    return
                wait = (due - timezone.now()).total_seconds() if due else 0.05
                if wait > wait_limit:
                    self.report.stopped = "waiting for retries"
                    return
                self.stop.wait(min(max(wait, 0.01), 1.0))
                continue
            suppressed = _suppressed_among(rows)
            for index, row in enumerate(rows):
                if index and not self.running():
                    _release(rows[index:], self.worker)
                    return
                if not self._deliver(row, suppressed):
                    _release(rows[index + 1 :], self.worker)
                    if self.report.stopped:
                        return
                    break

    def _deliver(self, row: Delivery, suppressed: set[str]) -> bool:
        """Send one claimed row; False when the relay cannot be reached (row released)."""
        subscriber: Subscriber | None = row.subscriber
        if subscriber is None or subscriber.state != Subscriber.State.ACTIVE:
            _mark(row, self.worker, State.CLAIMED, state=State.SKIPPED, error="not subscribed")
            self.report.skipped += 1
            return True
        if subscriber.email_key in suppressed:
            _mark(row, self.worker, State.CLAIMED, state=State.SKIPPED, error="suppressed")
            self.report.skipped += 1
            return True
        envelope_from, data = self.factory.build(row, subscriber)
        self.limiter.acquire()
        if not _fast_mark(_TO_SENDING, row, self.worker, State.SENDING, State.CLAIMED):
            return True  # taken away (cancelled, unsubscribed) meanwhile
        attempts = row.attempts + 1
        if self.relay is None:
            from django.core.mail import get_connection

            get_connection().send_messages([self.factory.as_django(row, subscriber, data)])
            code, text = 250, "outbox"
        else:
            try:
                code, text = self.relay.send(envelope_from, subscriber.email, data)
                self.connect_failures = 0
            except Ambiguous as error:
                _mark(
                    row, self.worker, State.SENDING, state=State.AMBIGUOUS, error=str(error)[:300]
                )
                self.report.ambiguous += 1
                return True
            except (smtplib.SMTPException, OSError) as error:
                # Nothing was transferred: give the row back, without counting an attempt.
                _mark(
                    row,
                    self.worker,
                    State.SENDING,
                    state=State.PENDING,
                    worker="",
                    attempts=F("attempts") - 1,
                    next_attempt_at=timezone.now() + _backoff(1),
                    error=f"relay unreachable: {error}"[:300],
                )
                self.report.retried += 1
                self.connect_failures += 1
                if self.connect_failures >= int(setting("NEWSLETTER_CONNECT_FAILURES", 3)):
                    self.report.stopped = "relay unreachable"
                    self.report.errors.append(str(error))
                else:
                    self.stop.wait(min(2**self.connect_failures * 0.1, 5))
                return False
        if 200 <= code < 300:
            _fast_mark(_TO_SENT, row, self.worker, State.SENT, State.SENDING)
            self.report.sent += 1
        elif 400 <= code < 500 and attempts < int(setting("NEWSLETTER_MAX_ATTEMPTS", 6)):
            _mark(
                row,
                self.worker,
                State.SENDING,
                state=State.PENDING,
                worker="",
                next_attempt_at=timezone.now() + _backoff(attempts),
                error=f"{code} {text}"[:300],
            )
            self.report.retried += 1
        else:
            _mark(row, self.worker, State.SENDING, state=State.FAILED, error=f"{code} {text}"[:300])
            self.report.failed += 1
        return True


def campaign_send(
    *,
    campaign_id: int,
    concurrency: int | None = None,
    rate: float | None = None,
) -> SendReport:
    """Send a running campaign's due rows until none is left (or it is paused or
    cancelled, or the relay stays unreachable). Safe to run in several workers at once.
    Finishes the campaign when every row is settled."""
    concurrency = max(1, int(concurrency or setting("NEWSLETTER_CONCURRENCY", 4)))
    rate = float(rate if rate is not None else setting("NEWSLETTER_RATE", 0))
    campaign = Campaign.objects.get(pk=campaign_id)
    report = SendReport()
    if campaign.state != Campaign.State.RUNNING:
        report.stopped = f"campaign is {campaign.state}"
        return report
    recovered = deliveries_recover(campaign_id=campaign_id)
    factory = MessageFactory(campaign)
    limiter = RateLimiter(rate)
    per_lane = rate / concurrency if rate else 200
    batch = int(max(1, min(50, per_lane * 2)))
    stop = threading.Event()
    smtp_config = _smtp_settings()
    lanes = [
        _Lane(campaign_id, factory, limiter, batch, stop, smtp_config, concurrency > 1)
        for _ in range(concurrency)
    ]
    if concurrency == 1:
        lanes[0].run()
    else:
        threads = [threading.Thread(target=lane.run, daemon=True) for lane in lanes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for lane in lanes:
        report.add(lane.report)
    report.ambiguous += recovered["ambiguous"]
    services.campaign_finish_if_done(campaign_id=campaign_id)
    log.info("campaign send pass", extra={"campaign": campaign_id, "report": report.__dict__})
    return report
