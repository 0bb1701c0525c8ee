"""Text hygiene for what people type: bidi controls and invisible characters.

A bidi override (U+202E) in a display name can make "evil" read as "live"; a
zero-width space makes two names look the same. We refuse them in forms and,
for text stored before a rule existed, strip them when showing it.
"""

from __future__ import annotations

import re
import unicodedata

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and marks.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Zero-width and invisible formatting characters.
INVISIBLES = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_HIDDEN = re.compile(f"[{re.escape(BIDI_CONTROLS + INVISIBLES)}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def hidden_characters(value: str) -> list[str]:
    """The bidi-control and invisible characters in ``value``, as U+XXXX names."""
    return sorted({f"U+{ord(ch):04X}" for ch in _HIDDEN.findall(value)})


def neutralise(value: str) -> str:
    """``value`` without bidi controls, invisible or control characters, NFC-normalised."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", _HIDDEN.sub("", value)))
