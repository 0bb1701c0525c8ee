"""Publishing: editors submit, moderators approve; schedules publish on time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Workflow

from tawasul.core import clock
from tawasul.news.models import NewsArticlePage

pytestmark = pytest.mark.django_db


def article() -> NewsArticlePage:
    return NewsArticlePage.objects.get(slug="ministry-on-social-media", locale__language_code="ar")


def test_editors_cannot_publish_and_moderators_can(demo_site, editor, moderator):
    assert not article().permissions_for_user(editor.user).can_publish()
    assert article().permissions_for_user(editor.user).can_edit()
    assert article().permissions_for_user(moderator.user).can_publish()


def test_an_editors_change_goes_live_only_after_a_moderator_approves(
    demo_site, editor, moderator, anonymous
):
    page = article()
    page.title = "عنوان بانتظار الموافقة"
    page.save_revision(user=editor.user)
    workflow = Workflow.objects.get(name="Moderators approval")
    state = workflow.start(page, editor.user)
    assert "عنوان بانتظار الموافقة" not in anonymous.get(page.url).content.decode()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator.user, "approve")
    assert "عنوان بانتظار الموافقة" in anonymous.get(page.url).content.decode()


def test_the_approval_workflow_covers_the_whole_site(demo_site):
    from tawasul.core.models import HomePage

    for home in HomePage.objects.all():
        assert home.get_workflow().name == "Moderators approval"


def test_a_scheduled_article_is_published_by_the_workers_clock(demo_site, anonymous):
    page = article()
    page.unpublish()
    page.title = "خبر مجدول"
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - dt.timedelta(minutes=1)
    revision.save()
    assert anonymous.get("/ar/news/ministry-on-social-media/").status_code != 200
    clock.tick()
    response = anonymous.get("/ar/news/ministry-on-social-media/")
    assert response.status_code == 200
    assert "خبر مجدول" in response.content.decode()
