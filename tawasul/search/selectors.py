"""Searching: results with highlighted snippets drawn from the original text, and "did you
mean" from the index's own vocabulary when nothing is found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from tawasul.search import backends, registry
from tawasul.search.analysis import WORD, analyse_word, head, written_word
from tawasul.search.models import SearchDocument, SearchTerm
from tawasul.search.query import ParsedQuery, parse

SNIPPET_CHARS = 110  # on each side of the first match
SUGGESTION_CANDIDATES = 5_000


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: str
    title_html: SafeString
    url: str
    slug: str
    snippet_html: SafeString
    language: str
    published_at: dt.datetime | None
    score: float


@dataclass
class Results:
    query: ParsedQuery
    total: int = 0
    total_all: int = 0  # of them, with every word of the query (listed first)
    hits: list[Hit] = field(default_factory=list)
    suggestion: str | None = None
    first_partial: int | None = None  # index in hits where results with some words start

    @property
    def full_hits(self) -> list[Hit]:
        """The hits of this page that hold every word of the query."""
        return self.hits if self.first_partial is None else self.hits[: self.first_partial]

    @property
    def partial_hits(self) -> list[Hit]:
        """The hits of this page that hold only some of the words."""
        return [] if self.first_partial is None else self.hits[self.first_partial :]


def _keys(query: ParsedQuery) -> tuple[set[str], set[str]]:
    exact, stems = set(), set()
    for term in query.words():
        exact.add(term.exact)
        if not term.stopword:
            stems.add(term.stem)
            stems.update(term.alternates)
    return exact, stems


def _matches(word: str, stem: str, exact: set[str], stems: set[str]) -> bool:
    if word in exact:
        return True
    if stem in stems or word.startswith("و"):
        _, alternates, stopword = analyse_word(word)
        return (stem in stems and not stopword) or any(alt in stems for alt in alternates)
    return False


def _marked(
    text: str,
    exact: set[str],
    stems: set[str],
    *,
    reach: int | None = None,
    analysed: tuple[str, str] | None = None,
) -> list[tuple[int, int]]:
    """Where the query's words stand in ``text`` (start, end).

    With ``reach``, reading stops that many characters after the first match: a snippet
    needs no more, and long texts are not read to the end. ``analysed``: the index's
    exact and stem forms of ``text`` (one per word, in order), which spare analysing its
    words again; if they do not line up with the text, the words are analysed.
    """
    if analysed is not None:
        spans = _marked_aligned(text, *analysed, exact, stems, reach)
        if spans is not None:
            return spans
    spans = []
    for match in WORD.finditer(text or ""):
        if reach is not None and spans and match.start() > spans[0][1] + reach:
            break
        forms = written_word(match.group())
        if forms is not None and _matches(forms[0], forms[1], exact, stems):
            spans.append((match.start(), match.end()))
    return spans


def _marked_aligned(text, exact_forms, stem_forms, exact, stems, reach):
    words, stemmed = exact_forms.split(), stem_forms.split()
    if len(words) != len(stemmed):
        return None
    spans, position = [], 0
    for match in WORD.finditer(text or ""):
        if reach is not None and spans and match.start() > spans[0][1] + reach:
            return spans
        if not any(character.isalnum() for character in match.group()):
            continue  # marks or joiners alone: folded away, not a word of the index
        if position == len(words):
            return None
        if _matches(words[position], stemmed[position], exact, stems):
            spans.append((match.start(), match.end()))
        position += 1
    return spans if position == len(words) else None


def highlight(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None):
    """``text[start:end]`` escaped, with the spans inside it in <mark>."""
    end = len(text) if end is None else end
    out, position = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        out.append(escape(text[position:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def snippet(body: str, spans: list[tuple[int, int]]) -> SafeString:
    """A passage of the original text around the first match, cut at word boundaries."""
    if not body:
        return mark_safe("")
    if not spans:
        cut = body[: SNIPPET_CHARS * 2]
        ellipsis = "…" if len(body) > len(cut) else ""
        return mark_safe(escape(cut.rsplit(" ", 1)[0] if ellipsis else cut) + ellipsis)  # noqa: S308
    first = spans[0][0]
    start = max(0, first - SNIPPET_CHARS)
    end = min(len(body), spans[0][1] + SNIPPET_CHARS)
    if start > 0:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    if end < len(body):
        space = body.rfind(" ", spans[0][1], end)
        end = space if space > 0 else end
    before = "…" if start > 0 else ""
    after = "…" if end < len(body) else ""
    return mark_safe(before + highlight(body, spans, start, end) + after)  # noqa: S308


def _hits(ids_scores: list[tuple[int, float]], query: ParsedQuery) -> list[Hit]:
    documents = SearchDocument.objects.defer("updated_at", "alternates").in_bulk(
        [document_id for document_id, _ in ids_scores]
    )
    exact, stems = _keys(query)
    hits = []
    for document_id, score in ids_scores:
        document = documents.get(document_id)
        if document is None:
            continue
        source = registry.source(document.kind)
        hits.append(
            Hit(
                kind=document.kind,
                kind_label=str(source.label) if source else document.kind,
                title=document.title,
                title_html=highlight(
                    document.title,
                    _marked(
                        document.title,
                        exact,
                        stems,
                        analysed=(document.title_exact, document.title_stem),
                    ),
                ),
                url=document.url,
                slug=document.url.rstrip("/").rsplit("/", 1)[-1],
                snippet_html=snippet(
                    document.body,
                    _marked(
                        document.body,
                        exact,
                        stems,
                        reach=SNIPPET_CHARS,
                        analysed=(document.body_exact, document.body_stem),
                    ),
                ),
                language=document.language,
                published_at=document.published_at,
                score=round(score, 4),
            )
        )
    return hits


def _correction(word: str) -> str | None:
    """The closest word of the index's vocabulary, or None when none is close enough."""
    allowed = 1 if len(word) <= 4 else 2
    candidates = dict(
        SearchTerm.objects.filter(
            head=head(word), length__gte=len(word) - allowed, length__lte=len(word) + allowed
        )
        .order_by("-documents")
        .values_list("term", "documents")[:SUGGESTION_CANDIDATES]
    )
    matches = process.extract(
        word,
        list(candidates),
        scorer=DamerauLevenshtein.distance,
        score_cutoff=allowed,
        limit=20,
    )
    if not matches:
        return None
    term = min(matches, key=lambda match: (match[1], -candidates[match[0]]))[0]
    return SearchTerm.objects.filter(term=term).values_list("display", flat=True).first()


