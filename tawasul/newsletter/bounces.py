"""Delivery-status notifications, complaints and unsubscribe mails, matched to a
subscriber: by the VERP envelope address first (``bounces+d<id>.<sig>@...``, see
tokens.py), else by the failed addresses flufl.bounce finds in the report.

A hard (permanent) failure or a complaint (an ARF feedback report) suppresses at once;
soft (temporary) failures after N in a window (services.bounce_record).
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import Message

from flufl.bounce import all_failures

from tawasul.newsletter import services, tokens
from tawasul.newsletter.models import Bounce, Delivery

VERP = re.compile(r"\+(d\d+\.[a-z0-9_-]+)@", re.IGNORECASE)
UNSUBSCRIBE_SUBJECT = re.compile(r"^\s*unsubscribe\s+(d\d+\.[a-z0-9_-]+)\s*$", re.IGNORECASE)


@dataclass
class Outcome:
    kind: str  # hard, soft, complaint, unsubscribe, or "" when nothing matched
    matched: str = ""
    suppressed: bool = False


def _delivery_from(message: Message) -> Delivery | None:
    for header in ("Delivered-To", "X-Original-To", "Envelope-To", "To"):
        for value in message.get_all(header, []):
            found = VERP.search(str(value))
            if found:
                pk = tokens.read_bounce_local_part(found.group(1).lower())
                if pk is not None:
                    return Delivery.objects.select_related("subscriber").filter(pk=pk).first()
    return None


def _is_complaint(message: Message) -> bool:
    return (
        message.get_content_type() == "multipart/report"
        and message.get_param("report-type", "").lower() == "feedback-report"
    )


def ingest(raw: bytes) -> Outcome:
    """Read one message and act on it (idempotent per notification only in effect:
    a second hard bounce of a suppressed address changes nothing)."""
    message = email.message_from_bytes(raw)
    subject = UNSUBSCRIBE_SUBJECT.match(str(message.get("Subject", "")))
    if subject:
        pk = tokens.read_bounce_local_part(subject.group(1).lower())
        delivery = Delivery.objects.select_related("subscriber").filter(pk=pk).first()
        if pk is not None and delivery and delivery.subscriber:
            services.subscriber_unsubscribe(subscriber=delivery.subscriber)
            return Outcome("unsubscribe", "token", True)
        return Outcome("")
    delivery = _delivery_from(message)
    if _is_complaint(message):
        kind, addresses = Bounce.Kind.COMPLAINT, set()
    else:
        temporary, permanent = all_failures(message)
        if permanent:
            kind, addresses = Bounce.Kind.HARD, permanent
        elif temporary:
            kind, addresses = Bounce.Kind.SOFT, temporary
        else:
            return Outcome("")
    if delivery is not None and delivery.subscriber is not None:
        suppressed = services.bounce_record(
            address=delivery.subscriber.email_key, kind=kind, delivery=delivery
        )
        return Outcome(kind, "verp", suppressed)
    if not addresses:
        return Outcome("")
    suppressed = False
    for address in addresses:
        text = address.decode(errors="replace") if isinstance(address, bytes) else address
        suppressed = services.bounce_record(address=text, kind=kind) or suppressed
    return Outcome(kind, "report", suppressed)
