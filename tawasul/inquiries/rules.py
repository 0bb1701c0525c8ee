"""Who may do what with an inquiry, as plain predicates (tests/test_rules.py: role × state).

Staff see the cases of the departments they belong to (``DeskMember``); those who may
triage (``inquiries.view_all_cases``) and superusers see every case, including the ones
no department holds yet (the triage queue).
"""

from __future__ import annotations

from tawasul.inquiries.models import Case, DeskMember

State = Case.State

# The state machine: from -> the states a case may move to.
TRANSITIONS: dict[str, set[str]] = {
    State.NEW: {State.ASSIGNED, State.IN_PROGRESS, State.AWAITING, State.ANSWERED,
                State.DUPLICATE, State.NOT_OUR_REMIT},
    State.ASSIGNED: {State.NEW, State.IN_PROGRESS, State.AWAITING, State.ANSWERED,
                     State.DUPLICATE, State.NOT_OUR_REMIT},
    State.IN_PROGRESS: {State.NEW, State.AWAITING, State.ANSWERED, State.DUPLICATE,
                        State.NOT_OUR_REMIT},
    State.AWAITING: {State.IN_PROGRESS, State.ANSWERED, State.CLOSED},
    State.ANSWERED: {State.CLOSED, State.REOPENED, State.AWAITING},
    State.CLOSED: {State.REOPENED},
    State.REOPENED: {State.NEW, State.ASSIGNED, State.IN_PROGRESS, State.AWAITING,
                     State.ANSWERED, State.DUPLICATE, State.NOT_OUR_REMIT},
    State.DUPLICATE: {State.REOPENED},
    State.NOT_OUR_REMIT: {State.REOPENED},
}  # fmt: skip

# States in which the working-day clock runs.
CLOCK_RUNS = {State.NEW, State.ASSIGNED, State.IN_PROGRESS, State.REOPENED}
# States in which staff work on the case (assign, transfer, reply, note).
WORKING = {State.NEW, State.ASSIGNED, State.IN_PROGRESS, State.AWAITING, State.REOPENED}


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, set())


def _staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_all(user) -> bool:
    return _staff(user) and (user.is_superuser or user.has_perm("inquiries.view_all_cases"))


def can_use_desk(user) -> bool:
    return _staff(user) and (sees_all(user) or user.has_perm("inquiries.handle_case"))


def department_ids(user) -> set[int]:
    if not _staff(user):
        return set()
    cached = getattr(user, "_inquiry_department_ids", None)
    if cached is None:
        cached = set(DeskMember.objects.filter(user=user).values_list("department_id", flat=True))
        user._inquiry_department_ids = cached
    return cached


def can_see(user, case: Case) -> bool:
    if sees_all(user):
        return True
    return can_use_desk(user) and case.department_id in department_ids(user)


# action -> the states it is allowed in (besides seeing the case)
ACTION_STATES: dict[str, set[str]] = {
    "assign": {State.NEW, State.ASSIGNED, State.IN_PROGRESS, State.REOPENED},
    "start": {State.NEW, State.ASSIGNED, State.REOPENED},
    "transfer": WORKING,
    "reply": WORKING,
    "ask": WORKING - {State.AWAITING},
    "note": set(State.values),
    "close": {State.ANSWERED, State.AWAITING},
    "reopen": {State.ANSWERED, State.CLOSED, State.DUPLICATE, State.NOT_OUR_REMIT},
    "duplicate": WORKING - {State.AWAITING},
    "refer": WORKING - {State.AWAITING},
    "faq": {State.ANSWERED, State.CLOSED},
}


def can(user, action: str, case: Case) -> bool:
    """Whether ``user`` may take ``action`` on ``case`` in its present state."""
    if not can_see(user, case):
        return False
    if case.anonymised_at is not None:
        return False
    return case.state in ACTION_STATES.get(action, set())


def can_citizen_add(case: Case) -> bool:
    """The citizen may add information while the case is open (not closed, duplicate
    or not our remit); a message to an answered case reopens it."""
    return case.is_open and case.anonymised_at is None


def can_rate(case: Case) -> bool:
    return case.state == State.CLOSED and case.rated_at is None and case.anonymised_at is None


def can_see_reports(user) -> bool:
    return _staff(user) and (user.is_superuser or user.has_perm("inquiries.view_reports"))


def can_approve_faq(user) -> bool:
    return _staff(user) and (user.is_superuser or user.has_perm("inquiries.approve_faq"))
