"""The message each subscriber gets: their language's version of the campaign, as RTL
(Arabic) or LTR HTML with inline styles and a plain-text part, no remote images, and the
headers bulk senders must carry (RFC 2369 List-*, RFC 8058 one-click, Precedence: bulk),
optionally DKIM-signed over both unsubscribe headers.

Each campaign version is rendered once; per recipient only the links are filled in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from binascii import b2a_qp
from email import policy
from email.header import Header
from email.message import EmailMessage as MimeMessage
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import loader
from django.utils import translation
from django.utils.html import strip_tags

from tawasul.newsletter import services, tokens
from tawasul.newsletter.models import Campaign, Delivery, Subscriber

UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/"
MANAGE_MARK = "https://manage.invalid/"
TOKEN_MARK = "TOKEN-MARK"  # noqa: S105 - a placeholder, replaced per recipient
_HREF = re.compile(r'href="/')
SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
]


def domain() -> str:
    return parseaddr(sender_address())[1].rpartition("@")[2] or "localhost"


def sender_address() -> str:
    return getattr(settings, "NEWSLETTER_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


def message_id(campaign_id: int, subscriber_id: int) -> str:
    """Stable per (campaign, subscriber): a retry or a resend carries the same id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{campaign_id}.{subscriber_id}".encode(), hashlib.sha256
    ).hexdigest()[:12]
    return f"<newsletter.{campaign_id}.{subscriber_id}.{digest}@{domain()}>"


def _absolute_links(html: str) -> str:
    return _HREF.sub(f'href="{settings.BASE_URL.rstrip("/")}/', html)


def render_version(campaign: Campaign, language: str) -> dict:
    """Subject, HTML and text of one language version, with link placeholders."""
    if language == "en" and campaign.subject_en and campaign.body_en:
        body, subject = campaign.body_en, campaign.subject_en
    else:
        # No English version: English readers get the Arabic one.
        body, subject, language = campaign.body_ar, campaign.subject_ar, "ar"
    items = []
    for block in body:
        if block.block_type == "awareness":
            page = block.value.specific if block.value else None
            if page is None:
                continue
            url = page.get_url(None) or ""
            if url.startswith("/"):
                url = services.absolute(url)
            items.append({"type": "link", "title": page.title, "url": url})
        elif block.block_type == "paragraph":
            html = _absolute_links(str(block.value))
            items.append({"type": "html", "html": html, "text": strip_tags(html).strip()})
        else:
            items.append({"type": block.block_type, "text": str(block.value)})
    with translation.override(language):
        context = {
            "subject": subject,
            "items": items,
            "language": language,
            "direction": "rtl" if language == "ar" else "ltr",
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "manage_url": MANAGE_MARK,
            "site_url": services.absolute("/"),
        }
        html = loader.render_to_string("newsletter/email/campaign.html", context)
        text = loader.render_to_string("newsletter/email/campaign.txt", context)
    return {"subject": subject, "html": html, "text": text}


