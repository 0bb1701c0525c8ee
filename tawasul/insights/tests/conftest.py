"""Data for the insights tests: texts and votes placed on chosen days, report helpers."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import unicodedata
import uuid

import pytest
from django.utils import timezone

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


class Make:
    """Factories of what the dashboard counts, each taking the local day it happened."""

    def article(self, language="ar"):
        from tawasul.news.models import NewsArticlePage

        return NewsArticlePage.objects.filter(locale__language_code=language).first()

    def comment(self, day, body="نص تعليق", *, language="ar", state="published"):
        from conftest import UserFactory
        from tawasul.comments.models import Comment, Thread

        thread, _ = Thread.objects.get_or_create(article=self.article(language))
        return Comment.objects.create(
            thread=thread,
            author=UserFactory(),
            body=body,
            state=state,
            idempotency_key=str(next(_numbers)),
            created_at=at(day),
        )

    def issue(self):
        from tawasul.discussions.models import DiscussionIssue

        return DiscussionIssue.objects.filter(locale__language_code="ar").first()

    def statement(self, day, text=None, *, language="ar", issue=None):
        from tawasul.discussions.models import Statement

        issue = issue or self.issue()
        return Statement.objects.create(
            issue=issue,
            issue_key=issue.translation_key,
            text=text or f"عبارة رقم {next(_numbers)}",
            language=language,
            origin=Statement.Origin.SEED,
            matching_key=uuid.uuid4().hex,
            created_at=at(day),
        )

    def discussion_vote(self, day, statement, value=1):
        from tawasul.discussions.models import Participant, Vote

        participant = Participant.objects.create(
            issue_key=statement.issue_key, identity=uuid.uuid4().hex, created_at=at(day, 9)
        )
        return Vote.objects.create(
            issue_key=statement.issue_key,
            participant=participant,
            statement=statement,
            value=value,
            created_at=at(day),
        )

    def poll_vote(self, day, poll, choice_index=0, *, language="ar"):
        from tawasul.polls.models import Vote, VoteChoice

        choice = list(poll.choices.order_by("sort_order"))[choice_index]
        vote = Vote.objects.create(
            poll_key=poll.translation_key,
            voter=f"b:{uuid.uuid4().hex[:20]}",
            language=language,
            created_at=at(day),
        )
        VoteChoice.objects.create(
            vote=vote, poll_key=poll.translation_key, choice_key=choice.translation_key
        )
        return vote

    def case(self, day, subject="سؤال عن الخدمة", *, body="", name="Huda Karim", language="ar"):
        from tawasul.inquiries.models import Case, Message, Topic

        topic = Topic.objects.filter(locale__language_code="ar").first()
        case = Case.objects.create(
            reference=f"T-{next(_numbers)}-{uuid.uuid4().hex[:6]}",
            kind=Case.Kind.QUESTION,
            topic=topic,
            department=topic.department if topic else None,
            subject=subject,
            name=name,
            email="huda.karim@example.org",
            language=language,
            created_at=at(day),
        )
        if body:
            Message.objects.create(case=case, kind="citizen", body=body, created_at=at(day))
        return case

    def subscriber(self, day, *, language="ar", unsubscribed=None):
        from tawasul.newsletter.models import Subscriber

        email = f"s{next(_numbers)}@example.org"
        return Subscriber.objects.create(
            email=email,
            email_key=email,
            language=language,
            state="unsubscribed" if unsubscribed else "active",
            source="form",
            confirmed_at=at(day),
            unsubscribed_at=at(unsubscribed) if unsubscribed else None,
        )


@pytest.fixture
def make(demo_site):
    return Make()


@pytest.fixture
def quiet_days():
    """Two days long before any demo content, so counts there are only the test's."""
    return dt.date(2019, 3, 4), dt.date(2019, 3, 5)


def pdf_text(data: bytes) -> str:
    """The PDF's text in logical order, with Arabic presentation forms folded (NFKC)."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def closed_issue(demo_site):
    from tawasul.discussions import demo
    from tawasul.discussions.models import DiscussionIssue

    return {
        issue.locale.language_code: issue
        for issue in DiscussionIssue.objects.filter(translation_key=demo.CLOSED_KEY)
    }


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Tasks queued after a commit run (immediately, in tests) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def days_ago(n: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=n)
