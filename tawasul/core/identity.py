"""A browser's identity for anonymous participation (one vote per browser).

A random identifier kept in a signed, HTTP-only cookie. It is not a person and not
tracking: it is set only when the visitor takes part (votes), is never sent to
another site, and only says "this browser has already voted here". Clearing cookies
gets a new one, which is why anonymous forms also carry rate limits per address and
the proof-of-work check (``core.antibot``).
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings

COOKIE = "tawasul_browser"
SALT = "tawasul.core.identity"
MAX_AGE = 2 * 365 * 24 * 3600
_FORMAT = re.compile(r"^[0-9a-f]{32}$")


def browser_id(request) -> str | None:
    """The identifier this browser was given earlier, or None (absent, forged or odd)."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    return value if value and _FORMAT.match(value) else None


def browser_id_new() -> str:
    return secrets.token_hex(16)


def browser_id_remember(response, value: str) -> None:
    """Send the identifier back to the browser (call on the response to a vote)."""
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
