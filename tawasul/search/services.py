"""Every write to the search index goes through here."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection, transaction

from tawasul.core.arabic import HARAKAT, TATWEEL
from tawasul.core.text import neutralise
from tawasul.search import registry
from tawasul.search.analysis import Token, analyse, analyse_word, head, tokens
from tawasul.search.models import SearchDocument, SearchTerm

log = logging.getLogger("tawasul.search")
MAX_BODY = 100_000  # characters of text kept per document
MAX_TERM = 100
BULK_SIZE = 500


@lru_cache(maxsize=100_000)
def normalise_display(word: str) -> str:
    """A word as shown in a suggestion: as written, without harakat, tatweel or joiners."""
    return HARAKAT.sub("", neutralise(word)).replace(TATWEEL, "")


def _vocabulary(text: str, words: list[Token]) -> dict[str, str]:
    """Each exact form of a document with a way it was written, for "did you mean"."""
    found: dict[str, str] = {}
    for token in words:
        if token.stopword or len(token.exact) > MAX_TERM or token.exact in found:
            continue
        found[token.exact] = normalise_display(text[token.start : token.end])[:MAX_TERM]
    return found


def _terms_of(exact_forms: str) -> set[str]:
    """The vocabulary words of an indexed document, from its stored exact forms."""
    return {
        word for word in exact_forms.split() if len(word) <= MAX_TERM and not analyse_word(word)[2]
    }


def _prepare(document: registry.Document) -> tuple[dict, dict[str, str]]:
    """The row of one document and its vocabulary (analysed once)."""
    body = (document.body or "")[:MAX_BODY]
    title = document.title[:500]
    title_words, body_words = tokens(title), tokens(body)
    analysed_title, analysed_body = analyse(title, title_words), analyse(body, body_words)
    values = {
        "language": document.language,
        "title": title,
        "body": body,
        "url": document.url[:500],
        "published_at": document.published_at,
        "title_exact": analysed_title.exact,
        "title_stem": analysed_title.stem,
        "body_exact": analysed_body.exact,
        "body_stem": analysed_body.stem,
        "alternates": f"{analysed_title.alternates} {analysed_body.alternates}".strip(),
    }
    vocabulary = _vocabulary(body, body_words)
    vocabulary.update(_vocabulary(title, title_words))
    return values, vocabulary


def _count_terms(added: Counter, removed: Counter, display: dict[str, str]) -> None:
    """Move the vocabulary's document counts by the given amounts."""
    table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        if removed:
            cursor.executemany(
                f"UPDATE {table} SET documents = documents - %s WHERE term = %s",  # noqa: S608
                [(count, term) for term, count in removed.items()],
            )
            SearchTerm.objects.filter(documents__lte=0).delete()
        if added:
            cursor.executemany(
                f"INSERT INTO {table} (term, display, documents, head, length)"  # noqa: S608
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (term) DO UPDATE SET"
                f" documents = {table}.documents + excluded.documents",
                [
                    (term, display[term], count, head(term), len(term))
                    for term, count in added.items()
                ],
            )


def search_document_save(*, kind: str, object_id: int, document: registry.Document) -> None:
    """Add or replace the index entry of one object. Idempotent.

    Locks the entry's row (PostgreSQL) so two workers indexing the same object one after
    the other leave the index and the vocabulary counts right. The full-text index follows
    the row by itself (triggers).
    """
    values, vocabulary = _prepare(document)
    with transaction.atomic():
        existing = (
            SearchDocument.objects.select_for_update()
            .filter(kind=kind, object_id=object_id)
            .first()
        )
        if existing is None:
            SearchDocument.objects.create(kind=kind, object_id=object_id, **values)
            old_terms: set[str] = set()
        else:
            old_terms = _terms_of(f"{existing.title_exact} {existing.body_exact}")
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
        _count_terms(
            added=Counter(term for term in vocabulary if term not in old_terms),
            removed=Counter(term for term in old_terms if term not in vocabulary),
            display=vocabulary,
        )


