"""The one analyser of search: the same at index time and at query time, on every database.

Each word of a text becomes a :class:`Token` that keeps where it stood in the original (for
snippets and highlighting) and carries three forms:

- ``exact``: the word's matching key (``core.arabic.normalise``: harakat, tatweel, alef
  forms, ة/ه, ى/ي, hamza seats, digits, presentation forms, Persian letters and invisible
  characters folded; Latin case-folded). Exact forms rank above stems.
- ``stem``: Arabic light stemming (one prefix of وال بال كال فال لل ال, then suffixes,
  always leaving at least three letters; never root extraction, so مواقع and وقع stay
  apart) or English Snowball stemming.
- ``alternates``: for a word that starts with و, the stem of the word without it. وزارة
  keeps its و as a letter (stem وزار, which الوزارة, والوزارة and وزارات share), and وقرار
  also offers قرار. Alternates are indexed in a column of their own, apart from the
  stems, so phrase positions stay aligned.

Stopwords are kept as exact forms (a stopword-only query still finds something) and
skipped when a query has other words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from tawasul.core.arabic import is_arabic, normalise

# A word: letters and digits (not "_"), with the marks, tatweel and joiners that may sit
# inside an Arabic word; they are folded away by normalise().
WORD = re.compile(r"(?:[^\W_]|[\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d\u00ad])+")
MIN_STEM = 3

# Light10's prefixes and suffixes (Larkey et al.), in normalised spelling, longest first.
PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
SUFFIXES = ("هما", "ها", "هم", "كم", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
MAX_SUFFIXES = 3
# Words light stemming would damage and that are too common to let it.
UNSTEMMED = frozenset({"الله", "لله", "بالله", "والله", "تالله", "عبدالله"})

# Kept as text, one line per group, so the lists stay readable.
ARABIC_STOPWORDS = frozenset(
    normalise(word)
    for word in """
    في من إلى الى على عن مع أن إن ان هذا هذه ذلك تلك التي الذي الذين اللذين اللتين ما لا لم لن
    قد كان كانت يكون هو هي هم هن أو او ثم بين كل بعد قبل حتى عند إذا اذا إنه انه إنها انها أيضا
    ايضا غير منذ لدى ضمن نحو حول عبر خلال هناك هنا كما لكن بل و ف ب ل ك يا أي اي أين متى كيف
    لماذا ماذا نحن أنا انا أنت انت أنتم انتم هل إلا الا سوف سواء مثل عدة بعض جميع كلا وقد وهو وهي
    """.split()  # noqa: SIM905
)
ENGLISH_STOPWORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his i if in into is it
    its of on or our she so that the their them then there these they this to was we were
    what when which who will with you your""".split()  # noqa: SIM905
)
_english = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Token:
    start: int  # where the word stands in the original text
    end: int
    exact: str
    stem: str
    alternates: tuple[str, ...] = field(default=())
    stopword: bool = False


def _strip_suffixes(word: str) -> str:
    for _ in range(MAX_SUFFIXES):
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def _strip_prefix(word: str) -> str:
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix) :]
    return word


def head(word: str) -> str:
    """The first letter of a word once a prefix is set aside (ال, وال, و, ب, ...): where
    "did you mean" looks for corrections, so a typo later in the word is still caught."""
    for prefix in (*PREFIXES, "و", "ب", "ف", "ل", "ك"):
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix)]
    return word[:1]


def stem_arabic(word: str) -> tuple[str, tuple[str, ...]]:
    """(stem, alternates) of one normalised Arabic word."""
    if word in UNSTEMMED:
        return word, ()
    stem = _strip_suffixes(_strip_prefix(word))
    alternates: tuple[str, ...] = ()
    if word.startswith("و") and not word.startswith("وال") and len(word) - 1 >= MIN_STEM:
        other = _strip_suffixes(_strip_prefix(word[1:]))
        if other != stem and len(other) >= MIN_STEM:
            alternates = (other,)
    return stem, alternates


@lru_cache(maxsize=200_000)
def analyse_word(exact: str) -> tuple[str, tuple[str, ...], bool]:
    """(stem, alternates, is a stopword) of one normalised word; cached, words repeat."""
    if is_arabic(exact):
        stopword = exact in ARABIC_STOPWORDS
        if stopword:
            return exact, (), True
        stem, alternates = stem_arabic(exact)
        return stem, alternates, False
    if exact.isdigit():
        return exact, (), False
    stopword = exact in ENGLISH_STOPWORDS
    return (exact if stopword else _english.stemWord(exact)), (), stopword


@lru_cache(maxsize=300_000)
def written_word(written: str) -> tuple[str, str, tuple[str, ...], bool] | None:
    """(exact, stem, alternates, stopword) of a word as written; None when nothing is left."""
    # Folding can join or split nothing but spaces; keep one key per written word.
    exact = normalise(written).replace(" ", "")
    if not exact:
        return None
    return (exact, *analyse_word(exact))


def iter_tokens(text: str):
    """The words of ``text`` one by one (see :func:`tokens`), for reading only as far as
    needed."""
    for match in WORD.finditer(text or ""):
        forms = written_word(match.group())
        if forms is not None:
            yield Token(match.start(), match.end(), *forms)


def tokens(text: str) -> list[Token]:
    """Every word of ``text`` with its place in it and its exact, stem and alternate forms."""
    return list(iter_tokens(text))


@dataclass
class Analysed:
    """A text as the index stores it: space-separated forms, one per word (aligned)."""

    exact: str
    stem: str
    alternates: str


def analyse(text: str, words: list[Token] | None = None) -> Analysed:
    """The index's forms of ``text`` (pass its ``tokens`` if they are already known)."""
    words = tokens(text) if words is None else words
    return Analysed(
        exact=" ".join(token.exact for token in words),
        stem=" ".join(token.stem for token in words),
        alternates=" ".join(alt for token in words for alt in token.alternates),
    )
