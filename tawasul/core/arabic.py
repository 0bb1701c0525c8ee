"""Arabic-aware text normalisation: one spelling per word for matching, never for display.

People write Arabic every which way: with or without harakat, with tatweel to stretch a
word (``دشنـت``), with any of the alef forms, ة or ه, ى or ي, a hamza on any seat,
Persian letters from a Persian keyboard, presentation forms pasted from a PDF, and
Arabic-Indic digits. :func:`normalise` folds all of these to one form, so that two
spellings of one word compare equal. The comments app matches its blocklist with it;
search uses the same function at index and query time, and adds what search needs beyond
it in ``tawasul/search/analysis.py``: prefixes, light stemming, ranking.

The result is a *matching key*: it is never shown to anyone and never stored in place
of what a person wrote.

What :func:`normalise` does, in order:

1. Unicode NFKC: presentation forms (``ﺍﻟﻮﺯﺍﺭﺓ`` → ``الوزارة``, ``ﻻ`` → ``لا``),
   full-width Latin (``ｆｏｏ`` → ``foo``) and other compatibility characters.
2. Removes bidi controls, zero-width and other invisible characters (``core.text``),
   harakat and Quranic marks (U+064B–U+065F, U+0670, U+06D6–U+06ED) and tatweel (U+0640).
3. Folds letters: ``أ إ آ ٱ`` → ``ا``; ``ى ی`` → ``ي``; ``ة`` → ``ه``; ``ؤ ئ`` → ``ء``
   (so ``مسئول`` = ``مسؤول``); ``ک`` → ``ك``; ``ۀ ە`` → ``ه``; ``گ`` → ``ك``.
4. Digits: Arabic-Indic and Eastern Arabic-Indic → ``0-9``.
5. Case-folds Latin letters and collapses every run of white space to one space.

:func:`squeeze` then collapses letters repeated for emphasis (``رااااائع`` → ``رائع``),
which blocklists want and search may not (``الله`` keeps its two lams only if you skip it).
"""

from __future__ import annotations

import re
import unicodedata

from tawasul.core.text import BIDI_CONTROLS, INVISIBLES

HARAKAT = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
TATWEEL = "\u0640"
_HIDDEN = re.compile(f"[{re.escape(BIDI_CONTROLS + INVISIBLES + TATWEEL)}]")
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"(\w)\1+")

_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ې": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ؤ": "ء",
        "ئ": "ء",
        "ک": "ك",  # Persian keheh
        "گ": "ك",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)


def normalise(text: str) -> str:
    """The matching key of ``text``: folded spelling, no marks, lower case, single spaces.

    Idempotent: ``normalise(normalise(x)) == normalise(x)``.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    folded = _HIDDEN.sub("", folded)
    folded = HARAKAT.sub("", folded)
    folded = folded.translate(_LETTERS).casefold()
    # NFKC may leave combining marks of other scripts; drop them so "é" and "e" match.
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    return _SPACES.sub(" ", folded).strip()


def squeeze(text: str) -> str:
    """Collapse letters repeated in a row (``حماااار`` → ``حمار``, ``soooo`` → ``so``)."""
    return _REPEATS.sub(r"\1", text)


def is_arabic(text: str) -> bool:
    """Whether ``text`` has at least one Arabic letter."""
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)
