"""Keeping automated floods out of public forms, without any third-party service.

Two tools, used together by every form anonymous visitors can send (votes, questions,
subscriptions) and partly by signed-in ones:

- **Honeypot**: a field people never see (hidden by the stylesheet) and bots fill in.
- **Human check**: a proof-of-work challenge in the ALTCHA format (version 1, SHA-256):
  the visitor's browser finds the number whose hash with the challenge's salt gives the
  challenge, which costs it a second of work and a flood of a million requests a million
  seconds. The challenge is signed with a key derived from ``SECRET_KEY``, expires after
  :data:`CHALLENGE_MINUTES`, is bound to one purpose (its *scope*) and is accepted once.
  Without JavaScript (or without Web Crypto, on a site not served over HTTPS) the same
  form asks a small arithmetic question instead, signed and single-use in the same way,
  so the form keeps working for everyone.

API clients get a challenge from ``GET /api/v1/challenge?scope=...`` and send the solved
payload (base64 JSON, as ALTCHA's widget sends it) with their request.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from datetime import UTC, datetime, timedelta

import altcha
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CHALLENGE_MINUTES = 30
QUESTION_SALT = "tawasul.core.antibot.question"
MAX_PAYLOAD = 4000
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _hmac_key() -> str:
    return hashlib.sha256(f"tawasul.core.antibot:{settings.SECRET_KEY}".encode()).hexdigest()


def _spend(kind: str, nonce: str) -> bool:
    """True the first time a challenge or question is used; False on every replay.

    With the cache down, a replay cannot be detected; the signature and expiry still
    hold, so the check passes rather than locking every visitor out.
    """
    try:
        return cache.add(f"tawasul:antibot:{kind}:{nonce}", 1, timeout=CHALLENGE_MINUTES * 60 + 60)
    except Exception:
        return True


# ---------------------------------------------------------------- proof of work
def challenge_new(*, scope: str) -> dict:
    """A fresh ALTCHA challenge for one submission of ``scope`` (JSON-ready)."""
    expires = datetime.now(UTC) + timedelta(minutes=CHALLENGE_MINUTES)
    challenge = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            algorithm="SHA-256",
            hmac_key=_hmac_key(),
            max_number=settings.TAWASUL_POW_MAX_NUMBER,
            expires=expires,
            params={"scope": scope},
        )
    )
    return challenge.to_dict()


def solution_valid(payload: str | None, *, scope: str, spend: bool = True) -> bool:
    """Whether ``payload`` (base64 JSON) solves a challenge we issued for ``scope``,
    unexpired and not used before. Marks it used in the cache.

    ``spend=False`` leaves the cache alone, for a caller that stores the solution's
    signature under a unique constraint in the same write that uses it (a poll vote's
    ``proof``): the database then refuses a replay, on every host, without the cache's
    round trip."""
    if not payload or len(payload) > MAX_PAYLOAD:
        return False
    try:
        ok, _error = altcha.verify_solution_v1(payload, _hmac_key(), check_expires=True)
        data = altcha.PayloadV1.from_base64(payload)
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    if not ok or data.algorithm != "SHA-256":
        return False
    params = altcha.extract_params_v1(data.to_dict())
    if params.get("scope") != [scope] or not params.get("expires"):
        return False
    return _spend("pow", data.signature) if spend else True


def solve(challenge: dict) -> str:
    """Solve a challenge as a browser would (tests and API examples); returns the payload."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], "SHA-256", challenge["maxNumber"], 0
    )
    if solution is None:
        raise ValueError("challenge has no solution")
    return altcha.PayloadV1(
        "SHA-256",
        challenge["challenge"],
        solution.number,
        challenge["salt"],
        challenge["signature"],
    ).to_base64()


# ---------------------------------------------------------------- the question
def question_new(*, scope: str) -> dict:
    """A small sum in the visitor's language and its signed, single-use token."""
    first, second = secrets.randbelow(8) + 2, secrets.randbelow(8) + 1
    token = signing.dumps(
        {"s": scope, "a": first + second, "n": secrets.token_hex(8)}, salt=QUESTION_SALT
    )
    text = gettext("How much is %(first)s plus %(second)s? (digits)") % {
        "first": first,
        "second": second,
    }
    return {"text": text, "token": token}


def answer_valid(token: str | None, answer: str | None, *, scope: str) -> bool:
    if not token or not answer or len(token) > 500:
        return False
    try:
        data = signing.loads(token, salt=QUESTION_SALT, max_age=CHALLENGE_MINUTES * 60)
    except signing.BadSignature:
        return False
    digits = answer.strip().translate(_ARABIC_DIGITS)
    if data.get("s") != scope or not digits.isdigit() or int(digits) != data.get("a"):
        return False
    return _spend("question", data["n"])


# ---------------------------------------------------------------- forms
class HoneypotForm(forms.Form):
    """Adds the ``website`` field that people never see; a value there is a bot.

    ``honeypot_rejects = True`` (the default) makes it a form error. A form whose
    submissions must never be lost (comments) sets it to False and reads
    ``form.honeypot_tripped`` to hold the submission for review instead.
    """

    honeypot_rejects = True
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))

    def clean_website(self) -> str:
        self.honeypot_tripped = bool(self.cleaned_data.get("website"))
        if self.honeypot_tripped and self.honeypot_rejects:
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""


class HumanCheckForm(forms.Form):
    """Adds the human check (proof of work, or the question without JavaScript).

    Set ``human_scope`` on the subclass (e.g. ``"polls:vote"``). Render the form with
    ``core/includes/form.html``, which places the check after the other fields.
    ``human_check_skipped = True`` (set per instance, e.g. for signed-in people) turns
    the check off.
    """

    human_scope = "form"
    human_check_skipped = False

    altcha = forms.CharField(required=False, max_length=MAX_PAYLOAD, widget=forms.HiddenInput)
    human_token = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    human_answer = forms.CharField(
        required=False,
        max_length=12,
        label=_("Answer"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("altcha", "human_token", "human_answer"):
            self.fields[name].human_check = True

    def clean(self):
        cleaned = super().clean()
        if self.human_check_skipped:
            return cleaned
        if solution_valid(cleaned.get("altcha"), scope=self.human_scope):
            return cleaned
        if answer_valid(
            cleaned.get("human_token"), cleaned.get("human_answer"), scope=self.human_scope
        ):
            return cleaned
        if cleaned.get("human_answer"):
            message = _("That answer is not right, or the question has expired. Try this one.")
        else:
            message = _("Please answer the question below, so we know a person is sending this.")
        self.add_error("human_answer", forms.ValidationError(message, code="human_check"))
        return cleaned

    def human_check(self) -> dict | None:
        """A new challenge and question each time the form is shown."""
        if self.human_check_skipped:
            return None
        challenge = challenge_new(scope=self.human_scope)
        question = question_new(scope=self.human_scope)
        return {
            "challenge_json": json.dumps(challenge),
            "question": question["text"],
            "token": question["token"],
            "answer": self["human_answer"],
            "expires": int(time.time()) + CHALLENGE_MINUTES * 60,
        }
