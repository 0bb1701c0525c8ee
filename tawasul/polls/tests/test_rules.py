"""Who may do what with a poll: role × action × poll state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tawasul.polls import rules
from tawasul.polls.models import Poll

pytestmark = pytest.mark.django_db

NOW = timezone.now()
STATES = {
    "draft": {"status": Poll.Status.DRAFT},
    "scheduled": {"opens_at": NOW + dt.timedelta(days=1), "closes_at": NOW + dt.timedelta(days=2)},
    "open": {},
    "closed": {"opens_at": NOW - dt.timedelta(days=2), "closes_at": NOW - dt.timedelta(days=1)},
}
ROLES = ["anonymous", "citizen", "editor", "moderator", "analyst", "administrator"]


@pytest.fixture
def people(user_factory):
    from tawasul.accounts.roles import ensure_roles

    ensure_roles()
    people = {"anonymous": AnonymousUser(), "citizen": user_factory()}
    for role in ("editor", "moderator", "analyst", "administrator"):
        people[role] = user_factory(roles=[role])
    return people


def poll_in(poll_factory, state: str, **fields) -> Poll:
    return poll_factory(**{**STATES[state], **fields})


# who may vote: anyone-polls and citizens-only polls, in each state
VOTE = {
    ("anyone", "open"): set(ROLES),
    ("citizens", "open"): set(ROLES) - {"anonymous"},
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("electorate", ["anyone", "citizens"])
def test_who_may_vote(poll_factory, people, state, electorate):
    poll = poll_in(poll_factory, state, electorate=electorate)
    allowed = {role for role in ROLES if rules.can_vote(people[role], poll)}
    assert allowed == VOTE.get((electorate, state), set())


# the public results rule: visibility × state × has the person voted
PUBLIC_RESULTS = {
    ("always", "open", False): True,
    ("always", "open", True): True,
    ("after_voting", "open", False): False,
    ("after_voting", "open", True): True,
    ("after_closing", "open", False): False,
    ("after_closing", "open", True): False,
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("visibility", ["always", "after_voting", "after_closing"])
@pytest.mark.parametrize("has_voted", [False, True])
def test_who_sees_results_publicly(poll_factory, people, state, visibility, has_voted):
    poll = poll_in(poll_factory, state, results_visibility=visibility)
    expected = state == "closed" or PUBLIC_RESULTS.get((visibility, state, has_voted), False)
    for role in ROLES:
        assert rules.can_see_results(people[role], poll, has_voted=has_voted) is expected


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("staff_live", [False, True])
def test_which_staff_see_results_and_export(poll_factory, people, state, staff_live):
    poll = poll_in(
        poll_factory,
        state,
        results_visibility=Poll.Visibility.AFTER_CLOSING,
        staff_see_live_results=staff_live,
    )
    sees = {role for role in ROLES if rules.can_see_results_as_staff(people[role], poll)}
    exports = {role for role in ROLES if rules.can_export(people[role], poll)}
    if state == "closed" or (state == "open" and staff_live):
        assert sees == {"analyst", "administrator"}
        assert exports == {"analyst", "administrator"}
    else:
        assert sees == exports == set()


def test_public_results_are_public_to_staff_too(poll_factory, people):
    poll = poll_factory(results_visibility=Poll.Visibility.ALWAYS, staff_see_live_results=False)
    assert rules.can_see_results_as_staff(people["analyst"], poll)
    assert not rules.can_see_results_as_staff(people["editor"], poll)


def test_who_reviews_free_answers(people):
    allowed = {role for role in ROLES if rules.can_moderate_other(people[role])}
    assert allowed == {"moderator", "administrator"}


@pytest.mark.parametrize(
    ("allow_change", "state", "expected"),
    [
        (True, "open", True),
        (True, "closed", False),
        (False, "open", False),
    ],
)
def test_changing_a_vote(poll_factory, allow_change, state, expected):
    assert (
        rules.can_change_vote(poll_in(poll_factory, state, allow_change=allow_change)) is expected
    )


@pytest.mark.parametrize("staff_live", [False, True])
@pytest.mark.parametrize("visibility", ["always", "after_voting", "after_closing"])
def test_the_rule_is_stated_in_words_including_staff(poll_factory, staff_live, visibility):
    from django.utils import translation

    poll = poll_factory(results_visibility=visibility, staff_see_live_results=staff_live)
    with translation.override("en"):
        text = rules.results_rule_text(poll)
    assert "staff" in text or "analysts" in text
    if visibility != "always":
        assert ("recorded" in text) is staff_live
