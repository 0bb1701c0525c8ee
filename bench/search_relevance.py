"""Search relevance: Tawasul's search against the analysers it must beat, on a judged set.

    python bench/search_relevance.py [--set bench/data/search_relevance.json]
                                     [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Scores nDCG@10 and recall@10 over the judged queries for:

- Tawasul: the search service itself (SQLite FTS5 by default; PostgreSQL when
  DATABASE_URL names a scratch database, which the benchmark migrates);
- plain FTS5: SQLite's FTS5 with its default tokenizer over the raw text, bm25;
- PostgreSQL 'arabic': to_tsvector/plainto_tsquery with PostgreSQL's Snowball Arabic
  configuration ('english' for English text), ts_rank (needs --postgres, any database:
  it only uses a temporary table);
- Lucene Arabic rules: the normalisation and light stemming of Lucene's ArabicAnalyzer
  (ArabicNormalizer: alef forms, ى to ي, ة to ه, tatweel and harakat removed;
  ArabicStemmer: one of the prefixes ال وال بال كال فال لل و, then the suffixes ها ان ات
  ون ين يه ية ه ة ي, keeping two letters), ported to Python here, English with Porter
  (Snowball) stemming, ranked with BM25 (k1 1.2, b 0.75) over the title (twice) and body.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sqlite3
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- metrics
def ndcg(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    gains = [judged.get(doc, 0) for doc in ranked[:k]]
    dcg = sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted(judged.values(), reverse=True)[:k]
    best = sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: list[str], judged: dict[str, int], k: int = 10) -> float:
    relevant = {doc for doc, gain in judged.items() if gain > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


# ---------------------------------------------------------------- Lucene's Arabic rules
LUCENE_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
LUCENE_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")
LUCENE_MARKS = re.compile("[\u064b-\u0652\u0640]")


def lucene_normalise(word: str) -> str:
    word = LUCENE_MARKS.sub("", word)
    return word.translate(str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ى": "ي", "ة": "ه"}))


def lucene_stem(word: str) -> str:
    for prefix in LUCENE_PREFIXES:
        # ArabicStemmer: a prefix goes when at least two letters stay (three for و).
        minimum = 3 if prefix == "و" else 2
        if word.startswith(prefix) and len(word) >= len(prefix) + minimum:
            word = word[len(prefix) :]
            break
    for suffix in LUCENE_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def lucene_terms(text: str) -> list[str]:
    import snowballstemmer

    english = snowballstemmer.stemmer("porter")
    terms = []
    for word in re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()):
        if re.search("[\u0600-\u06ff]", word):
            terms.append(lucene_stem(lucene_normalise(word)))
        else:
            terms.append(english.stemWord(word))
    return [term for term in terms if term]


class BM25:
    def __init__(self, documents: dict[str, list[str]], k1: float = 1.2, b: float = 0.75):
        self.documents = {doc: Counter(terms) for doc, terms in documents.items()}
        self.lengths = {doc: len(terms) for doc, terms in documents.items()}
        self.average = sum(self.lengths.values()) / max(1, len(self.lengths))
        self.frequency = Counter(term for terms in self.documents.values() for term in terms)
        self.k1, self.b = k1, b

    def search(self, terms: list[str], k: int = 10) -> list[str]:
        count = len(self.documents)
        scores = Counter()
        for doc, counts in self.documents.items():
            score = 0.0
            for term in set(terms):
                tf = counts.get(term, 0)
                if not tf:
                    continue
                idf = math.log(
                    1 + (count - self.frequency[term] + 0.5) / (self.frequency[term] + 0.5)
                )
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.average)
                score += idf * tf * (self.k1 + 1) / norm
            if score:
                scores[doc] = score
        return [doc for doc, _ in scores.most_common(k)]


# ---------------------------------------------------------------- systems
def tawasul(documents: list[dict]):
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from tawasul.search import selectors, services
    from tawasul.search.registry import Document

    call_command("migrate", interactive=False, verbosity=0)
    ids = {}
    with transaction.atomic():
        pairs = []
        for number, doc in enumerate(documents, start=1):
            ids[number] = doc["id"]
            pairs.append(
                (
                    number,
                    Document(
                        doc["title"],
                        doc["body"],
                        f"/{doc['lang']}/x/{number}/",
                        doc["lang"],
                        timezone.now(),
                    ),
                )
            )
        services.search_index_replace(kind="news", documents=pairs)

    def run(query: str) -> list[str]:
        hits = selectors.search(query, kinds=["news"], page_size=10).hits
        return [ids[int(hit.url.rstrip("/").rsplit("/", 1)[-1])] for hit in hits]

    return run


def plain_fts5(documents: list[dict]):
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body)")
    database.executemany(
        "INSERT INTO docs VALUES (?, ?, ?)", [(d["id"], d["title"], d["body"]) for d in documents]
    )

    def run(query: str) -> list[str]:
        words = re.findall(r"\w+", query)
        if not words:
            return []
        match = " ".join(f'"{word}"' for word in words)
        return [
            row[0]
            for row in database.execute(
                "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", [match]
            )
        ]

    return run


def postgres_arabic(documents: list[dict], url: str):
    import psycopg

    connection = psycopg.connect(url, autocommit=True)
    connection.execute(
        "CREATE TEMP TABLE relevance_docs (id text, config regconfig, title text, body text)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO relevance_docs VALUES (%s, %s, %s, %s)",
            [
                (d["id"], "arabic" if d["lang"] == "ar" else "english", d["title"], d["body"])
                for d in documents
            ],
        )

    def run(query: str) -> list[str]:
        config = "arabic" if re.search("[\u0600-\u06ff]", query) else "english"
        rows = connection.execute(
            "SELECT id FROM relevance_docs, plainto_tsquery(%s::regconfig, %s) q"
            " WHERE (setweight(to_tsvector(config, title), 'A') || to_tsvector(config, body)) @@ q"
            " ORDER BY ts_rank(setweight(to_tsvector(config, title), 'A')"
            " || to_tsvector(config, body), q) DESC LIMIT 10",
            [config, query],
        ).fetchall()
        return [row[0] for row in rows]

    return run


def lucene_rules(documents: list[dict]):
    index = BM25(
        {d["id"]: lucene_terms(f"{d['title']} {d['title']} {d['body']}") for d in documents}
    )
    return lambda query: index.search(lucene_terms(query))


# ---------------------------------------------------------------- run
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(ROOT / "bench/data/search_relevance.json"))
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--verbose", action="store_true", help="print each query's scores")
    args = parser.parse_args()
    judged = json.loads(Path(args.set).read_text(encoding="utf-8"))
    documents, queries = judged["documents"], judged["queries"]

    with tempfile.TemporaryDirectory(prefix="tawasul-relevance-") as folder:
        os.environ.setdefault("TAWASUL_DATA", folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
        import logging

        import django

        django.setup()
        logging.getLogger("tawasul").setLevel(logging.WARNING)
        from django.db import connection

        systems = {f"Tawasul ({connection.vendor})": tawasul(documents)}
        systems["plain FTS5"] = plain_fts5(documents)
        try:
            systems["PostgreSQL 'arabic'"] = postgres_arabic(documents, args.postgres)
        except Exception as error:  # the baseline is optional
            print(f"(PostgreSQL baseline skipped: {type(error).__name__}: {error})")
        systems["Lucene Arabic rules + BM25"] = lucene_rules(documents)

        print(f"{len(documents)} documents, {len(queries)} judged queries\n")
        print(f"{'system':34} {'nDCG@10':>8} {'recall@10':>10} {'zero':>5}")
        for name, run in systems.items():
            scores, recalls, zero = [], [], 0
            for query in queries:
                ranked = run(query["q"])
                zero += not ranked
                scores.append(ndcg(ranked, query["relevant"]))
                recalls.append(recall(ranked, query["relevant"]))
                if args.verbose:
                    print(f"  {name[:12]:12} {scores[-1]:.2f} {recalls[-1]:.2f}  {query['q']}")
            print(
                f"{name:34} {sum(scores) / len(scores):8.3f} {sum(recalls) / len(recalls):10.3f}"
                f" {zero:5d}"
            )
        print("\nzero: queries that found nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
