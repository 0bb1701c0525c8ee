"""Opinion-group benchmark: analysis time, peak memory and recovery of planted groups.

    python bench/opinion.py [--sizes 1000,20000] [--statements 1000] [--groups 3]
    python bench/opinion.py --sizes 1000,20000,100000      # the optional large run

For each size it generates a conversation with planted opinion groups (each group has a
stance per statement; a participant votes on a random 5-15 % of the statements, agreeing
with its group's stance 75 % of the time, passing 10 %), then runs
``tawasul.discussions.analysis.analyse`` and prints:

* the baseline measured in the same run: building the sparse vote matrix alone (the floor
  any analysis pays), then the whole analysis — time and peak memory (tracemalloc, in a
  second run so the timing is not slowed by it);
* the adjusted Rand index between the planted groups and the groups found.

Then the parity figure: ``shared/data/polis/15-per-hour-seattle`` imported as
``tawasul import-polis`` does, ARI against the ``group-id`` Polis assigned (at the default
seed, and the spread over 20 seeds to show how stable the split is on this small, blurry
conversation). Target: 20,000 x 1,000 in <= 30 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tawasul.discussions import analysis, polis  # noqa: E402

POLIS_DIR = Path("/work/shared/data/polis/15-per-hour-seattle")


def planted(n: int, c: int, groups: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, groups, n)
    stance = rng.choice([-1, 1], size=(groups, c))
    per = rng.integers(int(0.05 * c), int(0.15 * c) + 1, n)
    rows = np.repeat(np.arange(n), per)
    cols = rng.integers(0, c, len(rows))
    roll = rng.random(len(rows))
    s = stance[truth[rows], cols]
    values = np.where(roll < 0.10, 0, np.where(roll < 0.85, s, -s))
    return truth, rows, cols, values


def run(n: int, c: int, groups: int) -> None:
    truth, rows, cols, values = planted(n, c, groups)
    t0 = time.perf_counter()
    analysis.vote_matrix(n_participants=n, n_statements=c, rows=rows, cols=cols, values=values)
    floor = time.perf_counter() - t0

    t0 = time.perf_counter()
    result = analysis.analyse(n_participants=n, n_statements=c, rows=rows, cols=cols, values=values)
    elapsed = time.perf_counter() - t0

    tracemalloc.start()
    analysis.analyse(n_participants=n, n_statements=c, rows=rows, cols=cols, values=values)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    clustered = result.in_conversation
    ari = analysis.adjusted_rand_index(truth[clustered], result.group_of[clustered])
    dense_mb = n * c * 8 / 2**20
    print(
        f"{n:>7} x {c:<5} votes {result.n_votes:>9,}  floor {floor:6.2f} s  "
        f"analysis {elapsed:6.2f} s  peak {peak / 2**20:7.1f} MiB "
        f"(dense matrix would be {dense_mb:,.0f} MiB)  groups {result.k} "
        f"(planted {groups})  ARI {ari:.3f}"
    )


def parity() -> None:
    if not POLIS_DIR.is_dir():
        print(f"parity: {POLIS_DIR} not found, skipped")
        return
    export = polis.read_export(POLIS_DIR)
    theirs = {}
    with (POLIS_DIR / "participants-votes.csv").open(newline="") as fh:
        for rec in csv.DictReader(fh):
            if rec["group-id"] != "":
                theirs[int(rec["participant"])] = int(rec["group-id"])
    row = {v: i for i, v in enumerate(export.voters)}
    compared = [p for p in theirs if p in row]

    def ari_for(result) -> float:
        return analysis.adjusted_rand_index(
            [theirs[p] for p in compared], [result.group_of[row[p]] for p in compared]
        )

    t0 = time.perf_counter()
    result = export.analyse()
    elapsed = time.perf_counter() - t0
    print(
        f"parity 15-per-hour-seattle: {len(compared)} participants grouped by Polis, "
        f"groups {result.k}, ARI {ari_for(result):.3f} (default seed, {elapsed:.2f} s)"
    )
    col = {c.id: j for j, c in enumerate(export.comments)}
    args = dict(
        n_participants=len(export.voters),
        n_statements=len(export.comments),
        rows=[row[v.voter] for v in export.votes],
        cols=[col[v.comment] for v in export.votes],
        values=[v.value for v in export.votes],
        excluded=[j for j, c in enumerate(export.comments) if c.moderated == -1],
    )
    scores = [ari_for(analysis.analyse(**args, seed=s)) for s in range(20)]
    print(
        f"  over seeds 0-19: min {min(scores):.3f}  median {np.median(scores):.3f}  "
        f"max {max(scores):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000")
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        run(int(size), args.statements, args.groups)
    parity()


if __name__ == "__main__":
    main()
