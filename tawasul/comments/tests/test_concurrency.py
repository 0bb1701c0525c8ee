"""Comments under real concurrency: threads with their own database connections, on SQLite
and PostgreSQL alike (run the suite with DATABASE_URL for the latter)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from wagtail.models import ModelLogEntry

from conftest import run_together
from tawasul.comments import selectors, services
from tawasul.comments.models import Comment, Notification, Report
from tawasul.comments.tests.conftest import article_of, post

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def signed_in(user, address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def test_a_double_click_sent_twice_at_once_makes_one_comment(demo_site, user_factory):
    article = article_of("interactive-links-window")
    client = signed_in(user_factory(), "10.0.0.1")
    key = selectors.new_form_key()
    responses = run_together(
        [lambda: post(client, article, "نقرتان معًا", key=key, json=True) for _ in range(2)]
    )
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Comment.objects.filter(body="نقرتان معًا").count() == 1


def test_many_people_posting_at_once_store_every_accepted_comment_once(demo_site, user_factory):
    article = article_of("interactive-links-window")
    people = [user_factory() for _ in range(12)]
    clients = [signed_in(person, f"10.0.1.{n}") for n, person in enumerate(people)]
    jobs = []
    for n, client in enumerate(clients):
        for m in range(3):
            key = selectors.new_form_key()
            body = f"رأي المواطن {n} رقم {m}"
            jobs.append(lambda c=client, k=key, b=body: post(c, article, b, key=k, json=True))
            if m == 0:  # and a double click from everyone
                jobs.append(lambda c=client, k=key, b=body: post(c, article, b, key=k, json=True))
    responses = run_together(jobs)
    errors = [r for r in responses if isinstance(r, Exception)]
    assert errors == []
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 36, 200: 12}
    stored = Comment.objects.filter(thread__article=article)
    assert stored.count() == 36
    assert len({(c.author_id, c.body) for c in stored}) == 36
    accepted = {r.json()["id"] for r in responses}
    assert accepted == set(stored.values_list("pk", flat=True))


def test_reports_arriving_together_are_all_counted_and_hide_once(
    demo_site, user_factory, moderator
):
    article = article_of("interactive-links-window")
    author = user_factory()
    comment = services.comment_create(
        author=author, target=article, body="رأي", idempotency_key=selectors.new_form_key()
    ).comment
    services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    reporters = [user_factory() for _ in range(6)]
    results = run_together(
        [
            lambda person=person: services.comment_report(
                comment_id=comment.pk, reporter=person, reason="abusive"
            )
            for person in reporters
        ]
    )
    comment.refresh_from_db()
    # Reports after the hide are refused (the comment is no longer shown), never lost.
    accepted = [r for r in results if r is True]
    refused = [r for r in results if isinstance(r, services.CommentRefused)]
    assert len(accepted) + len(refused) == 6
    assert len(accepted) >= 3
    assert Report.objects.filter(comment=comment).count() == len(accepted)
    assert comment.report_count == len(accepted)
    assert comment.state == Comment.State.HIDDEN
    assert (
        ModelLogEntry.objects.for_instance(comment).filter(action="comments.auto_hide").count() == 1
    )


def test_two_moderators_approving_at_once_make_one_decision_and_one_email(
    demo_site, user_factory, moderator
):
    from django.core import mail

    article = article_of("interactive-links-window")
    second = user_factory(roles=["moderator"])
    comment = services.comment_create(
        author=user_factory(), target=article, body="رأي", idempotency_key=selectors.new_form_key()
    ).comment
    mail.outbox.clear()
    results = run_together(
        [
            lambda person=person: services.comment_approve(
                comment_ids=[comment.pk], moderator=person
            )
            for person in (moderator.user, second)
        ]
    )
    assert sorted(len(r) for r in results) == [0, 1]
    assert (
        ModelLogEntry.objects.for_instance(comment).filter(action="comments.approve").count() == 1
    )
    assert Notification.objects.filter(comment=comment).count() == 1
    assert len(mail.outbox) == 1
