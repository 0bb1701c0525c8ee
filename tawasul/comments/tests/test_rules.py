"""Who may do what with a comment: the whole matrix of role × action × state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tawasul.comments import rules
from tawasul.comments.models import AuthorBlock, Comment, Thread

pytestmark = pytest.mark.django_db
State = Comment.State

ROLES = ["anonymous", "author", "other", "blocked", "moderator", "editor", "analyst", "admin"]
STATES = ["pending", "published", "hidden", "rejected", "deleted", "late"]


@pytest.fixture
def people(db, user_factory):
    """Everyone, without password hashing (this matrix has hundreds of cases)."""
    from tawasul.accounts.models import User

    blocked = user_factory(password=None)
    AuthorBlock.objects.create(user=blocked, reason="spam")
    return {
        "anonymous": AnonymousUser(),
        "author": user_factory(password=None),
        "other": user_factory(password=None),
        "blocked": blocked,
        "moderator": user_factory(password=None, roles=["moderator"]),
        "editor": user_factory(password=None, roles=["editor"]),
        "analyst": user_factory(password=None, roles=["analyst"]),
        "admin": User.objects.create_superuser(email="root@example.org", password=None),
    }


@pytest.fixture
def thread(article):
    return Thread.objects.create(article=article)


def comment_in(state: str, thread: Thread, author) -> Comment:
    comment = Comment(thread=thread, author=author, body="نص", idempotency_key=f"k-{state}" * 4)
    comment.state = {"deleted": State.PUBLISHED, "late": State.PUBLISHED}.get(state, state)
    if state == "deleted":
        comment.deleted_at = timezone.now()
    if state == "late":
        comment.created_at = timezone.now() - timedelta(minutes=16)
    comment.save()
    return comment


def expect(table: dict, role: str, state: str) -> bool:
    return role in table.get(state, ())


EVERY_SIGNED_IN = {"author", "other", "moderator", "editor", "analyst", "admin"}

EDIT = {"pending": {"author"}, "published": {"author"}}
DELETE = {state: {"author"} for state in ("pending", "published", "hidden", "rejected", "late")}
REPORT = {
    "published": EVERY_SIGNED_IN - {"author"} | {"blocked"},
    "late": EVERY_SIGNED_IN - {"author"} | {"blocked"},
}
VIEW = {
    "published": set(ROLES),
    "late": set(ROLES),
    "pending": {"author", "moderator", "admin"},
    "hidden": {"author", "moderator", "admin"},
    "rejected": {"author", "moderator", "admin"},
}
REPLY = {"published": EVERY_SIGNED_IN, "late": EVERY_SIGNED_IN}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_the_matrix_of_actions_on_a_comment(people, thread, role, state):
    person = people[role]
    comment = comment_in(state, thread, people["author"])
    assert rules.can_edit(person, comment) == expect(EDIT, role, state), "edit"
    assert rules.can_delete(person, comment) == expect(DELETE, role, state), "delete"
    assert rules.can_report(person, comment) == expect(REPORT, role, state), "report"
    assert rules.can_view(person, comment) == expect(VIEW, role, state), "view"
    allowed = rules.reply_refusal(person, comment, target_open=True) is None
    assert allowed == expect(REPLY, role, state), "reply"


@pytest.mark.parametrize("target_open", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_on_an_open_or_closed_article(people, thread, role, target_open):
    allowed = rules.post_refusal(people[role], target_open=target_open, thread=thread) is None
    assert allowed == (target_open and role in EVERY_SIGNED_IN)


@pytest.mark.parametrize("role", ROLES)
def test_a_closed_thread_takes_no_comment_from_anyone(people, thread, role):
    thread.closed_at = timezone.now()
    assert rules.post_refusal(people[role], target_open=True, thread=thread) is not None


@pytest.mark.parametrize(
    ("role", "moderate", "export"),
    [
        ("anonymous", False, False),
        ("author", False, False),
        ("other", False, False),
        ("blocked", False, False),
        ("moderator", True, True),
        ("editor", False, False),
        ("analyst", False, True),
        ("admin", True, True),
    ],
)
def test_staff_rights_follow_the_roles(people, role, moderate, export):
    assert rules.can_moderate(people[role]) == moderate
    assert rules.can_export(people[role]) == export


def test_a_reply_to_a_reply_is_never_allowed(people, thread):
    parent = comment_in("published", thread, people["author"])
    reply = comment_in("published", thread, people["other"])
    reply.parent = parent
    reply.save()
    assert rules.reply_refusal(people["other"], reply, target_open=True) == "reply_depth"


def test_every_refusal_has_a_message():
    codes = {
        "sign_in",
        "inactive",
        "blocked",
        "closed",
        "reply_depth",
        "parent_unavailable",
        "not_author",
        "deleted",
        "moderated",
        "edit_window",
        "own_comment",
        "unavailable",
    }
    assert codes <= set(rules.MESSAGES)
