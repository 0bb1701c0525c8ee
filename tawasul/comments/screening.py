"""Automatic screening of a comment before it is stored.

Screening never refuses and never drops a comment: what it finds is a list of *flags*
(code and detail), stored with the comment, which then waits in the moderation queue
whatever the moderation mode. Moderators see each flag with its reason.

- ``blocklist``: a blocked word or phrase, matched on ``core.arabic.normalise`` keys, so
  harakat, tatweel, letter variants (أ/ا, ة/ه, ى/ي, Persian letters, presentation forms),
  letters repeated for emphasis, and spaces or punctuation between letters do not hide it.
  Arabic words are found with their usual clitics (و ف ب ك ل ال) and suffixes; Latin ones
  also through common character swaps (``1d10t``, ``$pam``).
- ``links``: more links than the site allows (``CommentSettings.max_links``).
- ``duplicate``: the same text (same matching key) posted before by the same person, or
  by several people (copy-and-paste campaigns).
- ``rate_user`` / ``rate_ip``: more comments in a minute than a person usually writes
  (set by the service from ``core.ratelimit``; past twice the limit it refuses instead).
- ``honeypot``: the hidden field that only programs fill in.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tawasul.core.arabic import is_arabic, normalise, squeeze

BUILTIN_BLOCKLIST = Path(__file__).resolve().parent / "blocklist.txt"
DUPLICATE_WINDOW = timedelta(days=1)
CAMPAIGN_MIN_LENGTH = 30  # "thank you" from two people is not a campaign
CAMPAIGN_AUTHORS = 2

LABELS = {
    "blocklist": _("Contains a blocked word"),
    "links": _("Too many links"),
    "duplicate": _("Same text posted before"),
    "rate_user": _("Many comments in a short time from this account"),
    "rate_ip": _("Many comments in a short time from this network address"),
    "honeypot": _("The hidden field was filled in (probably a program)"),
}

_ARABIC_PREFIX = "(?:وال|بال|فال|كال|لل|ال|و|ف|ب|ك|ل)?"
_ARABIC_SUFFIX = "(?:ها|هم|هن|كم|ات|ون|ين|ان|ه|ي|ك)?"
_LATIN_SUFFIX = "(?:s|es|ed|ing|er|ers)?"
_GAP = r"[\W_]*"  # anything that is not a letter or digit: spaces, dots, dashes
_NOT_LETTER_BEFORE = r"(?<![^\W_])"
_NOT_LETTER_AFTER = r"(?![^\W_])"
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"(?<![\w.@/])(?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|io|me|ly|gl|co|ru|xyz|top|site|"
    r"online|link|click|sa|qa|ae|eg|kw|bh|om|jo|gov|edu)(?![\w-])(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Flag:
    code: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "detail": self.detail}


def matching_key(text: str) -> str:
    """The text as screening compares it: normalised, repeats squeezed."""
    return squeeze(normalise(text))


def content_hash(text: str) -> str:
    """A fingerprint of the text that ignores spelling variants, marks and spacing."""
    key = re.sub(r"[\W_]+", "", matching_key(text))
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def _term_pattern(term: str) -> str | None:
    key = re.sub(r"[\W_]+", "", matching_key(term))
    if len(key) < 2:
        return None
    letters = _GAP.join(f"(?:{re.escape(ch)})+" for ch in key)
    if is_arabic(key):
        return f"{_NOT_LETTER_BEFORE}{_ARABIC_PREFIX}{letters}{_ARABIC_SUFFIX}{_NOT_LETTER_AFTER}"
    return f"{_NOT_LETTER_BEFORE}{letters}{_LATIN_SUFFIX}{_NOT_LETTER_AFTER}"


@functools.lru_cache(maxsize=8)
def _compiled(terms: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    compiled = []
    for term in terms:
        pattern = _term_pattern(term)
        if pattern:
            compiled.append((term, re.compile(pattern)))
    return compiled


def parse_terms(text: str) -> list[str]:
    """Terms from a one-per-line list; blank lines and lines starting with # are skipped."""
    terms = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line)
    return terms


@functools.lru_cache(maxsize=1)
def builtin_terms() -> tuple[str, ...]:
    return tuple(parse_terms(BUILTIN_BLOCKLIST.read_text(encoding="utf-8")))


def blocked_terms_in(text: str, extra_terms: str = "") -> list[str]:
    """The blocked terms ``text`` contains (the terms as listed, in list order)."""
    terms = tuple(dict.fromkeys(builtin_terms() + tuple(parse_terms(extra_terms))))
    key = normalise(text)
    variants = {key, key.translate(_LEET)}
    return [term for term, pattern in _compiled(terms) if any(pattern.search(v) for v in variants)]


def links_in(text: str) -> list[str]:
    """Every link in the text: http(s) and www. addresses, and bare domain names."""
    found = [match.group(0) for match in URL.finditer(text)]
    rest = URL.sub(" ", text)
    found += [match.group(0) for match in _BARE_DOMAIN.finditer(rest)]
    return found


def duplicates_of(*, text_hash: str, author_id: int | None, exclude_pk: int | None = None) -> str:
    """Why the text counts as a duplicate ("" when it does not)."""
    from tawasul.comments.models import Comment

    if not text_hash:
        return ""
    since = timezone.now() - DUPLICATE_WINDOW
    same = Comment.objects.filter(content_hash=text_hash, created_at__gte=since, deleted_at=None)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if author_id is not None and same.filter(author_id=author_id).exists():
        return "author"
    return ""


def campaign_of(*, text: str, text_hash: str, author_id: int | None, exclude_pk=None) -> str:
    from tawasul.comments.models import Comment

    if not text_hash or len(matching_key(text)) < CAMPAIGN_MIN_LENGTH:
        return ""
    since = timezone.now() - DUPLICATE_WINDOW
    others = (
        Comment.objects.filter(content_hash=text_hash, created_at__gte=since)
        .exclude(author_id=author_id)
        .exclude(pk=exclude_pk)
        .values("author_id")
        .distinct()
        .count()
    )
    return "others" if others >= CAMPAIGN_AUTHORS - 1 else ""


def screen(
    *,
    text: str,
    author_id: int | None,
    comment_settings,
    honeypot: bool = False,
    rate_flags: list[Flag] | None = None,
    exclude_pk: int | None = None,
) -> list[Flag]:
    """Everything that holds this text for a moderator (empty: nothing found)."""
    flags: list[Flag] = list(rate_flags or [])
    terms = blocked_terms_in(text, comment_settings.blocked_terms)
    if terms:
        flags.append(Flag("blocklist", ", ".join(terms)))
    links = links_in(text)
    if len(links) > comment_settings.max_links:
        flags.append(Flag("links", str(len(links))))
    text_hash = content_hash(text)
    duplicate = duplicates_of(text_hash=text_hash, author_id=author_id, exclude_pk=exclude_pk)
    duplicate = duplicate or campaign_of(
        text=text, text_hash=text_hash, author_id=author_id, exclude_pk=exclude_pk
    )
    if duplicate:
        flags.append(Flag("duplicate", duplicate))
    if honeypot:
        flags.append(Flag("honeypot"))
    return flags


def describe(flag: dict) -> str:
    """A flag as a moderator reads it."""
    label = str(LABELS.get(flag.get("code", ""), flag.get("code", "")))
    detail = flag.get("detail") or ""
    if flag.get("code") == "duplicate":
        detail = {"author": _("by the same person"), "others": _("by other people")}.get(
            detail, detail
        )
    return f"{label}: {detail}" if detail else label
