"""Hundreds of simultaneous votes against a live server: every acknowledged vote is
counted exactly once, every duplicate is refused, and the tallies equal the stored votes.

Runs on whichever database the suite runs on (SQLite by default, PostgreSQL with
DATABASE_URL); the server is Django's threaded live server, one thread per request,
serving the application ``tawasul serve`` serves (``tawasul.wsgi``), so the anonymous
votes take the lane they take in production (``polls/lane.py``).
"""

from __future__ import annotations

import http.client
import json
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.core.signing import get_cookie_signer

from tawasul.core import antibot, identity
from tawasul.polls import selectors
from tawasul.polls.models import Poll, Vote, VoteChoice

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VOTERS = 300
CLIENTS = 32


def cookie_for(browser: str) -> str:
    """The signed cookie the server would have given this browser."""
    signed = get_cookie_signer(salt=identity.COOKIE + identity.SALT).sign(browser)
    return f"{identity.COOKIE}={signed}"


def attempts_for(poll: Poll, rng: random.Random) -> list[dict]:
    """Each voter sends one to three votes (different ballots) at nearly the same time."""
    ids = [choice.pk for choice in poll.choices.all()]
    attempts = []
    for n in range(VOTERS):
        browser = f"{n:032x}"
        for _ in range(rng.choice([1, 1, 2, 3])):
            picked = rng.sample(ids, rng.randint(1, 2))
            body = {
                "choices": picked,
                "altcha": antibot.solve(antibot.challenge_new(scope="polls:vote")),
            }
            attempts.append({"voter": browser, "body": body})
    return attempts


def send(base: str, attempt: dict) -> tuple[dict, int]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(
            "POST",
            attempt["path"],
            body=json.dumps(attempt["body"]),
            headers={"Content-Type": "application/json", "Cookie": cookie_for(attempt["voter"])},
        )
        response = connection.getresponse()
        response.read()
        return attempt, response.status
    finally:
        connection.close()


def fire(live_server, poll: Poll, attempts: list[dict]) -> list[tuple[dict, int]]:
    for attempt in attempts:
        attempt["path"] = f"/api/v1/polls/{poll.pk}/votes"
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(lambda attempt: send(live_server.url, attempt), attempts))


@pytest.fixture
def live_server(live_server):
    """The live server, answering with the production entrance while the test runs."""
    from tawasul.wsgi import application

    httpd = live_server.thread.httpd
    before = httpd.get_app()
    httpd.set_app(application)
    yield live_server
    httpd.set_app(before)


@pytest.fixture
def fast_checks(settings):
    settings.TAWASUL_POW_MAX_NUMBER = 1_000  # solving hundreds of challenges stays quick
    settings.POLL_VOTES_PER_IP = 100_000  # every client is 127.0.0.1 here


def test_hundreds_of_concurrent_votes_are_counted_exactly_once(
    demo_site, live_server, poll_factory, fast_checks
):
    """Both kinds of poll in one test: two database-flushing tests in a row without a
    browser test between them fail to restore the serialized demo data (a limit of
    the shared test setup, not of polls)."""
    single_vote(live_server, poll_factory)
    changeable_vote(live_server, poll_factory)


def single_vote(live_server, poll_factory):
    poll = poll_factory(kind=Poll.Kind.MULTIPLE, max_choices=2, choices=("أ", "ب", "ج", "د"))
    attempts = attempts_for(poll, random.Random(6))
    results = fire(live_server, poll, attempts)

    statuses = Counter(status for _attempt, status in results)
    assert set(statuses) <= {201, 409}, statuses
    winners = [attempt for attempt, status in results if status == 201]
    assert len(winners) == VOTERS, statuses
    assert len({attempt["voter"] for attempt in winners}) == VOTERS
    assert statuses[409] == len(attempts) - VOTERS

    expected = Counter(pk for attempt in winners for pk in attempt["body"]["choices"])
    tally = selectors.poll_tally(poll)
    by_id = {choice.translation_key: choice.pk for choice in poll.choices.all()}
    assert tally.voters == VOTERS == Vote.objects.filter(poll_key=poll.translation_key).count()
    assert {by_id[row.key]: row.votes for row in tally.rows} == {
        pk: expected.get(pk, 0) for pk in by_id.values()
    }
    assert tally.selections == VoteChoice.objects.filter(poll_key=poll.translation_key).count()


def changeable_vote(live_server, poll_factory):
    """Where votes may change, simultaneous changes leave one whole ballot per voter."""
    poll = poll_factory(
        kind=Poll.Kind.MULTIPLE, max_choices=2, allow_change=True, choices=("أ", "ب", "ج")
    )
    attempts = attempts_for(poll, random.Random(7))
    results = fire(live_server, poll, attempts)

    statuses = Counter(status for _attempt, status in results)
    assert set(statuses) <= {200, 201}, statuses
    assert statuses[201] == VOTERS and statuses[200] == len(attempts) - VOTERS
    votes = Vote.objects.filter(poll_key=poll.translation_key)
    assert votes.count() == VOTERS
    per_vote = Counter(
        VoteChoice.objects.filter(poll_key=poll.translation_key).values_list("vote_id", flat=True)
    )
    assert len(per_vote) == VOTERS and set(per_vote.values()) <= {1, 2}
    # Each stored ballot is one that its voter sent (no mix of two ballots).
    sent = {}
    for attempt, _status in results:
        sent.setdefault(attempt["voter"], []).append(sorted(attempt["body"]["choices"]))
    keys = {choice.translation_key: choice.pk for choice in poll.choices.all()}
    stored: dict[int, list[int]] = {}
    for vote_id, key in VoteChoice.objects.filter(poll_key=poll.translation_key).values_list(
        "vote_id", "choice_key"
    ):
        stored.setdefault(vote_id, []).append(keys[key])
    for vote in votes:
        assert sorted(stored[vote.pk]) in sent[vote.browser]
    assert selectors.poll_tally(poll).selections == sum(per_vote.values())
