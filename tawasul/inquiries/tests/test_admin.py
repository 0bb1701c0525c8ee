"""The staff desk in the Wagtail admin: the queue by department with filters, one case
with its actions, audit of views and exports, reports as CSV and XLSX."""

from __future__ import annotations

import io

import pytest
from wagtail.models import ModelLogEntry

from tawasul.inquiries.models import Case, Message

pytestmark = pytest.mark.django_db
QUEUE = "/admin/inquiries_admin/"


def test_agent_sees_the_departments_queue_and_filters_it(desk_agent, case_factory, demo_site):
    from tawasul.inquiries.tests.conftest import make_case, topic_named

    mine = case_factory(subject="سؤال عن الجواز")
    make_case(topic_named("Traffic and vehicles"), email="t@example.org", subject="سؤال مرور")
    page = desk_agent.get(QUEUE).content.decode()
    assert mine.reference in page and "سؤال مرور" not in page
    assert mine.reference not in desk_agent.get(QUEUE + "?state=closed").content.decode()
    assert mine.reference not in desk_agent.get(QUEUE + "?assignee=me").content.decode()
    assert mine.reference in desk_agent.get(QUEUE + "?assignee=none").content.decode()
    assert mine.reference not in desk_agent.get(QUEUE + "?overdue=1").content.decode()


def test_a_case_of_another_department_is_not_found(desk_agent, demo_site):
    from tawasul.inquiries.tests.conftest import make_case, topic_named

    other = make_case(topic_named("Traffic and vehicles"))
    assert desk_agent.get(f"{QUEUE}case/{other.pk}/").status_code == 404
    response = desk_agent.post(f"{QUEUE}case/{other.pk}/act/", {"action": "note", "text": "x"})
    assert response.status_code == 404
    assert not other.messages.filter(kind=Message.Kind.NOTE).exists()


@pytest.mark.parametrize("persona", ["citizen", "editor", "moderator", "analyst"])
def test_people_without_the_desk_cannot_open_it(request, persona, case_factory):
    case = case_factory()
    client = request.getfixturevalue(persona)
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.get(f"{QUEUE}case/{case.pk}/").status_code in (302, 403)


def test_opening_a_case_is_audit_logged(desk_agent, case_factory):
    case = case_factory()
    assert desk_agent.get(f"{QUEUE}case/{case.pk}/").status_code == 200
    assert ModelLogEntry.objects.filter(action="inquiries.view", user=desk_agent.user).exists()


def test_staff_assign_answer_and_close_through_the_desk(desk_agent, case_factory):
    case = case_factory()
    url = f"{QUEUE}case/{case.pk}/act/"
    desk_agent.post(url, {"action": "assign", "assignee": desk_agent.user.pk})
    desk_agent.post(url, {"action": "note", "text": "ملاحظة"})
    desk_agent.post(url, {"action": "reply", "text": "الجواب"})
    desk_agent.post(url, {"action": "close"})
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED and case.assignee == desk_agent.user
    page = desk_agent.get(f"{QUEUE}case/{case.pk}/").content.decode()
    assert "ملاحظة" in page and "الجواب" in page


def test_an_illegal_action_gets_a_message_and_changes_nothing(desk_agent, case_factory):
    case = case_factory()
    response = desk_agent.post(f"{QUEUE}case/{case.pk}/act/", {"action": "close"}, follow=True)
    assert "cannot" in response.content.decode() or "لا" in response.content.decode()
    case.refresh_from_db()
    assert case.state == Case.State.NEW


def test_transfer_through_the_desk_hands_the_case_over(
    desk_agent, case_factory, traffic_department
):
    case = case_factory()
    response = desk_agent.post(
        f"{QUEUE}case/{case.pk}/act/",
        {"action": "transfer", "department": traffic_department.pk, "text": "للمرور"},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    case.refresh_from_db()
    assert case.department == traffic_department


def test_reports_and_exports_for_the_analyst(analyst, case_factory):
    from openpyxl import load_workbook

    case = case_factory()
    page = analyst.get(f"{QUEUE}reports/")
    assert page.status_code == 200
    csv = b"".join(analyst.get(f"{QUEUE}reports/export.csv").streaming_content).decode()
    assert case.reference in csv and "amal@example.org" not in csv
    xlsx = analyst.get(f"{QUEUE}reports/export.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert any(case.reference in str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert ModelLogEntry.objects.filter(action="inquiries.export").count() == 2


def test_faq_approval_screen_for_a_second_person(desk_agent, head):
    from tawasul.inquiries import services

    entry = services.faq_draft(actor=desk_agent.user, question="س؟", answer="ج", language="ar")
    approve = f"faq/{entry.pk}/approve/"
    assert approve not in desk_agent.get(f"{QUEUE}faq/").content.decode()  # the author
    assert approve in head.get(f"{QUEUE}faq/").content.decode()
    head.post(f"{QUEUE}faq/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.state == "published" and entry.approved_by == head.user


def test_a_canned_response_fills_in_the_cases_values(desk_agent, case_factory):
    from wagtail.models import Locale

    from tawasul.inquiries.models import CannedResponse

    case = case_factory()
    canned = CannedResponse.objects.create(
        title="استلام",
        body="عزيزتي {name}، استلمنا طلبك {reference} وسنرد قبل {due}. {unknown}",
        locale=Locale.objects.get(language_code="ar"),
    )
    page = desk_agent.get(f"{QUEUE}case/{case.pk}/?canned={canned.pk}").content.decode()
    assert f"عزيزتي أمل، استلمنا طلبك {case.reference} وسنرد قبل {case.due_on.isoformat()}" in page
    assert "{unknown}" in page


def test_the_queue_costs_the_same_queries_for_5_or_25_cases(desk_agent, case_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert desk_agent.get(QUEUE).status_code == 200
        return len(captured)

    for n in range(5):
        case_factory(email=f"a{n}@example.org")
    queries()  # warm the caches (session, content types, menu)
    few = queries()
    for n in range(20):
        case_factory(email=f"b{n}@example.org")
    assert queries() == few
