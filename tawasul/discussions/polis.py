"""Reading a Polis conversation export (``comments.csv`` + ``votes.csv``); pure, no Django.

The whole export is read and validated before anything is returned, so an importer can
refuse a bad export without storing half of it. Errors name the file and line number.

Columns used (others are ignored):

* comments.csv: ``timestamp``, ``comment-id``, ``author-id``, ``moderated``, ``comment-body``
  (``moderated`` = −1 means moderated out; 0 or 1 are kept);
* votes.csv: ``timestamp``, ``comment-id``, ``voter-id``, ``vote`` (1 agree, −1 disagree,
  0 pass). A later vote (by timestamp, then by line) by the same voter on the same comment
  replaces the earlier.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import analysis

COMMENT_COLUMNS = ("timestamp", "comment-id", "author-id", "moderated", "comment-body")
VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
MAX_ERRORS = 20


class PolisExportError(ValueError):
    """The export cannot be imported; ``errors`` lists every problem found (up to 20)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class PolisComment:
    id: int
    author: int
    timestamp: int
    moderated: int
    body: str


@dataclass(frozen=True)
class PolisVote:
    timestamp: int
    comment: int
    voter: int
    value: int


@dataclass(frozen=True)
class PolisExport:
    comments: list[PolisComment]  # ordered by comment id
    votes: list[PolisVote]  # the effective votes: one per (voter, comment), the latest
    voters: list[int]  # ordered

    def analyse(self) -> analysis.Analysis:
        """Run the opinion-group analysis on this export (rows = ``voters`` order)."""
        col = {c.id: j for j, c in enumerate(self.comments)}
        row = {v: i for i, v in enumerate(self.voters)}
        excluded = [j for j, c in enumerate(self.comments) if c.moderated == -1]
        return analysis.analyse(
            n_participants=len(self.voters),
            n_statements=len(self.comments),
            rows=np.fromiter((row[v.voter] for v in self.votes), dtype=np.int64),
            cols=np.fromiter((col[v.comment] for v in self.votes), dtype=np.int64),
            values=np.fromiter((v.value for v in self.votes), dtype=np.int64),
            excluded=excluded,
        )


def _int(text: str) -> int:
    """Polis writes integers, sometimes as '1.0'; anything else is refused."""
    value = float(text.strip())
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def _read(path: Path, required: tuple[str, ...], errors: list[str]) -> list[tuple[int, dict]]:
    if not path.is_file():
        errors.append(f"{path.name}: file not found")
        return []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(f"{path.name}: missing column(s): {', '.join(missing)}")
            return []
        rows = []
        for record in reader:
            rows.append((reader.line_num, record))
        return rows


def read_export(directory: str | Path) -> PolisExport:
    """Read and validate ``directory``; raise ``PolisExportError`` listing the problems."""
    directory = Path(directory)
    errors: list[str] = []
    comment_rows = _read(directory / "comments.csv", COMMENT_COLUMNS, errors)
    vote_rows = _read(directory / "votes.csv", VOTE_COLUMNS, errors)
    if errors:
        raise PolisExportError(errors)

    def fail(message: str) -> None:
        if len(errors) < MAX_ERRORS:
            errors.append(message)

    comments: dict[int, PolisComment] = {}
    for line, rec in comment_rows:
        try:
            cid = _int(rec["comment-id"])
            author = _int(rec["author-id"])
            ts = _int(rec["timestamp"])
            moderated = _int(rec["moderated"])
        except (TypeError, ValueError):
            fail(
                f"comments.csv line {line}: comment-id, author-id, timestamp and moderated "
                "must be whole numbers"
            )
            continue
        body = (rec.get("comment-body") or "").strip()
        if moderated not in (-1, 0, 1):
            fail(f"comments.csv line {line}: moderated must be -1, 0 or 1, not {moderated}")
        elif not body:
            fail(f"comments.csv line {line}: comment {cid} has no text")
        elif cid in comments:
            fail(f"comments.csv line {line}: comment id {cid} appears twice")
        else:
            comments[cid] = PolisComment(cid, author, ts, moderated, body)

    latest: dict[tuple[int, int], tuple[int, int, PolisVote]] = {}
    for line, rec in vote_rows:
        try:
            cid = _int(rec["comment-id"])
            voter = _int(rec["voter-id"])
            ts = _int(rec["timestamp"])
            value = _int(rec["vote"])
        except (TypeError, ValueError):
            fail(
                f"votes.csv line {line}: comment-id, voter-id, timestamp and vote must be "
                "whole numbers"
            )
            continue
        if value not in (analysis.AGREE, analysis.DISAGREE, analysis.PASS):
            fail(f"votes.csv line {line}: unknown vote value {value} (1, -1 or 0 expected)")
            continue
        if cid not in comments:
            fail(f"votes.csv line {line}: unknown comment id {cid}")
            continue
        key = (voter, cid)
        vote = PolisVote(ts, cid, voter, value)
        if key not in latest or (ts, line) >= latest[key][:2]:
            latest[key] = (ts, line, vote)
    if errors:
        raise PolisExportError(errors)
    if not comments:
        raise PolisExportError(["comments.csv: no comments"])
    votes = [entry[2] for entry in sorted(latest.values(), key=lambda e: (e[0], e[1]))]
    voters = sorted({v.voter for v in votes})
    return PolisExport(comments=[comments[c] for c in sorted(comments)], votes=votes, voters=voters)
