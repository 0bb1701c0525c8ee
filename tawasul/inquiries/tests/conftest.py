"""Fixtures of the inquiries tests: topics from the demo, desk staff in departments, and
sending the public form as a browser does."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from conftest import human_check
from tawasul.core.models import Department
from tawasul.inquiries import services
from tawasul.inquiries.models import Case, DeskMember, Topic


@pytest.fixture(autouse=True)
def _after_commit_at_once(monkeypatch):
    """Each test runs in a transaction that never commits: what services do "after the
    commit" (queue mail) happens at once instead, as it would after a real commit."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def topic_named(name_en: str, language: str = "ar") -> Topic:
    english = Topic.objects.get(name=name_en, locale__language_code="en")
    return english.get_translation(english.locale.__class__.objects.get(language_code=language))


@pytest.fixture
def passports(demo_site) -> Topic:
    return topic_named("Passports and residency")


@pytest.fixture
def traffic_department(demo_site) -> Department:
    return Department.objects.get(slug="traffic", locale__language_code="ar")


def make_case(topic: Topic, *, email="amal@example.org", **fields) -> Case:
    data = {
        "kind": Case.Kind.QUESTION,
        "topic": topic,
        "subject": "تجديد جواز السفر",
        "message": "كم يستغرق تجديد الجواز؟",
        "name": "أمل",
        "email": email,
        "language": "ar",
        "consent": True,
        **fields,
    }
    return services.case_submit(**data).case


@pytest.fixture
def case_factory(passports):
    def factory(**fields):
        return make_case(fields.pop("topic", passports), **fields)

    return factory


@pytest.fixture
def desk_agent(agent, passports):
    """The agent persona, a member of the passports department's desk."""
    DeskMember.objects.create(user=agent.user, department=passports.department)
    return agent


@pytest.fixture
def head(user_factory, passports):
    from conftest import _client_for

    user = user_factory(email="head@example.org", roles=["agent"])
    DeskMember.objects.create(user=user, department=passports.department, is_head=True)
    return _client_for(user)


def form_data(topic: Topic, **overrides) -> dict:
    return {
        "kind": "question",
        "topic": str(topic.pk),
        "service": "",
        "subject": "تجديد جواز السفر",
        "message": "كم يستغرق تجديد الجواز؟",
        "name": "أمل",
        "email": "amal@example.org",
        "phone": "",
        "language": "ar",
        "consent": "on",
        "website": "",
        "form_key": "",
        **human_check("inquiries:submit"),
        **overrides,
    }


def link_in(message, name: str) -> str:
    """The path of the link to the page ``name`` (case or rate) in an email."""
    found = re.search(rf"https?://[^/\s]+(/\w+/inquiries/{name}/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def mails_to(address: str):
    return [message for message in mail.outbox if address in message.to]
