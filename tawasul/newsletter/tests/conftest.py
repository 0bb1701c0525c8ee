"""Newsletter test helpers: subscribers, campaigns and real SMTP servers on loopback."""

from __future__ import annotations

import threading
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from conftest import free_port
from tawasul import env
from tawasul.newsletter import services
from tawasul.newsletter.models import Campaign, Subscriber, Topic


class Sink:
    """An SMTP server's handler that keeps every message and counts them per recipient.

    ``refuse_every``: answer 451 (try later) to that share of messages above ``burst``
    in a row, like a relay enforcing a rate; ``drop_at``: the recipients for which the
    connection is dropped once, at "rcpt" (before the message) or "data" (after it was
    transferred, before the reply); ``reject``: recipients answered 550.
    """

    def __init__(self, *, burst=0, drop_at=None, reject=()):
        self.messages = []
        self.counts = Counter()
        self.burst = burst
        self.accepted_in_row = 0
        self.drop_at = dict(drop_at or {})
        self.reject = set(reject)
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.drop_at.get(address) == "rcpt":
            del self.drop_at[address]
            server.transport.close()
            return "421 closing"
        if address in self.reject:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        address = envelope.rcpt_tos[0]
        with self.lock:
            if self.burst:
                if self.accepted_in_row >= self.burst:
                    self.accepted_in_row = 0
                    self.refused += 1
                    return "451 4.7.1 rate limited, try again later"
                self.accepted_in_row += 1
            self.messages.append((envelope.mail_from, address, envelope.content))
            self.counts[address] += 1
        if self.drop_at.get(address) == "data":
            del self.drop_at[address]
            server.transport.close()
            return "250 OK (never heard)"
        return "250 OK"

    def parsed(self, address=None):
        return [
            message_from_bytes(content, policy=policy.SMTP)
            for _sender, to, content in self.messages
            if address is None or to == address
        ]


def start_sink(**options):
    handler = Sink(**options)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, handler


@pytest.fixture
def smtp_factory(settings):
    started = []

    def make(**options):
        controller, handler = start_sink(**options)
        started.append(controller)
        use_relay(settings, controller.port)
        return handler

    yield make
    for controller in started:
        controller.stop()


def use_relay(settings, port: int) -> None:
    for key, value in env.email(f"smtp://127.0.0.1:{port}", outbox=Path("/unused")).items():
        setattr(settings, key, value)
    settings.NEWSLETTER_RETRY_SECONDS = 0.01
    settings.EMAIL_TIMEOUT = 5


def subscriber(email: str, *, language: str = "ar", topics=(), state="active") -> Subscriber:
    person = Subscriber.objects.create(
        email=email,
        email_key=email.casefold(),
        language=language,
        state=state,
        source=Subscriber.Source.FORM,
    )
    person.topics.set(topics)
    return person


def campaign(**fields) -> Campaign:
    values = {
        "title": "Phishing season",
        "subject_ar": "احذر رسائل التصيد",
        "subject_en": "Beware of phishing",
        "body_ar": [
            ("heading", "لا تفتح الروابط المجهولة"),
            ("tip", "تحقق من عنوان المرسل قبل الرد"),
        ],
        "body_en": [("heading", "Do not open unknown links"), ("tip", "Check the sender")],
        **fields,
    }
    return Campaign.objects.create(**values)


def started(count: int = 5, **fields) -> Campaign:
    for n in range(count):
        subscriber(f"person{n}@example.org", language="en" if n % 2 else "ar")
    made = campaign(**fields)
    return services.campaign_start(campaign_id=made.pk, enqueue=False)


@pytest.fixture
def topic(db):
    # The demo content has it already; tests without the demo make it.
    return Topic.objects.get_or_create(
        slug="phishing", defaults={"name_ar": "التصيد", "name_en": "Phishing"}
    )[0]
