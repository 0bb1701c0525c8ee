"""Search benchmark: 100,000 Arabic and English documents, build time, size and latency.

    python bench/search.py [--documents 100000] [--queries 300]

Generates documents from the portal's own Arabic and English vocabulary (its catalog and
the seed texts), with the orthographic noise real text has (harakat, tatweel, alef forms,
ة/ه, ى/ي), Zipf-distributed like natural language. Indexes them through the search
service in bulk, then times 1-, 2- and 3-word queries through the same function the
search page uses (count, ranking, snippets; a suggestion when nothing is found).

Baseline in the same run: SQLite's FTS5 with its default tokenizer over the raw text,
queried with the same words (no analysis, no snippets) — the engine's own floor.

On SQLite (default) it works in a temporary folder. With DATABASE_URL it uses that
PostgreSQL database, which must be a scratch database: the benchmark migrates it and
replaces its search index. Bounded in size and time; it starts no server.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HARAKAT = "\u064e\u064f\u0650\u0651\u0652\u064b\u064c\u064d"


def vocabulary() -> tuple[list[str], list[str]]:
    """Arabic and English words of the project's own texts (catalog, seed texts)."""
    import polib

    arabic, english = [], []
    catalog = polib.pofile(str(ROOT / "tawasul/locale/ar/LC_MESSAGES/django.po"))
    texts = [entry.msgstr for entry in catalog] + [
        path.read_text(encoding="utf-8") for path in (ROOT / "tawasul/news/demo_data").glob("*.txt")
    ]
    for text in texts:
        arabic += re.findall(r"[\u0621-\u064a]{2,}", text)
    for entry in catalog:
        english += [word.lower() for word in re.findall(r"[A-Za-z]{3,}", entry.msgid)]
    # The forms the same words take in running text: clitics before, plurals and pronouns
    # after, so the vocabulary has the tens of thousands of forms real Arabic has.
    bases = sorted({word for word in arabic if not word.startswith(("ال", "و", "ب", "ل"))})
    forms = set(arabic)
    for word in bases:
        stem = word[:-1] if word.endswith("ة") else word
        for prefix in ("", "ال", "و", "وال", "ب", "بال", "لل", "ف"):
            for suffix in ("", "ات", "ين", "ون", "ها", "هم", "ة"):
                if len(stem) + len(suffix) >= 3:
                    forms.add(prefix + (word if not suffix else stem + suffix))
    english_forms = set(english)
    for word in english:
        english_forms.update({word + "s", word + "ed", word + "ing"})
    return sorted(forms), sorted(english_forms)


def noisy(word: str, rng: random.Random) -> str:
    """A word as people type it: sometimes voweled, stretched or spelled loosely."""
    if rng.random() < 0.10:
        word = word.replace("أ", "ا").replace("إ", "ا")
    if rng.random() < 0.05 and word.endswith("ة"):
        word = word[:-1] + "ه"
    if rng.random() < 0.05 and word.endswith("ى"):
        word = word[:-1] + "ي"
    if rng.random() < 0.04:
        at = rng.randrange(1, len(word))
        word = word[:at] + "ـ" + word[at:]
    if rng.random() < 0.05:
        word = "".join(ch + (rng.choice(HARAKAT) if rng.random() < 0.4 else "") for ch in word)
    return word


class Zipf:
    def __init__(self, words: list[str], rng: random.Random, exponent: float = 1.07):
        self.words = words[:]
        rng.shuffle(self.words)
        weights = [1 / (rank**exponent) for rank in range(1, len(self.words) + 1)]
        total = sum(weights)
        self.cumulative = []
        running = 0.0
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)
        self.rng = rng

    def draw(self) -> str:
        import bisect

        index = bisect.bisect_left(self.cumulative, self.rng.random())
        return self.words[min(index, len(self.words) - 1)]


