"""Permission matrix: role × action × state. Staff see only their department's cases;
triage staff and administrators see all; citizens and other roles see none."""

from __future__ import annotations

import pytest

from tawasul.inquiries import rules
from tawasul.inquiries.models import Case

pytestmark = pytest.mark.django_db
State = Case.State

# action -> states in which a member of the case's department may take it
EXPECTED = {
    "assign": {"new", "assigned", "in_progress", "reopened"},
    "start": {"new", "assigned", "reopened"},
    "transfer": {"new", "assigned", "in_progress", "awaiting", "reopened"},
    "reply": {"new", "assigned", "in_progress", "awaiting", "reopened"},
    "ask": {"new", "assigned", "in_progress", "reopened"},
    "note": set(State.values),
    "close": {"answered", "awaiting"},
    "reopen": {"answered", "closed", "duplicate", "not_our_remit"},
    "duplicate": {"new", "assigned", "in_progress", "reopened"},
    "refer": {"new", "assigned", "in_progress", "reopened"},
    "faq": {"answered", "closed"},
}


@pytest.fixture
def case(case_factory):
    return case_factory()


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_member_of_the_department_may_act_as_the_state_allows(desk_agent, case, state, action):
    case.state = state
    assert rules.can(desk_agent.user, action, case) == (state in EXPECTED[action])


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("persona", ["citizen", "moderator", "editor", "analyst", "agent"])
def test_others_may_do_nothing_with_a_case(request, case, state, persona):
    """An agent of no department, and every other role, see no case in any state."""
    user = request.getfixturevalue(persona).user
    case.state = state
    assert not rules.can_see(user, case)
    assert not any(rules.can(user, action, case) for action in EXPECTED)


@pytest.mark.parametrize("state", State.values)
def test_administrators_see_every_case(admin, case, state):
    case.state = state
    assert rules.can_see(admin.user, case)
    assert rules.can(admin.user, "note", case)


def test_every_action_moves_only_along_the_transition_table():
    targets = {
        "start": "in_progress",
        "close": "closed",
        "reopen": "reopened",
        "duplicate": "duplicate",
        "refer": "not_our_remit",
        "ask": "awaiting",
        "reply": "answered",
    }
    for action, target in targets.items():
        for state in EXPECTED[action]:
            assert rules.can_move(state, target), (action, state)


def test_the_queue_holds_only_the_departments_cases(desk_agent, case_factory, demo_site):
    from tawasul.inquiries import selectors
    from tawasul.inquiries.tests.conftest import make_case, topic_named

    mine = case_factory()
    other = make_case(topic_named("Traffic and vehicles"), email="t@example.org")
    triage = make_case(topic_named("Something else"), email="s@example.org")
    seen = set(selectors.cases_for(desk_agent.user))
    assert mine in seen and other not in seen and triage not in seen


def test_the_analyst_sees_reports_but_no_case(analyst, case):
    assert rules.can_see_reports(analyst.user)
    assert not rules.can_use_desk(analyst.user)