def suggest(query: ParsedQuery, filters: backends.Filters) -> str | None:
    """A corrected query built from words the index holds, if it finds something."""
    words = [term for term in query.words() if not term.stopword]
    known = set(
        SearchTerm.objects.filter(term__in=[term.exact for term in words]).values_list(
            "term", flat=True
        )
    )
    text, changed = query.text, False
    # From the end, so the places of the words still to replace stay right.
    for term in sorted(words, key=lambda term: term.start, reverse=True):
        if term.exact in known:
            continue
        replacement = _correction(term.exact)
        if replacement is None:
            continue
        text = text[: term.start] + replacement + text[term.end :]
        changed = True
    if not changed:
        return None
    corrected = parse(text)
    if corrected.empty or backends.search(corrected, filters, offset=0, limit=1).total == 0:
        return None
    return corrected.text


def search(
    text: str,
    *,
    kinds: list[str] | None = None,
    language: str | None = None,
    date_from: dt.datetime | None = None,
    date_to: dt.datetime | None = None,
    page: int = 1,
    page_size: int = 10,
) -> Results:
    """One page of results for what a person typed, best first."""
    query = parse(text)
    results = Results(query=query)
    if query.empty:
        return results
    filters = backends.Filters(kinds, language, date_from, date_to)
    offset = (page - 1) * page_size
    found = backends.search(query, filters, offset=offset, limit=page_size)
    results.total, results.total_all = found.total, found.total_all
    results.hits = _hits(found.page, query)
    if found.total > found.total_all and offset + len(results.hits) > found.total_all:
        results.first_partial = max(0, found.total_all - offset)
    if results.total == 0:
        results.suggestion = suggest(query, filters)
    return results
