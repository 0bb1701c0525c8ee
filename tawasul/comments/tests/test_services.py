"""The write path of comments: posting, editing, deleting, reporting, moderating."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tawasul.comments import selectors, services
from tawasul.comments.models import (
    AuthorBlock,
    Comment,
    CommentSettings,
    Notification,
    NotificationPreference,
    Report,
    Thread,
)
from tawasul.comments.tests.conftest import make_comment
from tawasul.core import ratelimit

pytestmark = pytest.mark.django_db
State = Comment.State


def create(author, target, body="رأي في الخبر", **kwargs):
    kwargs.setdefault("idempotency_key", selectors.new_form_key())
    return services.comment_create(author=author, target=target, body=body, **kwargs)


# ---------------------------------------------------------------- posting
def test_a_comment_waits_for_a_moderator_by_default(article, citizen):
    posted = create(citizen.user, article)
    assert posted.created
    assert posted.comment.state == State.PENDING
    assert posted.comment.published_at is None
    assert Thread.objects.get(article=article).comments.count() == 1


def test_in_post_moderation_a_clean_comment_is_published_at_once(article, citizen, post_moderation):
    comment = create(citizen.user, article).comment
    assert comment.state == State.PUBLISHED
    assert comment.published_at is not None


def test_in_post_moderation_a_screened_comment_still_waits(article, citizen, post_moderation):
    comment = create(citizen.user, article, body="أنت حمـــار").comment
    assert comment.state == State.PENDING
    assert comment.screening == [{"code": "blocklist", "detail": "حمار"}]
    entry = ModelLogEntry.objects.for_instance(comment).get(action="comments.hold")
    assert entry.user is None
    assert entry.data["flags"][0]["code"] == "blocklist"


def test_the_same_form_sent_twice_makes_one_comment(article, citizen):
    first = create(citizen.user, article, idempotency_key="k" * 32)
    second = create(citizen.user, article, idempotency_key="k" * 32)
    assert first.created and not second.created
    assert first.comment.pk == second.comment.pk
    assert Comment.objects.filter(author=citizen.user).count() == 1


def test_a_reused_form_with_another_text_is_refused_not_lost(article, citizen):
    create(citizen.user, article, body="الأول", idempotency_key="k" * 32)
    with pytest.raises(services.CommentRefused) as refused:
        create(citizen.user, article, body="الثاني", idempotency_key="k" * 32)
    assert refused.value.code == "form_reused"


@pytest.mark.parametrize("body", ["", "   \n\t  ", "\u200b\u200b", "\u202e"])
def test_an_empty_comment_is_refused(article, citizen, body):
    with pytest.raises(ValidationError):
        create(citizen.user, article, body=body)
    assert not Comment.objects.exists() or not Comment.objects.filter(author=citizen.user)


def test_two_thousand_characters_pass_and_one_more_does_not(article, citizen):
    assert create(citizen.user, article, body="ب" * 2000).created
    with pytest.raises(ValidationError) as error:
        create(citizen.user, article, body="ب" * 2001)
    assert "2,000" in error.value.messages[0]


def test_windows_line_breaks_count_once(article, citizen):
    body = ("س" * 99 + "\r\n") * 20  # 2,000 characters as a person typed them
    comment = create(citizen.user, article, body=body).comment
    assert len(comment.body) == 1999  # the last line break is trimmed


def test_a_comment_on_an_unpublished_article_is_refused(article, citizen):
    article.unpublish()
    with pytest.raises(services.CommentRefused) as refused:
        create(citizen.user, article)
    assert refused.value.code == "closed"


def test_a_closed_thread_takes_no_more_comments(article, citizen):
    create(citizen.user, article)
    Thread.objects.filter(article=article).update(closed_at=timezone.now())
    with pytest.raises(services.CommentRefused) as refused:
        create(citizen.user, article)
    assert refused.value.code == "closed"


def test_a_blocked_author_cannot_post(article, citizen, moderator):
    services.author_block(user_ids=[citizen.user.pk], moderator=moderator.user, reason="spam")
    citizen.user.refresh_from_db()
    with pytest.raises(services.CommentRefused) as refused:
        create(citizen.user, article)
    assert refused.value.code == "blocked"


def test_a_reply_goes_under_a_published_comment(article, citizen, other_citizen, moderator):
    parent = make_comment(citizen.user, article, moderator=moderator.user)
    reply = create(other_citizen.user, article, body="أوافقك", parent=parent.pk).comment
    assert reply.parent_id == parent.pk
    assert reply.thread_id == parent.thread_id


def test_a_reply_to_a_reply_is_refused(article, citizen, other_citizen, moderator):
    parent = make_comment(citizen.user, article, moderator=moderator.user)
    reply = make_comment(other_citizen.user, article, parent=parent, moderator=moderator.user)
    with pytest.raises(services.CommentRefused) as refused:
        create(citizen.user, article, parent=reply.pk)
    assert refused.value.code == "reply_depth"


@pytest.mark.parametrize("fate", ["deleted", "hidden", "pending", "rejected"])
def test_a_reply_to_a_comment_that_is_not_shown_is_refused(
    article, citizen, other_citizen, moderator, fate
):
    parent = make_comment(
        citizen.user, article, moderator=moderator.user, publish=fate != "pending"
    )
    if fate == "deleted":
        services.comment_delete(comment_id=parent.pk, user=citizen.user)
    elif fate == "hidden":
        services.comment_hide(comment_ids=[parent.pk], moderator=moderator.user)
    elif fate == "rejected":
        services.comment_reject(comment_ids=[parent.pk], moderator=moderator.user, reason="spam")
    with pytest.raises(services.CommentRefused) as refused:
        create(other_citizen.user, article, parent=parent.pk)
    assert refused.value.code == "parent_unavailable"
    assert not Comment.objects.filter(author=other_citizen.user).exists()


def test_a_reply_must_belong_to_the_same_article(article, english_article, citizen, moderator):
    parent = make_comment(citizen.user, article, moderator=moderator.user)
    with pytest.raises(services.CommentRefused):
        create(citizen.user, english_article, parent=parent.pk)


def test_past_the_limit_comments_are_held_and_past_twice_refused(article, citizen, settings):
    settings.COMMENTS_PER_MINUTE = 3
    states = [create(citizen.user, article, body=f"تعليق رقم {n}").comment for n in range(6)]
    assert [bool(c.screening) for c in states] == [False, False, False, True, True, True]
    assert states[3].screening[0]["code"] == "rate_user"
    with pytest.raises(ratelimit.RateLimited):
        create(citizen.user, article, body="السابع")
    assert Comment.objects.filter(author=citizen.user).count() == 6


def test_one_network_address_is_limited_across_accounts(article, user_factory, settings):
    settings.COMMENTS_PER_MINUTE_PER_IP = 2
    people = [user_factory() for _ in range(5)]
    codes = []
    for n, person in enumerate(people[:4]):
        comment = create(person, article, body=f"رأي {n}", ip_address="10.1.2.3").comment
        codes.append([flag["code"] for flag in comment.screening])
    assert codes == [[], [], ["rate_ip"], ["rate_ip"]]
    with pytest.raises(ratelimit.RateLimited):
        create(people[4], article, ip_address="10.1.2.3")


def test_the_same_text_twice_from_one_person_is_held(article, english_article, citizen):
    create(citizen.user, article, body="نص مكرر للاختبار")
    again = create(citizen.user, english_article, body="نص مكرّر  للاختبار!").comment
    assert again.screening == [{"code": "duplicate", "detail": "author"}]


def test_the_same_long_text_from_several_people_is_held(article, citizen, other_citizen):
    text = "انضموا إلى حملتنا الكبرى على الرابط وشاركوا الرسالة مع الجميع اليوم"
    create(citizen.user, article, body=text)
    again = create(other_citizen.user, article, body=text).comment
    assert again.screening == [{"code": "duplicate", "detail": "others"}]


def test_a_filled_honeypot_holds_the_comment_instead_of_dropping_it(
    article, citizen, post_moderation
):
    comment = create(citizen.user, article, honeypot=True).comment
    assert comment.state == State.PENDING
    assert comment.screening == [{"code": "honeypot", "detail": ""}]


def test_bidi_and_zero_width_characters_are_neutralised_when_stored(article, citizen):
    comment = create(citizen.user, article, body="evil\u202elive\u200b text").comment
    assert comment.body == "evillive text"


# ---------------------------------------------------------------- editing and deleting
def test_the_author_edits_within_fifteen_minutes(article, citizen, post_moderation):
    comment = create(citizen.user, article).comment
    edited = services.comment_edit(comment_id=comment.pk, editor=citizen.user, body="رأي معدّل")
    assert edited.body == "رأي معدّل"
    assert edited.edited_at is not None
    assert edited.state == State.PUBLISHED


def test_editing_after_fifteen_minutes_is_refused(article, citizen):
    comment = create(citizen.user, article).comment
    later = timezone.now() + timedelta(minutes=15, seconds=1)
    with pytest.raises(services.CommentRefused) as refused:
        services.comment_edit(comment_id=comment.pk, editor=citizen.user, body="x", now=later)
    assert refused.value.code == "edit_window"


def test_in_pre_moderation_an_edited_approved_comment_is_read_again(article, citizen, moderator):
    comment = make_comment(citizen.user, article, moderator=moderator.user)
    edited = services.comment_edit(comment_id=comment.pk, editor=citizen.user, body="نص آخر")
    assert edited.state == State.PENDING


def test_nobody_else_edits_or_deletes_a_comment(article, citizen, other_citizen):
    comment = create(citizen.user, article).comment
    with pytest.raises(services.CommentRefused):
        services.comment_edit(comment_id=comment.pk, editor=other_citizen.user, body="x")
    with pytest.raises(services.CommentRefused):
        services.comment_delete(comment_id=comment.pk, user=other_citizen.user)


def test_a_deleted_comment_loses_its_text_but_keeps_its_replies(
    article, citizen, other_citizen, moderator
):
    parent = make_comment(citizen.user, article, moderator=moderator.user)
    reply = make_comment(other_citizen.user, article, parent=parent, moderator=moderator.user)
    services.comment_delete(comment_id=parent.pk, user=citizen.user)
    parent.refresh_from_db()
    assert parent.deleted_at is not None and parent.body == ""
    assert Comment.objects.get(pk=reply.pk).is_visible
    with pytest.raises(services.CommentRefused) as refused:
        services.comment_delete(comment_id=parent.pk, user=citizen.user)
    assert refused.value.code == "deleted"


# ---------------------------------------------------------------- reporting
def test_reports_hide_a_comment_at_the_threshold(article, citizen, user_factory, moderator):
    comment = make_comment(citizen.user, article, moderator=moderator.user)
    reporters = [user_factory() for _ in range(3)]
    for n, person in enumerate(reporters):
        assert services.comment_report(comment_id=comment.pk, reporter=person, reason="abusive")
        comment.refresh_from_db()
        assert comment.report_count == n + 1
    assert comment.state == State.HIDDEN
    assert comment.hidden_cause == Comment.HiddenCause.REPORTS
    assert ModelLogEntry.objects.for_instance(comment).filter(action="comments.auto_hide").exists()
    assert comment.pk in Comment.objects.filter(selectors.review_filter()).values_list(
        "pk", flat=True
    )


def test_the_threshold_is_a_setting(article, citizen, other_citizen, moderator):
    comment_settings = CommentSettings.load()
    comment_settings.report_threshold = 1
    comment_settings.save()
    comment = make_comment(citizen.user, article, moderator=moderator.user)
    services.comment_report(comment_id=comment.pk, reporter=other_citizen.user, reason="spam")
    comment.refresh_from_db()
    assert comment.state == State.HIDDEN


def test_reporting_twice_is_one_report(article, citizen, other_citizen, moderator):
    comment = make_comment(citizen.user, article, moderator=moderator.user)
    assert services.comment_report(
        comment_id=comment.pk, reporter=other_citizen.user, reason="spam"
    )
    assert not services.comment_report(
        comment_id=comment.pk, reporter=other_citizen.user, reason="abusive"
    )
    assert Report.objects.filter(comment=comment).count() == 1


def test_nobody_reports_their_own_comment(article, citizen, moderator):
    comment = make_comment(citizen.user, article, moderator=moderator.user)
    with pytest.raises(services.CommentRefused) as refused:
        services.comment_report(comment_id=comment.pk, reporter=citizen.user, reason="spam")
    assert refused.value.code == "own_comment"


def test_an_unknown_report_reason_is_refused(article, citizen, other_citizen, moderator):
    comment = make_comment(citizen.user, article, moderator=moderator.user)
    with pytest.raises(ValidationError):
        services.comment_report(comment_id=comment.pk, reporter=other_citizen.user, reason="x")


def test_approving_a_reported_comment_closes_its_reports(
    article, citizen, other_citizen, moderator
):
    comment = make_comment(citizen.user, article, moderator=moderator.user)
    services.comment_report(comment_id=comment.pk, reporter=other_citizen.user, reason="spam")
    services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    comment.refresh_from_db()
    assert comment.report_count == 0
    assert not Report.objects.filter(comment=comment, resolved_at=None).exists()


# ---------------------------------------------------------------- moderating
def test_only_moderators_moderate(article, citizen, other_citizen, editor, analyst):
    comment = create(citizen.user, article).comment
    for person in (citizen.user, other_citizen.user, editor.user, analyst.user):
        with pytest.raises(PermissionDenied):
            services.comment_approve(comment_ids=[comment.pk], moderator=person)


def test_every_decision_is_logged_with_who_when_what_and_why(article, citizen, moderator):
    comment = create(citizen.user, article).comment
    services.comment_reject(
        comment_ids=[comment.pk], moderator=moderator.user, reason="off_topic", note="خارج الموضوع"
    )
    entry = ModelLogEntry.objects.for_instance(comment).get(action="comments.reject")
    assert entry.user == moderator.user
    assert entry.timestamp is not None
    assert entry.data == {
        "reason": "off_topic",
        "note": "خارج الموضوع",
        "from": "pending",
        "to": "rejected",
    }
    assert "@" not in entry.label and "رأي" not in entry.label  # no personal data in the label


def test_rejecting_with_another_reason_needs_a_note(article, citizen, moderator):
    comment = create(citizen.user, article).comment
    with pytest.raises(ValidationError):
        services.comment_reject(comment_ids=[comment.pk], moderator=moderator.user, reason="other")
    with pytest.raises(ValidationError):
        services.comment_reject(comment_ids=[comment.pk], moderator=moderator.user, reason="")


def test_decisions_are_idempotent(article, citizen, moderator):
    comment = create(citizen.user, article).comment
    assert len(services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)) == 1
    assert services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user) == []
    assert (
        ModelLogEntry.objects.for_instance(comment).filter(action="comments.approve").count() == 1
    )


def test_bulk_approve_changes_only_what_can_change(article, citizen, other_citizen, moderator):
    waiting = [create(citizen.user, article, body=f"رأي {n}").comment for n in range(3)]
    deleted = create(other_citizen.user, article).comment
    services.comment_delete(comment_id=deleted.pk, user=other_citizen.user)
    changed = services.comment_approve(
        comment_ids=[c.pk for c in waiting] + [deleted.pk], moderator=moderator.user
    )
    assert sorted(c.pk for c in changed) == sorted(c.pk for c in waiting)
    assert Comment.objects.get(pk=deleted.pk).state == State.PENDING


def test_blocking_hides_all_the_authors_comments_and_unblocking_brings_them_back(
    article, english_article, citizen, moderator
):
    published = make_comment(citizen.user, article, moderator=moderator.user)
    waiting = create(citizen.user, english_article, body="رأي آخر").comment
    blocked = services.author_block(
        user_ids=[citizen.user.pk], moderator=moderator.user, reason="abusive"
    )
    assert blocked == [citizen.user.pk]
    for comment in (published, waiting):
        comment.refresh_from_db()
        assert comment.state == State.HIDDEN
        assert comment.hidden_cause == Comment.HiddenCause.AUTHOR_BLOCKED
    assert ModelLogEntry.objects.filter(action="comments.block_author").count() == 1
    assert services.author_unblock(user_id=citizen.user.pk, moderator=moderator.user)
    published.refresh_from_db()
    waiting.refresh_from_db()
    assert published.state == State.PUBLISHED
    assert waiting.state == State.PENDING
    assert not AuthorBlock.objects.exists()
    assert not services.author_unblock(user_id=citizen.user.pk, moderator=moderator.user)


def test_moderators_are_never_blocked(article, moderator, admin):
    assert (
        services.author_block(user_ids=[admin.user.pk], moderator=moderator.user, reason="spam")
        == []
    )
    assert (
        services.author_block(user_ids=[moderator.user.pk], moderator=moderator.user, reason="spam")
        == []
    )


# ---------------------------------------------------------------- notifications
def test_the_author_is_told_in_their_language_when_a_comment_is_published(
    article, citizen, moderator, commit
):
    comment = create(citizen.user, article).comment
    mail.outbox.clear()
    with commit():
        services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["citizen@example.org"]
    assert message.subject == "نُشر تعليقك"
    assert f"#comment-{comment.pk}" in message.body
    assert "/ar/comments/notifications/off/" in message.extra_headers["List-Unsubscribe"]


def test_a_rejection_email_gives_the_reason_and_note(article, user_factory, moderator, commit):
    person = user_factory(preferred_language="en", email="english@example.org")
    comment = create(person, article).comment
    mail.outbox.clear()
    with commit():
        services.comment_reject(
            comment_ids=[comment.pk],
            moderator=moderator.user,
            reason="personal_data",
            note="Phone number",
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Your comment was not published"
    assert "Contains personal data, such as phone or ID numbers" in body
    assert "Phone number" in body


def test_the_parent_author_is_told_of_a_published_reply_once(
    article, citizen, other_citizen, moderator, commit
):
    parent = make_comment(citizen.user, article, moderator=moderator.user)
    reply = create(other_citizen.user, article, body="أتفق معك", parent=parent.pk).comment
    mail.outbox.clear()
    with commit():
        services.comment_approve(comment_ids=[reply.pk], moderator=moderator.user)
    to_parent = [m for m in mail.outbox if m.to == ["citizen@example.org"]]
    assert len(to_parent) == 1
    assert "Omar" in to_parent[0].subject
    with commit():
        services.comment_hide(comment_ids=[reply.pk], moderator=moderator.user)
        services.comment_approve(comment_ids=[reply.pk], moderator=moderator.user)
    assert len([m for m in mail.outbox if m.to == ["citizen@example.org"]]) == 1


def test_nobody_is_told_about_replying_to_themself(article, citizen, moderator, commit):
    parent = make_comment(citizen.user, article, moderator=moderator.user)
    reply = create(citizen.user, article, body="وأضيف", parent=parent.pk).comment
    mail.outbox.clear()
    with commit():
        services.comment_approve(comment_ids=[reply.pk], moderator=moderator.user)
    assert [m.subject for m in mail.outbox] == ["نُشر تعليقك"]


def test_people_who_opted_out_get_no_email(article, citizen, other_citizen, moderator, commit):
    services.notification_preferences_update(user=citizen.user, on_moderation=False, on_reply=False)
    with commit():
        parent = make_comment(citizen.user, article, moderator=moderator.user)
    reply = create(other_citizen.user, article, body="رد", parent=parent.pk).comment
    mail.outbox.clear()
    with commit():
        services.comment_approve(comment_ids=[reply.pk], moderator=moderator.user)
    assert [m.to for m in mail.outbox] == [["other@example.org"]]


def test_a_notification_is_never_sent_twice(article, citizen, moderator, commit):
    with commit():
        comment = make_comment(citizen.user, article, moderator=moderator.user)
    sent = Notification.objects.filter(comment=comment).count()
    assert sent == 1
    assert not services.comment_notify(
        comment_id=comment.pk, kind="approved", event=comment.decisions
    )


def test_the_email_link_turns_emails_off_without_signing_in(citizen, client):
    token = services.unsubscribe_token_make(citizen.user)
    assert services.unsubscribe_token_read(token) == citizen.user
    assert services.unsubscribe_token_read(token + "x") is None
    response = client.post(f"/ar/comments/notifications/off/{token}/")
    assert response.status_code == 200
    preference = NotificationPreference.objects.get(user=citizen.user)
    assert not preference.on_moderation and not preference.on_reply


# ---------------------------------------------------------------- personal data
def test_a_persons_data_download_includes_their_comments(
    article, citizen, moderator, other_citizen
):
    comment = make_comment(citizen.user, article, body="رأيي الشخصي", moderator=moderator.user)
    services.comment_report(comment_id=comment.pk, reporter=other_citizen.user, reason="spam")
    data = citizen.get("/ar/accounts/profile/export/").json()
    assert data["comments"]["comments"][0]["text"] == "رأيي الشخصي"
    assert data["comments"]["comments"][0]["state"] == "published"
    assert data["comments"]["emails"] == {"on_moderation": True, "on_reply": True}
    other = other_citizen.get("/ar/accounts/profile/export/").json()
    assert other["comments"]["reports"][0]["reason"] == "spam"


def test_deleting_an_account_keeps_public_comments_and_erases_the_rest(
    article, citizen, other_citizen, moderator
):
    from tawasul.accounts.services import user_delete

    public = make_comment(citizen.user, article, body="رأي منشور", moderator=moderator.user)
    waiting = create(citizen.user, article, body="رأي ينتظر").comment
    rejected = create(citizen.user, article, body="رأي مرفوض").comment
    services.comment_reject(comment_ids=[rejected.pk], moderator=moderator.user, reason="spam")
    answered = make_comment(citizen.user, article, body="سيُحذف", moderator=moderator.user)
    reply = make_comment(other_citizen.user, article, parent=answered, moderator=moderator.user)
    services.comment_hide(comment_ids=[answered.pk], moderator=moderator.user)
    services.comment_report(comment_id=reply.pk, reporter=citizen.user, reason="spam")

    user_delete(user=citizen.user)

    public.refresh_from_db()
    assert public.author is None and public.body == "رأي منشور" and public.is_visible
    assert not Comment.objects.filter(pk__in=[waiting.pk, rejected.pk]).exists()
    answered.refresh_from_db()
    assert answered.body == "" and answered.deleted_at is not None and answered.author is None
    assert Comment.objects.get(pk=reply.pk).is_visible
    assert Report.objects.get(comment=reply).reporter is None


def test_a_deleted_account_shows_as_deleted_on_the_page(seed_article, anonymous):
    from tawasul.accounts.models import User
    from tawasul.accounts.services import user_delete

    user_delete(user=User.objects.get(email="demo.sara@tawasul.local"))
    html = anonymous.get(seed_article.url).content.decode()
    assert "خطوة موفقة من الوزارة" in html
    assert "سارة أحمد" not in html
    assert "حساب محذوف" in html