def search_document_delete(*, kind: str, object_id: int) -> bool:
    """Take one object out of the index. Idempotent: False when it was not there."""
    with transaction.atomic():
        existing = (
            SearchDocument.objects.select_for_update()
            .filter(kind=kind, object_id=object_id)
            .first()
        )
        if existing is None:
            return False
        removed = Counter(_terms_of(f"{existing.title_exact} {existing.body_exact}"))
        existing.delete()
        _count_terms(added=Counter(), removed=removed, display={})
    return True


def search_object_changed(*, kind: str, object_id: int) -> None:
    """Index the object of ``kind`` as it is now: saved when public, removed when not."""
    source = registry.source(kind)
    if source is None:
        return
    objects = source.model._default_manager.filter(pk=object_id)
    if source.is_page:
        # Only a live page without view restrictions (its own or an ancestor's) is public.
        objects = objects.live().public()
    obj = objects.first()
    if obj is not None and hasattr(obj, "specific"):
        obj = obj.specific
    document = source.document(obj) if obj is not None else None
    if document is None:
        search_document_delete(kind=kind, object_id=object_id)
    else:
        search_document_save(kind=kind, object_id=object_id, document=document)


def search_index_replace(
    *, kind: str, documents: Iterable[tuple[int, registry.Document]], progress=None
) -> int:
    """Replace every entry of ``kind`` with ``documents`` ((object id, document) pairs),
    in bulk: the way to (re)build an index of many thousands of documents.

    Call inside a transaction to make the switch from the old entries to the new atomic.
    """
    removed: Counter = Counter()
    for exact in SearchDocument.objects.filter(kind=kind).values_list("title_exact", "body_exact"):
        removed.update(_terms_of(" ".join(exact)))
    SearchDocument.objects.filter(kind=kind).delete()
    added: Counter = Counter()
    display: dict[str, str] = {}
    count = 0
    for chunk in _chunks(documents, BULK_SIZE):
        rows = []
        for object_id, document in chunk:
            values, vocabulary = _prepare(document)
            rows.append(SearchDocument(kind=kind, object_id=object_id, **values))
            added.update(vocabulary.keys())
            for term, written in vocabulary.items():
                display.setdefault(term, written)
        SearchDocument.objects.bulk_create(rows)
        count += len(rows)
        if progress is not None:
            progress.update(len(rows))
    # What stays is moved by the difference only.
    both = set(added) & set(removed)
    for term in both:
        shift = added[term] - removed[term]
        added[term], removed[term] = max(shift, 0), max(-shift, 0)
    _count_terms(+added, +removed, display)
    return count


def _chunks(items: Iterable, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def search_reindex(*, kinds: list[str] | None = None, progress=None) -> Counter:
    """Rebuild the index (of some kinds, or all) from what is public now.

    One transaction per kind: a search during the rebuild sees the old or the new entries
    of that kind, never a mix. Entries of things no longer public are gone afterwards.
    """
    counts: Counter = Counter()
    for source in registry.sources():
        if kinds and source.kind not in kinds:
            continue

        def documents(source=source):
            for obj in source.public():
                document = source.document(obj)
                if document is not None:
                    yield obj.pk, document

        with transaction.atomic():
            before = SearchDocument.objects.filter(kind=source.kind).count()
            counts[source.kind] = search_index_replace(
                kind=source.kind, documents=documents(), progress=progress
            )
            counts["removed"] += max(0, before - counts[source.kind])
    log.info("search index rebuilt", extra={"counts": dict(counts)})
    return counts


def search_refresh_timed() -> Counter:
    """Reindex the kinds whose things become public at a time (run by the worker's clock).

    Cheap by design: only kinds marked ``timed`` (a few polls), and only when their set
    of public things changed since the index was built.
    """
    counts: Counter = Counter()
    for source in registry.sources():
        if not source.timed:
            continue
        public = {obj.pk for obj in source.public()}
        indexed = set(
            SearchDocument.objects.filter(kind=source.kind).values_list("object_id", flat=True)
        )
        for object_id in public - indexed:
            search_object_changed(kind=source.kind, object_id=object_id)
            counts[source.kind] += 1
        for object_id in indexed - public:
            search_document_delete(kind=source.kind, object_id=object_id)
            counts["removed"] += 1
    return counts
