"""Votes arriving together are written together on PostgreSQL, each with its own outcome
(polls/groupcommit.py). Real threads against the real database; skipped on SQLite,
where votes are written one by one."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DataError, connection
from django.utils import timezone

from conftest import run_together
from tawasul.polls import groupcommit, services
from tawasul.polls.models import Poll, Vote, VoteChoice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="group commit is PostgreSQL's"),
]


def cast(poll, browser: str, choice, proof: str):
    ballot = services.ballot_clean(
        poll, list(poll.choices.all()), choice_ids=[choice.pk], other=False, other_text=""
    )
    voter = services.voter_for(poll, user=AnonymousUser(), browser=browser)
    try:
        result = services.poll_vote_cast(
            poll=poll, ballot=ballot, voter=voter, language="ar", proof=proof
        )
    except services.VoteRefused as refused:
        return refused.code
    return result.vote_id


def test_votes_cast_at_once_are_each_stored_once_in_fewer_statements(poll_factory):
    poll = poll_factory(kind=Poll.Kind.SINGLE)
    choices = list(poll.choices.all())
    batches, votes = groupcommit.writer.batches, groupcommit.writer.votes
    # 60 voters; 20 of them send a second vote at the same moment, and 10 other
    # browsers replay the proofs of work of voters 40-49.
    jobs = [(f"{n:032x}", choices[n % 3], f"p:{n}") for n in range(60)]
    jobs += [(f"{n:032x}", choices[0], f"p:again{n}") for n in range(20)]
    jobs += [(f"{n + 100:032x}", choices[1], f"p:{n}") for n in range(40, 50)]
    outcomes = run_together([lambda job=job: cast(poll, *job) for job in jobs])

    codes = Counter(o if isinstance(o, str) else type(o).__name__ for o in outcomes)
    ids = [o for o in outcomes if isinstance(o, int)]
    # One vote per voter (either of two ballots), one vote per proof (either browser).
    assert len(ids) == len(set(ids)) == 60, codes
    assert codes == {"int": 60, "already_voted": 20, "human_check": 10}
    stored = Vote.objects.filter(poll_key=poll.translation_key)
    assert set(stored.values_list("pk", flat=True)) == set(ids)
    assert VoteChoice.objects.filter(poll_key=poll.translation_key).count() == 60
    sent: dict[str, set] = {}
    for browser, choice, _proof in jobs:
        sent.setdefault(f"b:{browser}", set()).add(choice.translation_key)
    for vote in stored:  # each stored ballot is one its voter sent
        (choice_key,) = [c.choice_key for c in vote.selections.all()]
        assert choice_key in sent[vote.voter]
    written = groupcommit.writer.votes - votes
    assert groupcommit.writer.batches - batches < written, "no two votes shared a statement"


def test_one_votes_failure_does_not_fail_the_votes_written_with_it(poll_factory):
    """A batch the database refuses as a whole is written vote by vote instead: the bad
    vote gets its own error, the others are stored."""
    poll = poll_factory()
    key = poll.choices.first().translation_key
    writer = groupcommit.VoteWriter()
    now = timezone.now()

    def values(voter: str, language: str = "ar") -> list:
        return [poll.translation_key, voter, voter[2:], None, language, "", "", "", now]

    gate = threading.Event()
    with writer._lock:  # a write in flight: the votes below queue up behind it
        writer._writing = True

    def write(row):
        try:
            vote_id = writer.write(row, [key])
        except groupcommit.WriteAlone:
            try:
                return ("alone", groupcommit.insert_one(row, [key]))
            except DataError:
                return ("alone", "refused")
            finally:
                connection.close()
        return ("batch", vote_id)

    rows = [values(f"b:{uuid.uuid4().hex}") for _ in range(4)]
    rows.append(values(f"b:{uuid.uuid4().hex}", language="x" * 500))  # too long a column
    threads, outcomes = [], {}
    for n, row in enumerate(rows):
        thread = threading.Thread(target=lambda n=n, row=row: outcomes.update({n: write(row)}))
        threads.append(thread)
        thread.start()
    while len(writer._queue) < len(rows):
        gate.wait(0.01)
    with writer._lock:  # the write in flight ends: the first queued vote leads the rest
        writer._queue[0].outcome = "lead"
        writer._queue[0].ready.set()
    for thread in threads:
        thread.join(timeout=30)

    assert [outcomes[n][0] for n in range(5)] == ["alone"] * 5
    assert outcomes[4][1] == "refused"
    assert all(isinstance(outcomes[n][1], int) for n in range(4))
    assert Vote.objects.filter(poll_key=poll.translation_key).count() == 4
