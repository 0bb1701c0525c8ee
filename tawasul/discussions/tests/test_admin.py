"""Staff write issues in the Wagtail admin, with seed statements; statements are moderated
in the comments queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tawasul.discussions.models import DiscussionIssue, Statement

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    now = timezone.localtime()
    data = {
        "title": "تنظيم الأسواق الشعبية",
        "question": "كيف نطوّر الأسواق الشعبية؟",
        "background": "خلفية القضية.",
        "voters": "citizens",
        "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
        "status": "open",
        "what_we_heard": "",
        "what_we_will_do": "",
        "seed_statements": "أسواق مظللة\n\nمواقف سيارات أكثر\n",
    }
    data.update(overrides)
    return data


def test_editor_opens_an_issue_with_seed_statements(editor):
    response = editor.post(
        "/admin/snippets/discussions/discussionissue/add/?locale=ar", form_data()
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    issue = DiscussionIssue.objects.get(title="تنظيم الأسواق الشعبية")
    assert issue.is_open
    texts = list(Statement.objects.filter(issue_key=issue.key).values_list("text", flat=True))
    assert texts == ["أسواق مظللة", "مواقف سيارات أكثر"]


def test_too_long_seed_statement_is_refused_with_its_line(editor):
    data = form_data(seed_statements="قصير\n" + "ط" * 300)
    response = editor.post("/admin/snippets/discussions/discussionissue/add/?locale=ar", data)
    assert response.status_code == 200
    assert not DiscussionIssue.objects.filter(title="تنظيم الأسواق الشعبية").exists()


def test_citizen_statements_wait_in_the_comments_queue(issue, citizen, moderator):
    from tawasul.discussions import services

    services.statement_submit(
        issue=issue, author=citizen.user, text="رأي للمراجعة", idempotency_key="q" * 20
    )
    page = moderator.get("/admin/comments/").content.decode()
    assert "رأي للمراجعة" in page
