"""What a person typed in the search box, turned into clauses the backends understand.

Supported: words (all required), "a phrase in quotes", and -word or -"a phrase" to
exclude. Everything else that looks like search syntax (``* : ( ) AND OR NEAR``, a quote
left open, SQL) is just text: it is analysed into words like the rest, so nothing a person
types can cause an error. Stopwords are dropped unless the query has nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tawasul.core.text import neutralise
from tawasul.search.analysis import Token, tokens

MAX_QUERY = 200  # characters; longer queries are cut, with a notice
MAX_CLAUSES = 12
_PARTS = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
# Operators of other search engines, typed in capitals: not words to look for.
OPERATORS = {"AND", "OR", "NOT", "NEAR"}


@dataclass
class Clause:
    """One word or one phrase: all its words, in order."""

    terms: list[Token]
    exact_only: bool = False  # a stopword: matched as written only
    alternates: list[str] = field(default_factory=list)

    @property
    def is_phrase(self) -> bool:
        return len(self.terms) > 1


@dataclass
class ParsedQuery:
    text: str  # the query as used (cleaned, maybe cut)
    required: list[Clause]
    excluded: list[Clause]
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.required

    def words(self) -> list[Token]:
        return [term for clause in self.required for term in clause.terms]


def _tokens_at(text: str, match: re.Match, group: int) -> list[Token]:
    """The words of one part of the query, with their places in the whole query."""
    offset = match.start(group)
    return [
        replace(token, start=token.start + offset, end=token.end + offset)
        for token in tokens(match.group(group))
    ]


def parse(raw: str) -> ParsedQuery:
    text = neutralise(raw or "").strip()
    truncated = len(text) > MAX_QUERY
    text = text[:MAX_QUERY]
    required: list[Clause] = []
    excluded: list[Clause] = []
    for match in _PARTS.finditer(text):
        if match.group(2) is not None:
            negate, words = match.group(1), _tokens_at(text, match, 2)
            clauses = [Clause(words)] if words else []
        else:
            negate = match.group(3)
            # A word typed with punctuation in it ("co-operation", "a:b") is several words.
            clauses = [
                Clause([token])
                for token in _tokens_at(text, match, 4)
                if text[token.start : token.end] not in OPERATORS
            ]
        (excluded if negate else required).extend(clauses)
    meaningful = [clause for clause in required if clause.is_phrase or not clause.terms[0].stopword]
    if meaningful:
        required = meaningful
    else:
        for clause in required:
            clause.exact_only = True
    excluded = [clause for clause in excluded if clause.is_phrase or not clause.terms[0].stopword]
    return ParsedQuery(
        text=text,
        required=required[:MAX_CLAUSES],
        excluded=excluded[:MAX_CLAUSES],
        truncated=truncated,
    )
