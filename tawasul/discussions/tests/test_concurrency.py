"""Simultaneous first votes and vote changes by the same person: one participant, one vote
per statement, whatever the interleaving (database constraints decide)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tawasul.discussions import selectors, services
from tawasul.discussions.models import Participant, Vote
from tawasul.discussions.tests.conftest import make_issue

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_same_person_voting_at_once_makes_one_participant_and_one_vote_each(demo_site):
    issue = make_issue(title="قضية التزامن", seeds=("رأي أ", "رأي ب"))
    statements = list(selectors.votable_statements(issue.key).values_list("pk", flat=True))
    people = [services.Identity(browser=f"{n:032x}") for n in range(6)]
    jobs = [
        (who, statement, value)
        for who in people
        for statement in statements
        for value in ("agree", "disagree", "pass", "agree")
    ]

    def cast(job):
        who, statement, value = job
        try:
            services.vote_cast(issue=issue, statement_id=statement, value=value, identity=who)
            return True
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(cast, jobs))
    assert all(results)
    assert Participant.objects.filter(issue_key=issue.key).count() == len(people)
    assert Vote.objects.filter(issue_key=issue.key).count() == len(people) * len(statements)
