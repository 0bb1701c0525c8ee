"""Fixtures of the discussions tests: issues in Arabic (and English), comment settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Locale

from tawasul.comments.models import CommentSettings
from tawasul.discussions import services
from tawasul.discussions.models import DiscussionIssue


def make_issue(*, title="مستقبل النقل العام في المدن", seeds=(), english=None, **fields):
    now = timezone.now()
    values = {
        "question": "ما الذي يجعل النقل العام خيارك الأول؟",
        "background": "تدرس الوزارة خطة للنقل العام.",
        "status": DiscussionIssue.Status.OPEN,
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=30),
        **fields,
    }
    issue = DiscussionIssue.objects.create(
        title=title, locale=Locale.objects.get_or_create(language_code="ar")[0], **values
    )
    for text in seeds:
        services.statement_seed(issue=issue, text=text)
    if english:
        translated = issue.copy_for_translation(Locale.objects.get_or_create(language_code="en")[0])
        translated.title = english
        translated.save()
    return issue


@pytest.fixture
def issue_factory(db):
    return make_issue


@pytest.fixture
def issue(db):
    return make_issue(
        seeds=("الحافلات يجب أن تكون مجانية", "نحتاج مسارات للدراجات", "القطار أهم من الحافلة")
    )


@pytest.fixture
def post_moderation(db):
    comment_settings = CommentSettings.load()
    comment_settings.discussions_moderation = "post"
    comment_settings.save()
    return comment_settings
