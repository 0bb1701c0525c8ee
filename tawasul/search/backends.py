"""The full-text index on each database: SQLite FTS5 (embedded) or PostgreSQL (production).

Both index the same analysed forms (``analysis.py``) in five weighted parts, so both find
the same documents; only the ranking formula is the engine's own (FTS5's bm25, PostgreSQL's
ts_rank), with the same order of weights:

====================  =======  ===================
part                  SQLite   PostgreSQL weight
====================  =======  ===================
title, exact forms    8.0      A (1.0)
title, stems          5.0      B (0.6)
body, exact forms     2.0      C (0.3)
body, stems           1.0      D (0.15)
alternates (و...)     0.5      D (0.15)
====================  =======  ===================

On SQLite the FTS5 table ``search_fts`` takes its content from ``search_searchdocument``
(external content: the text is stored once). On PostgreSQL three ``tsvector`` columns of
``search_searchdocument`` are kept: ``match_vector`` (every word tagged with its part's
letter, GIN-indexed: what matching reads), ``search_vector`` (the weighted forms: what
ranking reads) and ``title_vector`` (the title's, small: what ranking the title tiers
reads). Triggers made by the migrations keep them in step with the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from tawasul.search.query import Clause, ParsedQuery

COLUMNS = ("title_exact", "title_stem", "body_exact", "body_stem", "alternates")
SQLITE_WEIGHTS = (8.0, 5.0, 2.0, 1.0, 0.5)
# ts_rank's weights are given as {D, C, B, A}.
POSTGRES_WEIGHTS = "{0.15, 0.3, 0.6, 1.0}"


def vendor() -> str:
    return connection.vendor


# ---------------------------------------------------------------- writing
# Nothing to write here: triggers keep the full-text index in step with the document
# rows on both databases (see the migration). Only a full rebuild is asked for.
def rebuild() -> None:
    """Rebuild the whole full-text index from the document rows."""
    with connection.cursor() as cursor:
        if vendor() == "postgresql":
            cursor.execute("UPDATE search_searchdocument SET title_exact = title_exact")
        else:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


# ---------------------------------------------------------------- querying
def _fts_term(clause: Clause, *, title: bool = False) -> str:
    """One clause as FTS5 syntax: its exact forms, stems and alternates, each in its
    columns (only the title's, with ``title``: the alternates column mixes both)."""
    exact = " ".join(term.exact for term in clause.terms)
    stem = " ".join(term.stem for term in clause.terms)
    exact_columns = "{title_exact}" if title else "{title_exact body_exact}"
    options = [f'{exact_columns} : "{exact}"']
    if clause.exact_only:
        return "(" + " OR ".join(options) + ")"
    if title:
        options.append(f'{{title_stem}} : "{stem}"')
        return "(" + " OR ".join(options) + ")"
    stem_columns = (
        "{title_stem body_stem}" if len(clause.terms) > 1 else ("{title_stem body_stem alternates}")
    )
    options.append(f'{stem_columns} : "{stem}"')
    for alternate in clause.alternates:
        options.append(f'{{title_stem body_stem alternates}} : "{alternate}"')
    return "(" + " OR ".join(options) + ")"


@dataclass(frozen=True)
class _Syntax:
    both: str
    either: str
    without: str


FTS5 = _Syntax(" AND ", " OR ", " NOT ")
TSQUERY = _Syntax(" & ", " | ", " & !")


def _expression(query: ParsedQuery, mode: str, term, syntax: _Syntax) -> str:
    """The query's clauses (each written by ``term``) combined for ``mode``, excluded
    clauses removed; the one place the modes are defined, for every engine's syntax."""

    def joined(parts: list[str], operator: str) -> str:
        return "(" + operator.join(parts) + ")"

    def minus(kept: str, *removed: str) -> str:
        return "(" + kept + "".join(syntax.without + part for part in removed) + ")"

    terms = [term(clause) for clause in query.required]
    titles = [term(clause, title=True) for clause in query.required]
    every, any_ = joined(terms, syntax.both), joined(terms, syntax.either)
    all_in_title, any_in_title = joined(titles, syntax.both), joined(titles, syntax.either)
    expression = {
        "all": every,
        "title": all_in_title,
        "body": minus(every, all_in_title),
        "any": any_,
        "some": minus(any_, every),
        "any_title": any_in_title,
        "any_title_all": joined([any_in_title, every], syntax.both),
        "some_title": minus(any_in_title, every),
        "some_body": minus(any_, every, any_in_title),
    }[mode]
    return minus(expression, *(term(clause) for clause in query.excluded))


def fts_match(query: ParsedQuery, mode: str = "all") -> str:
    """The FTS5 MATCH expression, excluded clauses removed.

    ``mode``: "all" (every clause), "title" (every clause, in the title), "body" (every
    clause, not all in the title), "any" (at least one), "some" (at least one but not
    all), "some_title" / "some_body" (those, with one in the title / with none),
    "any_title" (one in the title), "any_title_all" (that, and every clause). Every
    word in it is quoted and made of letters and digits only (analysis), so nothing a
    person types can reach FTS5's own syntax.
    """
    return _expression(query, mode, _fts_term, FTS5)


# PostgreSQL matches on ``match_vector``: the five analysed columns in one tsvector, each
# word tagged with its column's letter (TAGS), so a query names its columns by lexeme and
# needs no weights. The GIN index then answers a query by itself: with weights it would
# have to read every candidate's vector again. Ranking still reads ``search_vector``.
TAGS = {"title_exact": "a", "title_stem": "b", "body_exact": "c", "body_stem": "d",
        "alternates": "e"}  # fmt: skip


def _tagged(columns: list[str], words: list[str]) -> list[str]:
    return [" <-> ".join(_lexeme(TAGS[column] + word) for word in words) for column in columns]


def _match_term(clause: Clause, *, title: bool = False) -> str:
    """One clause as a tsquery on ``match_vector``: the same columns as :func:`_fts_term`."""
    exact = [term.exact for term in clause.terms]
    stem = [term.stem for term in clause.terms]
    options = _tagged(["title_exact"] if title else ["title_exact", "body_exact"], exact)
    if not clause.exact_only:
        if title:
            options += _tagged(["title_stem"], stem)
        else:
            stem_columns = ["title_stem", "body_stem"] + ([] if len(stem) > 1 else ["alternates"])
            options += _tagged(stem_columns, stem)
            for alternate in clause.alternates:
                options += _tagged(["title_stem", "body_stem", "alternates"], [alternate])
    return "(" + " | ".join(f"({option})" for option in options) + ")"


def ts_match(query: ParsedQuery, mode: str = "all") -> str:
    """The tsquery on ``match_vector`` for ``mode`` (the modes of :func:`fts_match`)."""
    return _expression(query, mode, _match_term, TSQUERY)


def _ts_part(words: list[str], weights: str) -> str:
    return " <-> ".join(f"{_lexeme(word)}:{weights}" for word in words)


def _ts_term(clause: Clause, *, title: bool = False) -> str:
    exact_weights, stem_weights = ("A", "B") if title else ("AC", "BD")
    options = [f"({_ts_part([term.exact for term in clause.terms], exact_weights)})"]
    if not clause.exact_only:
        options.append(f"({_ts_part([term.stem for term in clause.terms], stem_weights)})")
        if not title:
            options.extend(f"({_lexeme(alternate)}:BD)" for alternate in clause.alternates)
    return "(" + " | ".join(options) + ")"


def ts_query(query: ParsedQuery, mode: str = "all") -> str:
    """The weighted tsquery on ``search_vector`` that ranking reads."""
    return _expression(query, mode, _ts_term, TSQUERY)


# Matches meet their document rows through the covering index (models.py), which holds
# all that filtering and ranking read.
_SQLITE_DOCUMENTS = (
    " JOIN search_searchdocument d INDEXED BY search_doc_rank ON d.id = search_fts.rowid"
)


@dataclass
class Filters:
    kinds: list[str] | None = None
    language: str | None = None
    date_from: object | None = None  # aware datetimes
    date_to: object | None = None


def _where(filters: Filters, params: list) -> str:
    sql = ""
    if filters.kinds:
        sql += " AND d.kind IN (" + ", ".join(["%s"] * len(filters.kinds)) + ")"
        params.extend(filters.kinds)
    if filters.language:
        sql += " AND d.language = %s"
        params.append(filters.language)
    if filters.date_from is not None:
        sql += " AND d.published_at >= %s"
        params.append(filters.date_from)
    if filters.date_to is not None:
        sql += " AND d.published_at < %s"
        params.append(filters.date_to)
    return sql


def _count(cursor, query: ParsedQuery, mode: str, filters: Filters) -> int:
    params: list = []
    if vendor() == "postgresql":
        where = " WHERE d.match_vector @@ %s::tsquery" + _where(filters, params)
        # Only placeholders and fixed text are joined here; every value is a parameter.
        sql = "SELECT count(*) FROM search_searchdocument d" + where  # noqa: S608
        cursor.execute(sql, [ts_match(query, mode), *params])
    else:
        filtered = _where(filters, params)
        sql = "SELECT count(*) FROM search_fts"
        if filtered:
            sql += _SQLITE_DOCUMENTS
        sql += " WHERE search_fts MATCH %s" + filtered
        cursor.execute(sql, [fts_match(query, mode), *params])
    return cursor.fetchone()[0]


def _ranked(
    cursor, query: ParsedQuery, mode: str, filters: Filters, offset: int, limit: int
) -> list[tuple[int, float]]:
    params: list = []
    if vendor() == "postgresql":
        where = " WHERE d.match_vector @@ %s::tsquery" + _where(filters, params)
        # The tiers found by the title rank by the title's small vector, read at once;
        # the others by the whole document's.
        vector = "d.title_vector" if mode in ("title", "some_title") else "d.search_vector"
        rank = f"ts_rank(%s::float4[], {vector}, %s::tsquery, 1)"
        scored = ts_query(query, "all" if mode in ("title", "body", "all") else "any")
        sql = (
            f"SELECT d.id, {rank} AS score FROM search_searchdocument d{where}"  # noqa: S608
            f" ORDER BY round({rank}::numeric, 4) DESC,"
            " d.published_at DESC NULLS LAST, d.id DESC LIMIT %s OFFSET %s"
        )
        cursor.execute(
            sql,
            [
                *(POSTGRES_WEIGHTS, scored),
                ts_match(query, mode),
                *params,
                *(POSTGRES_WEIGHTS, scored),
                limit,
                offset,
            ],
        )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
    where = " WHERE search_fts MATCH %s" + _where(filters, params)
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    sql = (
        f"SELECT d.id, bm25(search_fts, {weights}) AS score FROM search_fts"  # noqa: S608
        + _SQLITE_DOCUMENTS
        + where
        + " ORDER BY round(score, 4), d.published_at DESC, d.id DESC LIMIT %s OFFSET %s"
    )
    cursor.execute(sql, [fts_match(query, mode), *params, limit, offset])
    # bm25 is negative, better when lower; show it as a positive relevance.
    return [(row[0], -float(row[1])) for row in cursor.fetchall()]


@dataclass
class Found:
    total: int  # documents with at least one of the words (all of them, for one word)
    total_all: int  # documents with every word: they come first
    page: list[tuple[int, float]]  # (document id, score) of the page asked for


def search(query: ParsedQuery, filters: Filters, *, offset: int, limit: int) -> Found:
    """One page of results, in tiers, each best first: the documents whose title holds
    every word of the query; those that hold every word, not all in the title; then (a
    query of several words) those with only some of the words, a word in the title first.

    Ranking by score reads every match of a tier; the tiers keep that to the title's
    matches when a word is common, since the first page rarely reaches past them. Ties
    on score (to four decimals) go to the most recent document.
    """
    with connection.cursor() as cursor:
        total_all = _count(cursor, query, "all", filters)
        single = len(query.required) == 1
        total = total_all if single else _count(cursor, query, "any", filters)
        in_title = _count(cursor, query, "title", filters) if total_all else 0
        some = total - total_all
        some_in_title = (
            _count(cursor, query, "any_title", filters)
            - _count(cursor, query, "any_title_all", filters)
            if some
            else 0
        )
        tiers = (
            ("title", in_title),
            ("body", total_all - in_title),
            ("some_title", some_in_title),
            ("some_body", some - some_in_title),
        )
        page: list[tuple[int, float]] = []
        skip = offset
        for mode, size in tiers:
            if len(page) >= limit:
                break
            if skip >= size:
                skip -= size
                continue
            page += _ranked(cursor, query, mode, filters, skip, limit - len(page))
            skip = 0
        return Found(total, total_all, page)
