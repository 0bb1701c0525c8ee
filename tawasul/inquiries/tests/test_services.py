"""The desk's services: the state machine (illegal moves refused), transfers with their
history, internal notes never mailed, the paused clock, warnings and escalations,
retention, and the FAQ's second pair of eyes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tawasul.core.models import Department
from tawasul.inquiries import rules, services
from tawasul.inquiries.models import Case, DeskMember, Event, FaqEntry, Message
from tawasul.inquiries.tests.conftest import mails_to

pytestmark = pytest.mark.django_db
State = Case.State


def test_references_are_unique_and_not_sequential(case_factory):
    references = {case_factory(email=f"p{n}@example.org").reference for n in range(20)}
    assert len(references) == 20


def test_submission_routes_to_the_topics_department_and_starts_the_clock(case_factory, passports):
    case = case_factory()
    assert case.department == passports.department
    assert case.due_on is not None and case.due_on > timezone.localdate()
    assert case.events.get().action == "submit"


def test_a_topic_without_department_goes_to_triage(demo_site):
    from tawasul.inquiries.tests.conftest import make_case, topic_named

    case = make_case(topic_named("Something else"))
    assert case.department is None


def test_hostile_text_is_kept_as_text_without_hidden_characters(case_factory):
    case = case_factory(
        subject="<script>alert(1)</script>\u202eabc\u200b", message="'; DROP TABLE x;--"
    )
    assert case.subject == "<script>alert(1)</script>abc"
    assert case.messages.get().body == "'; DROP TABLE x;--"


def test_assign_reply_close_reopen_walk(case_factory, desk_agent):
    user = desk_agent.user
    case = case_factory()
    case = services.case_assign(case_id=case.pk, actor=user, assignee=user)
    assert case.state == State.ASSIGNED
    case = services.case_start(case_id=case.pk, actor=user)
    assert case.state == State.IN_PROGRESS
    services.case_reply(case_id=case.pk, actor=user, body="الجواب")
    case.refresh_from_db()
    assert case.state == State.ANSWERED
    assert case.first_answered_at is not None and case.answered_in_time is True
    case = services.case_close(case_id=case.pk, actor=user)
    assert case.state == State.CLOSED and case.closed_at
    case = services.case_reopen(case_id=case.pk, actor=user)
    assert case.state == State.REOPENED
    moves = list(case.events.exclude(from_state="").values_list("from_state", "to_state"))
    assert moves == [
        ("new", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "closed"),
        ("closed", "reopened"),
    ]


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.NEW, "close"),
        (State.CLOSED, "reply"),
        (State.CLOSED, "start"),
        (State.DUPLICATE, "reply"),
        (State.NOT_OUR_REMIT, "close"),
        (State.ANSWERED, "start"),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(case_factory, desk_agent, state, action):
    case = case_factory()
    Case.objects.filter(pk=case.pk).update(state=state)
    calls = {
        "close": lambda: services.case_close(case_id=case.pk, actor=desk_agent.user),
        "reply": lambda: services.case_reply(case_id=case.pk, actor=desk_agent.user, body="x"),
        "start": lambda: services.case_start(case_id=case.pk, actor=desk_agent.user),
    }
    with pytest.raises(services.CaseRefused):
        calls[action]()
    case.refresh_from_db()
    assert case.state == state
    assert not case.messages.filter(kind=Message.Kind.REPLY).exists()


def test_the_transition_table_never_leaves_a_dead_end():
    for state in State.values:
        assert rules.TRANSITIONS[state], state


def test_transfer_moves_the_case_and_keeps_the_history(
    case_factory, desk_agent, traffic_department
):
    case = case_factory()
    services.case_assign(case_id=case.pk, actor=desk_agent.user, assignee=desk_agent.user)
    services.case_transfer(
        case_id=case.pk, actor=desk_agent.user, department=traffic_department, note="مرور"
    )
    case.refresh_from_db()
    assert case.department == traffic_department
    assert case.assignee is None and case.state == State.NEW
    event = case.events.get(action="transfer")
    assert event.from_department != event.to_department == traffic_department
    assert event.actor == desk_agent.user
    # The agent no longer sees it: it is the traffic department's now.
    assert not rules.can_see(desk_agent.user, case)


def test_internal_notes_are_never_mailed(case_factory, desk_agent):
    case = case_factory()
    mail.outbox.clear()
    note = services.case_note(case_id=case.pk, actor=desk_agent.user, body="سري للغاية")
    assert services.case_mail_send(case_id=case.pk, kind="reply", message_pk=note.pk) is False
    assert not mails_to("amal@example.org")
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="رد عام")
    (reply,) = mails_to("amal@example.org")
    assert "رد عام" in reply.body and "سري للغاية" not in reply.body


def test_duplicate_links_to_the_original(case_factory, desk_agent):
    original = case_factory()
    copy = case_factory(email="amal2@example.org")
    services.case_mark_duplicate(
        case_id=copy.pk, actor=desk_agent.user, original_reference=original.reference
    )
    copy.refresh_from_db()
    assert copy.state == State.DUPLICATE and copy.duplicate_of == original
    with pytest.raises(services.CaseRefused):
        services.case_mark_duplicate(
            case_id=original.pk, actor=desk_agent.user, original_reference="MOI-2026-ZZZZZ"
        )


def test_not_our_remit_tells_the_citizen_where_to_turn(case_factory, desk_agent):
    case = case_factory()
    mail.outbox.clear()
    services.case_refer(case_id=case.pk, actor=desk_agent.user, referral="وزارة الصحة")
    case.refresh_from_db()
    assert case.state == State.NOT_OUR_REMIT
    assert "وزارة الصحة" in mails_to("amal@example.org")[0].body


def test_waiting_for_the_citizen_pauses_the_clock(case_factory, desk_agent, monkeypatch):
    case = case_factory()
    due = case.due_on
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="أرسل الوثيقة", ask=True)
    case.refresh_from_db()
    assert case.state == State.AWAITING and case.paused_on == timezone.localdate()
    later = timezone.localdate() + timedelta(days=7)  # a week: five working days
    monkeypatch.setattr(timezone, "localdate", lambda *args: later)
    services.case_citizen_message(case_id=case.pk, body="الوثيقة")
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS and case.paused_on is None
    assert case.due_on > due


def test_deadlines_warn_at_80_percent_and_escalate_to_the_head_at_100(
    case_factory, desk_agent, head
):
    case = case_factory()
    mail.outbox.clear()
    total = case.response_days
    from tawasul.inquiries.calendar import add_working_days

    created = timezone.localdate()
    near = add_working_days(created, int(total * 0.8 + 0.5))
    assert services.deadlines_check(today=created) == {"warned": 0, "escalated": 0}
    assert services.deadlines_check(today=near) == {"warned": 1, "escalated": 0}
    assert services.deadlines_check(today=near) == {"warned": 0, "escalated": 0}  # once
    warning = [m for m in mail.outbox if "80%" in m.body]
    assert warning and "agent@example.org" in warning[0].to
    past = case.due_on + timedelta(days=1)
    assert services.deadlines_check(today=past)["escalated"] == 1
    assert services.deadlines_check(today=past)["escalated"] == 0
    escalation = mail.outbox[-1]
    assert escalation.to == ["head@example.org"]
    assert case.reference in escalation.subject


def test_a_case_awaiting_the_citizen_is_never_escalated(case_factory, desk_agent):
    case = case_factory()
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="سؤال", ask=True)
    result = services.deadlines_check(today=case.due_on + timedelta(days=30))
    assert result == {"warned": 0, "escalated": 0}


def test_closed_cases_are_anonymised_after_the_retention_period(case_factory, desk_agent, settings):
    settings.INQUIRIES_RETENTION_DAYS = 30
    case = case_factory(phone="5555")
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="الجواب")
    services.case_close(case_id=case.pk, actor=desk_agent.user)
    assert services.cases_anonymise_due() == 0
    later = timezone.now() + timedelta(days=31)
    assert services.cases_anonymise_due(now=later) == 1
    case.refresh_from_db()
    assert case.anonymised_at and not case.name and not case.phone
    assert "amal" not in case.email
    assert not case.messages.exclude(body="").exists()
    assert case.kind == Case.Kind.QUESTION and case.first_answered_at  # figures stay
    assert services.cases_anonymise_due(now=later) == 0


def test_an_faq_entry_needs_a_second_person(desk_agent, head):
    entry = services.faq_draft(
        actor=desk_agent.user, question="سؤال؟", answer="جواب", language="ar"
    )
    with pytest.raises(services.CaseRefused):
        services.faq_approve(entry_id=entry.pk, actor=desk_agent.user)
    assert FaqEntry.objects.get().state == FaqEntry.State.DRAFT
    services.faq_approve(entry_id=entry.pk, actor=head.user)
    assert FaqEntry.objects.get().state == FaqEntry.State.PUBLISHED


def test_staff_may_assign_only_members_of_the_department(case_factory, desk_agent, user_factory):
    outsider = user_factory(email="out@example.org", roles=["agent"])
    DeskMember.objects.create(
        user=outsider, department=Department.objects.get(slug="traffic", locale__language_code="ar")
    )
    case = case_factory()
    with pytest.raises(services.CaseRefused):
        services.case_assign(case_id=case.pk, actor=desk_agent.user, assignee=outsider)


def test_every_change_is_in_the_history_with_who_and_when(case_factory, desk_agent):
    case = case_factory()
    services.case_note(case_id=case.pk, actor=desk_agent.user, body="ملاحظة")
    event = Event.objects.filter(case=case, action="note").get()
    assert event.actor == desk_agent.user and event.at