class MessageFactory:
    """Builds the bytes sent to one subscriber; versions are rendered once per campaign."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.versions = {code: render_version(campaign, code) for code in ("ar", "en")}
        self.sender = sender_address()
        self.domain = domain()
        self.list_id = f"<newsletter.{self.domain}>"
        self.unsubscribe_mailbox = (
            getattr(settings, "NEWSLETTER_UNSUBSCRIBE_MAILBOX", "") or f"unsubscribe@{self.domain}"
        )
        bounce = getattr(settings, "NEWSLETTER_BOUNCE_ADDRESS", "") or f"bounces@{self.domain}"
        self.bounce_local, _at, self.bounce_domain = bounce.rpartition("@")
        self.dkim = _dkim_config()
        self.url_patterns = {
            code: (
                services._localized_url("newsletter:unsubscribe", code, token=TOKEN_MARK),
                services._localized_url("newsletter:manage", code, token=TOKEN_MARK),
            )
            for code in ("ar", "en")
        }
        name, address = parseaddr(self.sender)
        self.from_header = formataddr((name, address), charset="utf-8")
        self.boundary = f"tawasul-{campaign.pk}-{secrets.token_hex(12)}"
        for version in self.versions.values():
            version["subject_header"] = (
                version["subject"]
                if version["subject"].isascii() and len(version["subject"]) < 900
                else Header(version["subject"], "utf-8").encode(linesep="\r\n")
            )

    def links(self, subscriber: Subscriber) -> tuple[str, str]:
        """The unsubscribe and preferences links (URL patterns resolved once)."""
        token = tokens.manage_token(subscriber)
        language = subscriber.language if subscriber.language in self.url_patterns else "ar"
        unsubscribe, manage = self.url_patterns[language]
        return unsubscribe.replace(TOKEN_MARK, token), manage.replace(TOKEN_MARK, token)

    def envelope_sender(self, delivery: Delivery) -> str:
        """VERP: bounces+<signed delivery id>@domain, so a bounce names its delivery."""
        local = tokens.bounce_local_part(delivery.pk)
        return f"{self.bounce_local}+{local}@{self.bounce_domain}"

    def build(self, delivery: Delivery, subscriber: Subscriber) -> tuple[str, bytes]:
        """The envelope sender and the message's bytes (CRLF lines), signed if DKIM is on.

        Headers and parts are assembled from pieces encoded once per campaign; only the
        links, the recipient and the ids differ per message (the standard library's
        email generator is several times slower, and this runs for every subscriber).
        """
        version = self.versions.get(subscriber.language) or self.versions["ar"]
        if not subscriber.email.isascii():
            return self.envelope_sender(delivery), self.build_slowly(delivery, subscriber)
        unsubscribe, manage = self.links(subscriber)
        text = version["text"].replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
        html = version["html"].replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
        mailto = (
            f"mailto:{self.unsubscribe_mailbox}"
            f"?subject=unsubscribe%20{tokens.bounce_local_part(delivery.pk)}"
        )
        head = (
            f"From: {self.from_header}\r\n"
            f"To: {subscriber.email}\r\n"
            f"Subject: {version['subject_header']}\r\n"
            f"Date: {formatdate(localtime=False)}\r\n"
            f"Message-ID: {message_id(self.campaign.pk, subscriber.pk)}\r\n"
            f"List-Id: {self.list_id}\r\n"
            f"List-Unsubscribe: <{unsubscribe}>,\r\n <{mailto}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            "Precedence: bulk\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/alternative; boundary="{self.boundary}"\r\n'
            "\r\n"
        ).encode()
        data = b"".join(
            [
                head,
                f"--{self.boundary}\r\n".encode(),
                b"Content-Type: text/plain; charset=utf-8\r\n",
                b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                _qp(text),
                f"\r\n--{self.boundary}\r\n".encode(),
                b"Content-Type: text/html; charset=utf-8\r\n",
                b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
                _qp(html),
                f"\r\n--{self.boundary}--\r\n".encode(),
            ]
        )
        if self.dkim:
            data = sign(data, **self.dkim)
        return self.envelope_sender(delivery), data

    def build_slowly(self, delivery: Delivery, subscriber: Subscriber) -> bytes:
        """The same message through the standard library (internationalised addresses)."""
        version = self.versions.get(subscriber.language) or self.versions["ar"]
        unsubscribe = services.unsubscribe_url(subscriber)
        manage = services.manage_url(subscriber)
        message = MimeMessage(policy=policy.SMTPUTF8)
        message["From"] = self.sender
        message["To"] = subscriber.email
        message["Subject"] = version["subject"]
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = message_id(self.campaign.pk, subscriber.pk)
        message["List-Id"] = self.list_id
        message["List-Unsubscribe"] = (
            f"<{unsubscribe}>, <mailto:{self.unsubscribe_mailbox}"
            f"?subject=unsubscribe%20{tokens.bounce_local_part(delivery.pk)}>"
        )
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["Precedence"] = "bulk"
        message["Auto-Submitted"] = "auto-generated"
        text = version["text"].replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
        html = version["html"].replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
        message.set_content(text, cte="quoted-printable")
        message.add_alternative(html, subtype="html", cte="quoted-printable")
        data = message.as_bytes()
        if self.dkim:
            data = sign(data, **self.dkim)
        return data

    def as_django(self, delivery: Delivery, subscriber: Subscriber, data: bytes) -> EmailMessage:
        return RawEmail(data, subscriber.email)


def _dkim_config() -> dict | None:
    key_file = getattr(settings, "NEWSLETTER_DKIM_KEY_FILE", "")
    if not key_file:
        return None
    return {
        "selector": settings.NEWSLETTER_DKIM_SELECTOR,
        "domain": getattr(settings, "NEWSLETTER_DKIM_DOMAIN", "") or domain(),
        "private_key": Path(key_file).read_bytes(),
    }


def sign(data: bytes, *, selector: str, domain: str, private_key: bytes) -> bytes:
    """Prepend a DKIM-Signature (relaxed/relaxed, rsa-sha256) covering the From, Subject,
    Message-ID and both List-Unsubscribe headers, among others."""
    import dkim

    signature = dkim.sign(
        data,
        selector.encode(),
        domain.encode(),
        private_key,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=SIGNED_HEADERS,
    )
    return signature + data


def _qp(value: str) -> bytes:
    """Quoted-printable with CRLF line ends (binascii's encoder, in C)."""
    encoded = b2a_qp(value.replace("\r\n", "\n").encode(), istext=True)
    return encoded.replace(b"\n", b"\r\n")


class _RawMime:
    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.data.decode("utf-8", errors="replace")

    def get_charset(self):
        return None


class RawEmail(EmailMessage):
    """A ready-made message for Django's non-SMTP backends (the outbox, tests' locmem)."""

    def __init__(self, data: bytes, recipient: str):
        super().__init__(to=[recipient])
        self.data = data

    def message(self, *, policy=None):
        return _RawMime(self.data)
