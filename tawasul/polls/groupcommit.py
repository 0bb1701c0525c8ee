"""New votes written together on PostgreSQL: one statement and one commit for the votes
that arrive while another write is in flight (group commit).

Most of a vote's cost in the database is per statement and per commit, not per row:
parsing and planning, the round trip, the commit's WAL flush. When several of a web
process's threads are voting at once, the first becomes the *leader* and writes every
vote waiting at that moment in one ``INSERT ... ON CONFLICT DO NOTHING``; the others wait
for it and get their own vote's id. The leader then hands over to the first vote that
arrived meanwhile, so no request keeps writing for others. Nobody waits for a timer: a
vote that finds no write in flight is written at once, alone.

Each vote keeps its own outcome, exactly as if it had been written alone:

- A vote the statement skipped (a unique constraint said no: the voter, the browser or
  the proof of work was already there, or came twice in the same batch) is reported as
  a conflict; the caller then writes it alone, which raises the ``IntegrityError`` that
  says why (see ``services.poll_vote_cast``).
- If the statement fails for any other reason, every vote in it is written alone, so one
  vote's failure is never another's.

Only in autocommit (a request's normal state); inside a transaction a vote is written on
the caller's connection as part of it. See docs/decisions/0060-granian-and-the-vote-lane.md.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db import IntegrityError, connection

from tawasul.polls.models import Vote, VoteChoice

MAX_BATCH = 64
COLUMNS = (
    "poll_key",
    "voter",
    "browser",
    "user_id",
    "language",
    "proof",
    "other_text",
    "other_status",
    "created_at",
)


@dataclass(eq=False)
class Pending:
    """One vote waiting to be written, and what became of it."""

    values: list  # the COLUMNS' database values
    keys: list  # the choice keys it counts for
    ready: threading.Event = field(default_factory=threading.Event)
    outcome: str = "waiting"  # "written", "conflict", "alone" (write it alone) or "lead"
    vote_id: int | None = None


class VoteWriter:
    """The group commit of one web process (thread-safe; one per process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queue: list[Pending] = []
        self._writing = False
        self.batches = 0  # statements written (the tests read them)
        self.votes = 0  # votes in them

    def write(self, values: list, keys: list) -> int | None:
        """Write one vote; its id, or None when a unique constraint skipped it. Raises
        :class:`WriteAlone` when the caller must write it on its own connection."""
        pending = Pending(values, keys)
        with self._lock:
            self._queue.append(pending)
            lead = not self._writing
            if lead:
                self._writing = True
        if not lead:
            pending.ready.wait()
            if pending.outcome == "lead":
                lead = True
        if lead:
            self._lead()
        if pending.outcome == "alone":
            raise WriteAlone
        return pending.vote_id if pending.outcome == "written" else None

    def _lead(self) -> None:
        """Write what is waiting (this request's vote among it), then hand over."""
        with self._lock:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
        try:
            written = _insert(batch)
        except Exception:
            for pending in batch:
                pending.outcome = "alone"
        else:
            self.batches += 1
            self.votes += len(batch)
            for pending, vote_id in zip(batch, written, strict=True):
                pending.vote_id = vote_id
                pending.outcome = "written" if vote_id is not None else "conflict"
        finally:
            with self._lock:
                following = self._queue[0] if self._queue else None
                if following is None:
                    self._writing = False
                else:
                    following.outcome = "lead"
            for pending in batch:
                pending.ready.set()
            if following is not None:
                following.ready.set()


class WriteAlone(Exception):
    """The batch could not be written; write this vote alone."""


writer = VoteWriter()


def insert_one(values: list, keys: list) -> int:
    """One vote and its choices in one statement (a data-modifying CTE): one round trip
    instead of INSERT, INSERT and COMMIT, and atomic as any single statement is. The
    unique constraints apply as they do to the ORM's INSERTs (``IntegrityError``)."""
    quote = connection.ops.quote_name
    fields = [Vote._meta.get_field(name) for name in COLUMNS]
    sql = (
        f"WITH v AS (INSERT INTO {quote(Vote._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(quote(field.column) for field in fields)}, other_reviewed_by_id, changed_at) "
        f"VALUES ({', '.join(['%s'] * len(fields))}, NULL, NULL) RETURNING id), "
        f"c AS (INSERT INTO {quote(VoteChoice._meta.db_table)} (vote_id, poll_key, choice_key) "
        "SELECT v.id, %s, k FROM v, unnest(%s::uuid[]) AS k) "
        "SELECT id FROM v"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, values[0], keys])
        return cursor.fetchone()[0]


def _array_of(field) -> str:
    """The array type a column's values are sent as. Text is sent as ``text``: a cast to
    ``varchar(n)`` would cut an over-long value silently, where the INSERT refuses it
    as the single-vote statement does."""
    db_type = field.db_type(connection)
    return ("text" if db_type.startswith("varchar") else db_type) + "[]"


def _insert(batch: list[Pending]) -> list[int | None]:
    """The batch's votes; each vote's id, or None where a unique constraint skipped it."""
    if len(batch) == 1:  # the plain statement costs the database less to plan
        try:
            return [insert_one(batch[0].values, batch[0].keys)]
        except IntegrityError:
            return [None]
    ids: list[int | None] = [None] * len(batch)
    seen: dict[tuple, int] = {}
    for n, pending in enumerate(batch):
        # A voter twice in one batch: the first is tried, the second reported as a
        # conflict (written alone, it meets the first's row and learns why).
        seen.setdefault((pending.values[0], pending.values[1]), n)
    tried = sorted(seen.values())
    quote = connection.ops.quote_name
    fields = [Vote._meta.get_field(name) for name in COLUMNS]
    columns = ", ".join(quote(f.column) for f in fields)
    arrays = ", ".join(f"%s::{_array_of(f)}" for f in fields)
    choice_key = _array_of(VoteChoice._meta.get_field("choice_key"))
    sql = (
        f"WITH input AS (SELECT * FROM unnest({arrays}) AS i({columns})), "  # noqa: S608
        f"v AS (INSERT INTO {quote(Vote._meta.db_table)} "
        f"({columns}, other_reviewed_by_id, changed_at) "
        f"SELECT {columns}, NULL, NULL FROM input ON CONFLICT DO NOTHING "
        f"RETURNING id, {quote(fields[0].column)}, {quote(fields[1].column)}), "
        f"picked AS (SELECT * FROM unnest(%s::{_array_of(fields[0])}, "
        f"%s::{_array_of(fields[1])}, %s::{choice_key}) AS k(pk, vk, choice)), "
        f"c AS (INSERT INTO {quote(VoteChoice._meta.db_table)} (vote_id, poll_key, choice_key) "
        f"SELECT v.id, picked.pk, picked.choice FROM v JOIN picked "
        f"ON v.{quote(fields[0].column)} = picked.pk AND v.{quote(fields[1].column)} = picked.vk) "
        f"SELECT id, {quote(fields[0].column)}, {quote(fields[1].column)} FROM v"
    )
    params = [[batch[n].values[column] for n in tried] for column in range(len(COLUMNS))]
    picked = [(batch[n].values[0], batch[n].values[1], key) for n in tried for key in batch[n].keys]
    params += [[p[0] for p in picked], [p[1] for p in picked], [p[2] for p in picked]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for vote_id, poll_key, voter in rows:
        ids[seen[(poll_key, voter)]] = vote_id
    return ids
