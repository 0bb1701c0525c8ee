"""Comment emails leave through the task queue and a real SMTP server, in each person's
language, once, and never to someone who opted out."""

from __future__ import annotations

import email.header
from pathlib import Path

import pytest
from django.core.management import call_command

from tawasul import env
from tawasul.comments import selectors, services
from tawasul.comments.tests.conftest import article_of
from tawasul.core.tests.test_mail import Inbox


@pytest.fixture
def smtp():
    """A real SMTP server on the loopback interface (as in core's mail tests)."""
    from aiosmtpd.controller import Controller

    from conftest import free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def work() -> None:
    """Run the task worker until the queue is empty, as `tawasul worker` would."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def use_smtp(settings, controller) -> None:
    for key, value in env.email(
        f"smtp://127.0.0.1:{controller.port}", outbox=Path("/unused")
    ).items():
        setattr(settings, key, value)


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def body(message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderation_and_reply_emails_go_through_the_task_queue_to_a_real_smtp_server(
    demo_site,
    smtp,
    settings,
    user_factory,
    moderator,
):
    controller, inbox = smtp
    use_smtp(settings, controller)
    # The real queue: a row in the task table, run by the worker command.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    article = article_of("interactive-links-window")
    arabic = user_factory(email="huda@example.org", display_name="هدى", preferred_language="ar")
    english = user_factory(email="sam@example.org", display_name="Sam", preferred_language="en")
    parent = services.comment_create(
        author=arabic,
        target=article,
        body="رأيي في النافذة",
        idempotency_key=selectors.new_form_key(),
    ).comment
    services.comment_approve(comment_ids=[parent.pk], moderator=moderator.user)
    reply = services.comment_create(
        author=english,
        target=article,
        body="I agree with you",
        parent=parent.pk,
        idempotency_key=selectors.new_form_key(),
    ).comment
    services.comment_approve(comment_ids=[reply.pk], moderator=moderator.user)
    assert inbox.messages == []  # queued, not sent: the worker sends
    work()
    services.comment_reject(comment_ids=[reply.pk], moderator=moderator.user, reason="duplicate")
    work()

    sent = {(m["X-RcptTo"], subject(m)) for m in inbox.messages}
    assert sent == {
        ("huda@example.org", "نُشر تعليقك"),
        ("huda@example.org", "ردّ Sam على تعليقك"),
        ("sam@example.org", "Your comment is published"),
        ("sam@example.org", "Your comment was not published"),
    }
    rejection = next(m for m in inbox.messages if subject(m) == "Your comment was not published")
    text = body(rejection)
    assert "Reason: Repeats a comment already posted" in text
    assert "/en/comments/notifications/off/" in text
    assert rejection["List-Unsubscribe"].strip().startswith("<http")
    reply_mail = next(m for m in inbox.messages if "Sam" in subject(m))
    assert f"#comment-{reply.pk}" in body(reply_mail)

    # Running the worker again sends nothing twice.
    work()
    assert len(inbox.messages) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_decision_overturned_before_the_email_left_sends_only_the_last_one(
    demo_site,
    smtp,
    settings,
    citizen,
    moderator,
):
    controller, inbox = smtp
    use_smtp(settings, controller)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    comment = services.comment_create(
        author=citizen.user,
        target=article_of("interactive-links-window"),
        body="رأي",
        idempotency_key=selectors.new_form_key(),
    ).comment
    services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    services.comment_reject(comment_ids=[comment.pk], moderator=moderator.user, reason="spam")
    work()
    assert [subject(m) for m in inbox.messages] == ["لم يُنشر تعليقك"]


@pytest.mark.django_db
def test_nothing_is_sent_to_someone_who_opted_out(
    demo_site,
    smtp,
    settings,
    citizen,
    moderator,
    commit,
):
    controller, inbox = smtp
    use_smtp(settings, controller)
    services.notification_preferences_update(user=citizen.user, on_moderation=False, on_reply=True)
    comment = services.comment_create(
        author=citizen.user,
        target=article_of("interactive-links-window"),
        body="رأي",
        idempotency_key=selectors.new_form_key(),
    ).comment
    with commit():
        services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    assert inbox.messages == []
