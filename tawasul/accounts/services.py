"""Every change to accounts goes through here (views, admin, commands and tasks call these)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation

from tawasul.accounts.models import User, normalise_email

log = logging.getLogger("tawasul.accounts")
VERIFY_SALT = "tawasul.accounts.verify-email"


class DuplicateEmail(Exception):
    """Another account already uses this address (found at insert time)."""


def user_register(
    *, email: str, password: str, display_name: str = "", language: str = "ar", base_url: str
) -> User:
    """Create a citizen account and queue the verification mail.

    Idempotent in effect under concurrency: the case-insensitive unique constraint
    lets exactly one of two simultaneous sign-ups with one address succeed; the
    other gets ``DuplicateEmail``. The mail is queued only after the commit.
    """
    from tawasul.accounts import tasks

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=normalise_email(email),
                password=password,
                display_name=display_name,
                preferred_language=language,
            )
    except IntegrityError:
        raise DuplicateEmail(email) from None
    transaction.on_commit(
        lambda: tasks.send_verification_email.enqueue(user_id=user.pk, base_url=base_url)
    )
    log.info("account registered", extra={"user_id": user.pk})
    return user


def verification_token_make(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True)


def verification_token_read(token: str) -> User | None:
    """The user a verification link was made for, or None when stale, forged or changed."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email != data.get("e"):
        return None
    return user


def user_send_verification(*, user_id: int, base_url: str) -> bool:
    """Mail the verification link, in the person's language. False if nothing to send."""
    user = User.objects.filter(pk=user_id, is_active=True, email_verified_at=None).first()
    if user is None:
        return False
    with translation.override(user.preferred_language):
        path = reverse("accounts:verify", kwargs={"token": verification_token_make(user)})
        context = {"user": user, "link": f"{base_url}{path}", "days": 3}
        subject = loader.render_to_string("accounts/email/verify_subject.txt", context).strip()
        body = loader.render_to_string("accounts/email/verify_body.txt", context)
    send_account_email(subject=subject, body=body, to=user.email)
    return True


def user_resend_verification(*, email: str, base_url: str) -> None:
    """Queue a new verification link if ``email`` has an unconfirmed account.

    Says nothing either way, so the form cannot be used to learn who has an account.
    """
    from tawasul.accounts import tasks

    user = User.objects.filter(
        email=normalise_email(email), email_verified_at=None, is_active=True
    ).first()
    if user is not None:
        tasks.send_verification_email.enqueue(user_id=user.pk, base_url=base_url)


def user_verify_email(*, user: User) -> bool:
    """Mark the address verified. Idempotent: True only the first time."""
    updated = User.objects.filter(pk=user.pk, email_verified_at=None).update(
        email_verified_at=timezone.now()
    )
    if updated:
        user.refresh_from_db(fields=["email_verified_at"])
    return bool(updated)


def user_update_profile(*, user: User, display_name: str, preferred_language: str) -> User:
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.save(update_fields=["display_name", "preferred_language"])
    return user


# Other apps add functions that return their part of a person's data: f(user) -> dict.
DATA_EXPORTERS: dict[str, Any] = {}


def user_export_data(*, user: User) -> dict:
    """Everything Tawasul holds about a person, as JSON-ready data."""
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_verified_at": (
                user.email_verified_at.isoformat() if user.email_verified_at else None
            ),
        }
    }
    for name, exporter in sorted(DATA_EXPORTERS.items()):
        data[name] = exporter(user)
    data["exported_at"] = timezone.now().isoformat()
    return data


# Other apps add functions that tidy their data before an account is deleted:
# f(user) -> None, run in the deletion's transaction (e.g. comments keeps published
# comments, detached, and erases the ones nobody else saw).
DATA_ERASERS: dict[str, Any] = {}


def user_delete(*, user: User) -> None:
    """Erase the account, in one transaction. Each app's eraser runs first; then what
    others depend on (e.g. replies) is kept by each app's on_delete rule, detached from
    the person."""
    user_id = user.pk
    with transaction.atomic():
        for _name, eraser in sorted(DATA_ERASERS.items()):
            eraser(user)
        user.delete()
    log.info("account deleted", extra={"user_id": user_id})


def send_account_email(*, subject: str, body: str, to: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()
