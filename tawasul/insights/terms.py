"""The words and two-word phrases of a text, as the dashboard counts them.

Words are the search analyser's matching keys (``search.analysis.tokens``: ``exact``), so
spelling variants (harakat, tatweel, alef and hamza forms, ة/ه, ى/ي, Latin case) count as
one; the analyser's Arabic and English stopword lists are reused. Numbers, one-letter
words, e-mail addresses and links are left out. A phrase is two words that stand next to
each other with no stopword between them.

Each text counts a term once (the dashboard counts texts that mention a term, so one
long text repeating a word does not outweigh many people).
"""

from __future__ import annotations

import re

from tawasul.search.analysis import iter_tokens

MIN_LETTERS = 2
MAX_TERM = 120
# Removed before tokenising: what could identify someone or only be noise.
NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)


def keep(token) -> bool:
    return not token.stopword and len(token.exact) >= MIN_LETTERS and not token.exact.isdigit()


def terms_of(text: str, *, exclude: frozenset[str] = frozenset()) -> set[str]:
    """The distinct words and two-word phrases of ``text`` (normalised forms), without
    stopwords and without any word in ``exclude`` (normalised; e.g. the writer's name)."""
    found: set[str] = set()
    previous = None
    for token in iter_tokens(NOISE.sub(" ", text or "")):
        if not keep(token) or token.exact in exclude:
            previous = None
            continue
        found.add(token.exact)
        if previous is not None:
            phrase = f"{previous} {token.exact}"
            if len(phrase) <= MAX_TERM:
                found.add(phrase)
        previous = token.exact
    return {term for term in found if len(term) <= MAX_TERM}


def words_of(text: str) -> frozenset[str]:
    """Every normalised word of ``text`` (for leaving a name out of a text's terms)."""
    return frozenset(token.exact for token in iter_tokens(text or ""))


def normalise_term(text: str) -> str:
    """A term as typed (one word or two) in the form the dashboard stores it."""
    return " ".join(token.exact for token in iter_tokens(text or ""))[:MAX_TERM]


def mentions(text: str, term: str) -> bool:
    """Whether ``text`` contains ``term`` (a stored word or phrase)."""
    return term in terms_of(text)
