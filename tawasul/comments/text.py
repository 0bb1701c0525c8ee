"""A comment's text: cleaned once when stored, turned into safe HTML when shown.

Comments are plain text. What a person typed is kept, except what can only deceive or
break the page: bidi overrides and isolates, zero-width and control characters
(``core.text.neutralise``), piles of combining marks ("Zalgo" text that spills over the
lines around it), and runs of empty lines. When shown, the text is escaped, line breaks
become ``<br>``, and web addresses (``http://``, ``https://``, ``www.``) become links with
``rel="nofollow ugc noopener"``. Nothing else is ever HTML.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tawasul.core.text import neutralise

MAX_MARKS = 3  # a letter may carry shadda, a haraka and one more mark; not fifty
_BLANK_LINES = re.compile(r"\n{3,}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»،؛؟'\""


def clean(value: str) -> str:
    """The text as stored: neutralised, one kind of line break, no runs of blank lines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # Marks are counted on the decomposed text (so "á" is a letter and one mark).
    value = unicodedata.normalize("NFD", neutralise(value))
    kept, marks = [], 0
    for ch in value:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Me":
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        kept.append(ch)
    value = unicodedata.normalize("NFC", "".join(kept))
    value = "\n".join(line.rstrip() for line in value.split("\n"))
    return _BLANK_LINES.sub("\n\n", value).strip()


def _link(url: str) -> tuple[str, str]:
    """The link and whatever punctuation after it belongs to the sentence."""
    trail = ""
    while url and url[-1] in _TRAILING:
        # Keep a closing bracket that closes one opened inside the address (Wikipedia).
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        trail = url[-1] + trail
        url = url[:-1]
    return url, trail


def to_html(value: str) -> SafeString:
    """Escaped text with line breaks and auto-linked addresses; safe to put in a page."""
    value = neutralise(value or "")
    parts, position = [], 0
    for match in _URL.finditer(value):
        url, trail = _link(match.group(0))
        if len(url) < 8:
            continue
        parts.append(escape(value[position : match.start()]))
        href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        parts.append(
            format_html('<a href="{}" rel="nofollow ugc noopener" dir="ltr">{}</a>', href, url)
        )
        parts.append(escape(trail))
        position = match.end()
    parts.append(escape(value[position:]))
    html = "".join(str(part) for part in parts)
    return mark_safe(html.replace("\n", "<br>\n"))  # noqa: S308 - every part is escaped above
