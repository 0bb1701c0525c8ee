"""Fixtures of the comments tests: articles to comment on, and posting as a browser does."""

from __future__ import annotations

import pytest

from tawasul.comments import selectors, services
from tawasul.comments.models import Comment, CommentSettings
from tawasul.news.models import NewsArticlePage


def article_of(slug: str, language: str = "ar") -> NewsArticlePage:
    return NewsArticlePage.objects.get(slug=slug, locale__language_code=language)


@pytest.fixture
def article(demo_site):
    """An Arabic article without comments in the demo content."""
    return article_of("interactive-links-window")


@pytest.fixture
def english_article(demo_site):
    return article_of("interactive-links-window", "en")


@pytest.fixture
def seed_article(demo_site):
    """The seed's article, which has demo comments and a reply."""
    return article_of("ministry-on-social-media")


@pytest.fixture
def post_moderation(db):
    comment_settings = CommentSettings.load()
    comment_settings.news_moderation = "post"
    comment_settings.save()
    return comment_settings


def post(client, article, body="رأي في الخبر", *, parent=None, key=None, json=False, **data):
    """Send the comment form of ``article`` as a browser would (JSON: as comments.js)."""
    payload = {"body": body, "key": key or selectors.new_form_key(), "website": "", **data}
    if parent is not None:
        payload["parent"] = parent
    headers = {"Accept": "application/json"} if json else {}
    path = f"/{article.locale.language_code}/comments/article/{article.pk}/"
    return client.post(path, payload, headers=headers)


def make_comment(
    author, article, body="تعليق للاختبار", *, parent=None, publish=True, moderator=None
):
    """A comment through the service (and approved by ``moderator``, when given)."""
    result = services.comment_create(
        author=author,
        target=article,
        body=body,
        idempotency_key=selectors.new_form_key(),
        parent=parent,
    )
    comment = result.comment
    if publish and comment.state != Comment.State.PUBLISHED:
        services.comment_approve(comment_ids=[comment.pk], moderator=moderator)
        comment.refresh_from_db()
    return comment


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs what services queue for after the commit (emails, the page
    cache refresh) when the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
