"""Reading inbound mail: who sent it, whether a machine did, which case it belongs to,
and its text and files. No side effects here; ``services.mail_ingest`` acts on it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses

from django.conf import settings

from tawasul.inquiries.mail import OWN_HEADER

_ID = re.compile(r"<[^<>\s]+>")
_MACHINE_LOCALPARTS = ("mailer-daemon", "postmaster", "no-reply", "noreply", "bounce")
_QUOTE_START = re.compile(
    r"^(on .{3,200} wrote:|في .{3,200} كتب.{0,20}:|-----original message-----)\s*$",
    re.IGNORECASE,
)


@dataclass
class Inbound:
    message_id: str
    sender: str
    subject: str
    references: list[str]
    body: str
    files: list[tuple[str, bytes]] = field(default_factory=list)
    machine: str = ""  # why it is automatic mail, if it is


def _own_addresses() -> set[str]:
    addresses = {settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL, settings.INQUIRIES_REPLY_TO}
    return {address.lower() for _name, address in getaddresses(list(filter(None, addresses)))}


def parse(raw: bytes) -> Inbound | None:
    """The parts of a mail we use, or None when it is not a mail at all."""
    if not raw or not raw.strip():
        return None
    try:
        message: EmailMessage = message_from_bytes(raw, policy=policy.default)
        sender_header = str(message.get("From", "") or "")
        subject = str(message.get("Subject", "") or "")[:255]
        message_id = str(message.get("Message-ID", "") or "").strip()
        in_reply_to = str(message.get("In-Reply-To", "") or "")
        references = str(message.get("References", "") or "")
    except (ValueError, TypeError, IndexError, LookupError):
        return None
    addresses = getaddresses([sender_header])
    sender = addresses[0][1].strip().lower() if addresses else ""
    if "@" not in sender:
        return None
    if not _ID.fullmatch(message_id or ""):
        # No usable Message-ID: one made from the content, so a repeat is still seen.
        message_id = f"<{hashlib.sha256(raw).hexdigest()}@no-message-id>"
    inbound = Inbound(
        message_id=message_id[:255],
        sender=sender,
        subject=subject,
        references=_ID.findall(in_reply_to) + _ID.findall(references),
        body="",
    )
    inbound.machine = _machine(message, sender)
    inbound.body, inbound.files = _content(message)
    return inbound


def _machine(message, sender: str) -> str:
    auto = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto and auto != "no":
        return "auto-submitted"
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    if precedence in ("bulk", "list", "junk", "auto_reply"):
        return "precedence"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-reply"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "list"
    if sender.split("@", 1)[0] in _MACHINE_LOCALPARTS or not str(
        message.get("Return-Path", "x")
    ).strip("<> "):
        return "mailer-daemon"
    if message.get(OWN_HEADER) or sender in _own_addresses():
        return "own"
    return ""


def _content(message) -> tuple[str, list[tuple[str, bytes]]]:
    body = ""
    files: list[tuple[str, bytes]] = []
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is not None:
            body = part.get_content()
            if part.get_content_type() == "text/html":
                import nh3

                body = nh3.clean(body, tags=set())
        for attachment in message.iter_attachments():
            name = attachment.get_filename() or "file"
            data = attachment.get_payload(decode=True) or b""
            files.append((name, data))
    except (KeyError, LookupError, ValueError, AttributeError):
        pass
    return _without_quote(body), files


def _without_quote(body: str) -> str:
    """The new text of a reply: quoted lines and the quoted original dropped."""
    kept = []
    for line in body.splitlines():
        if _QUOTE_START.match(line.strip()):
            break
        if line.startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()
