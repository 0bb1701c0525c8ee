"""The demo shows a conversation in both languages and gives moderators something to do."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from tawasul.comments.models import Comment
from tawasul.comments.tests.conftest import article_of

pytestmark = pytest.mark.django_db


def test_the_demo_has_approved_comments_a_reply_and_one_waiting(demo_site):
    arabic = Comment.objects.filter(thread__article=article_of("ministry-on-social-media"))
    english = Comment.objects.filter(thread__article=article_of("ministry-on-social-media", "en"))
    assert arabic.filter(state="published").count() == 3
    assert arabic.filter(parent__isnull=False).count() == 1
    assert english.filter(state="published").count() == 2
    assert Comment.objects.filter(state="pending").count() == 1


def test_loading_the_demo_again_adds_no_comment(demo_site):
    before = Comment.objects.count()
    with open(os.devnull, "w") as devnull:
        call_command("demo_content", stdout=devnull)
    assert Comment.objects.count() == before