def documents(count: int, seed: int = 7):
    from django.utils import timezone

    from tawasul.search.registry import Document

    rng = random.Random(seed)
    arabic, english = vocabulary()
    zipf = {"ar": Zipf(arabic, rng), "en": Zipf(english, rng)}
    now = timezone.now()
    for number in range(count):
        language = "ar" if rng.random() < 0.7 else "en"
        words = zipf[language]

        def text(length, words=words, language=language):
            drawn = [words.draw() for _ in range(length)]
            return " ".join(noisy(word, rng) if language == "ar" else word for word in drawn)

        yield (
            number + 1,
            Document(
                title=text(rng.randint(4, 10)),
                body=". ".join(text(rng.randint(8, 20)) for _ in range(rng.randint(4, 10))),
                url=f"/{language}/bench/{number + 1}/",
                language=language,
                published_at=now - timezone.timedelta(minutes=number),
            ),
        )


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def at(fraction):
        return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]

    return statistics.median(ordered), at(0.95), at(0.99)


def queries(words: int, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    arabic, english = vocabulary()
    zipf = {
        "ar": Zipf(arabic, random.Random(seed + 1)),
        "en": Zipf(english, random.Random(seed + 2)),
    }
    out = []
    for _ in range(count):
        language = "ar" if rng.random() < 0.7 else "en"
        out.append(" ".join(zipf[language].draw() for _ in range(words)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    total = max(1_000, min(args.documents, 300_000))
    per_size = max(20, min(args.queries, 2_000))

    with tempfile.TemporaryDirectory(prefix="tawasul-search-bench-") as folder:
        os.environ.setdefault("TAWASUL_DATA", folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
        import logging

        import django

        django.setup()
        logging.getLogger("tawasul").setLevel(logging.WARNING)
        from django.core.management import call_command
        from django.db import connection, transaction

        from tawasul.search import selectors, services

        call_command("migrate", interactive=False, verbosity=0)
        print(
            f"Tawasul search benchmark — {connection.vendor}, {total:,} documents, "
            f"Python {sys.version.split()[0]}"
        )

        started = time.perf_counter()
        with transaction.atomic():
            services.search_index_replace(kind="news", documents=documents(total))
        build = time.perf_counter() - started
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_total_relation_size('search_searchdocument')"
                    " + pg_total_relation_size('search_searchterm')"
                )
                size = cursor.fetchone()[0]
            else:
                cursor.execute("PRAGMA page_count")
                pages = cursor.fetchone()[0]
                cursor.execute("PRAGMA page_size")
                size = pages * cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM search_searchterm")
            terms = cursor.fetchone()[0]
        print(
            f"index build: {build:.1f} s ({total / build:,.0f} documents/s); "
            f"database size {size / 1e6:,.0f} MB; vocabulary {terms:,} words"
        )

        plain = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("CREATE VIRTUAL TABLE bench_plain USING fts5(title, body)")
                cursor.execute(
                    "INSERT INTO bench_plain(rowid, title, body)"
                    " SELECT id, title, body FROM search_searchdocument"
                )

            def plain(text):
                words = re.findall(r"\w+", text)
                match = " ".join(f'"{word}"' for word in words)
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM bench_plain WHERE bench_plain MATCH %s", [match]
                    )
                    cursor.fetchone()
                    cursor.execute(
                        "SELECT rowid FROM bench_plain WHERE bench_plain MATCH %s"
                        " ORDER BY bm25(bench_plain) LIMIT 10",
                        [match],
                    )
                    cursor.fetchall()

        print(f"\n{per_size} queries of each size (ms)")
        header = f"{'words':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'hits':>8} {'none':>5}"
        if plain:
            header += f" {'FTS5 raw p50':>13} {'p95':>7}"
        print(header)
        for size_words in (1, 2, 3):
            texts = queries(size_words, per_size, seed=size_words)
            for text in texts[:10]:
                selectors.search(text)  # warm up
            timings, hits, empty = [], [], 0
            for text in texts:
                begin = time.perf_counter()
                results = selectors.search(text)
                timings.append((time.perf_counter() - begin) * 1000)
                hits.append(results.total)
                empty += results.total == 0
            p50, p95, p99 = percentiles(timings)
            line = (
                f"{size_words:>5} {p50:7.1f} {p95:7.1f} {p99:7.1f} "
                f"{statistics.median(hits):8.0f} {empty:5d}"
            )
            if plain:
                floor = []
                for text in texts:
                    begin = time.perf_counter()
                    plain(text)
                    floor.append((time.perf_counter() - begin) * 1000)
                f50, f95, _ = percentiles(floor)
                line += f" {f50:13.1f} {f95:7.1f}"
            print(line)
        print("\nhits: median number of matching documents; none: queries with no result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
