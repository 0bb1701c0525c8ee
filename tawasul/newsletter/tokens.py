"""Signed, opaque tokens in newsletter links.

- confirm: double opt-in; expires (``NEWSLETTER_CONFIRM_SECONDS``, default three days).
- manage: preferences, export, erase and unsubscribe (List-Unsubscribe); does not expire,
  is tied to the subscriber's ``token_version`` (bumped on erase) so old links die.
- bounce: the VERP local part of a delivery's envelope sender.

Tokens carry only ids and are signed with SECRET_KEY (django.core.signing): nothing in
them can be forged or read as an address.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "tawasul.newsletter.confirm"
MANAGE_SALT = "tawasul.newsletter.manage"
BOUNCE_SALT = "tawasul.newsletter.bounce"


def confirm_token(subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.token_version], salt=CONFIRM_SALT)


def read_confirm(token: str) -> tuple[int, int] | None:
    max_age = getattr(settings, "NEWSLETTER_CONFIRM_SECONDS", 3 * 24 * 3600)
    try:
        pk, version = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        return int(pk), int(version)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def manage_token(subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.token_version], salt=MANAGE_SALT)


def read_manage(token: str) -> tuple[int, int] | None:
    try:
        pk, version = signing.loads(token, salt=MANAGE_SALT)
        return int(pk), int(version)
    except (signing.BadSignature, ValueError, TypeError):
        return None


_bounce_signer = signing.Signer(salt=BOUNCE_SALT, sep=".")


def bounce_local_part(delivery_id: int) -> str:
    """``d123.SIG`` (lower case, no '+', '=' or ':' so it survives any relay)."""
    signed = _bounce_signer.sign(str(delivery_id))
    value, signature = signed.split(".", 1)
    return f"d{value}.{signature[:16].lower()}"


def read_bounce_local_part(local: str) -> int | None:
    if not local.startswith("d") or "." not in local:
        return None
    value, signature = local[1:].split(".", 1)
    if not value.isdigit():
        return None
    expected = _bounce_signer.sign(value).split(".", 1)[1][:16].lower()
    return int(value) if signature == expected else None
