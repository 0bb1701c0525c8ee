"""Simultaneous requests on a real database (SQLite by default, PostgreSQL with
DATABASE_URL): a double-clicked form makes one case, a rating counts once, and two staff
moving the same case at once never both win."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tawasul.inquiries import services
from tawasul.inquiries.models import Case, DeskMember, Event
from tawasul.inquiries.tests.conftest import make_case, topic_named

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CLIENTS = 8


def at_once(calls):
    """Run the calls in threads at the same time; each result or the exception raised."""

    def run(call):
        try:
            return call()
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_the_same_form_sent_at_once_makes_one_case(demo_site, settings):
    settings.INQUIRIES_PER_EMAIL_DAY = 100  # the limit is not what is tested here
    topic = topic_named("Passports and residency")
    results = at_once(
        [
            lambda: make_case(topic, idempotency_key="same-form-key-0123456789")
            for _ in range(CLIENTS)
        ]
    )
    assert Case.objects.count() == 1
    assert all(isinstance(result, Case) for result in results), results


def test_a_rating_sent_many_times_at_once_counts_once(demo_site, user_factory):
    topic = topic_named("Passports and residency")
    staff = user_factory(email="desk@example.org", roles=["agent"])
    DeskMember.objects.create(user=staff, department=topic.department)
    case = make_case(topic)
    services.case_reply(case_id=case.pk, actor=staff, body="الجواب")
    services.case_close(case_id=case.pk, actor=staff)
    results = at_once(
        [
            (lambda score=score: services.case_rate(case_id=case.pk, score=score))
            for score in [1, 2, 3, 4, 5, 1, 2, 3]
        ]
    )
    assert sum(isinstance(result, Case) for result in results) == 1
    assert Event.objects.filter(case=case, action="rate").count() == 1


def test_two_staff_closing_at_once_close_it_once(demo_site, user_factory):
    topic = topic_named("Passports and residency")
    staff = [user_factory(email=f"desk{n}@example.org", roles=["agent"]) for n in range(CLIENTS)]
    for person in staff:
        DeskMember.objects.create(user=person, department=topic.department)
    case = make_case(topic)
    services.case_reply(case_id=case.pk, actor=staff[0], body="الجواب")
    results = at_once(
        [
            (lambda person=person: services.case_close(case_id=case.pk, actor=person))
            for person in staff
        ]
    )
    assert sum(isinstance(result, Case) for result in results) == 1
    assert Event.objects.filter(case=case, action="close").count() == 1
