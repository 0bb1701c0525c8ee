"""Every change to comments goes through here: public views, the admin, tasks, demo content.

Each function states what it locks and what is idempotent. State changes lock the rows
they change (``select_for_update`` inside ``atomic``; on SQLite the write lock taken at
``BEGIN IMMEDIATE``) and re-check the state they start from, so two moderators acting at
once, or a moderator and an author, never both win. Everything a change makes visible
or invisible to the public refreshes the anonymous page cache after the commit, and every
email leaves through the task queue after the commit.

Moderation decisions are written to Wagtail's audit log (``wagtail.log_actions.log``):
who, when, which action and why (reason and note in ``data``). Automatic holds and hides
are logged without a user.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from tawasul.comments import rules, screening, targets
from tawasul.comments import text as comment_text
from tawasul.comments.models import (
    MAX_LENGTH,
    AuthorBlock,
    Comment,
    CommentSettings,
    Moderation,
    Notification,
    NotificationPreference,
    Reason,
    Report,
    Thread,
)
from tawasul.core import pagecache, ratelimit

log_ = logging.getLogger("tawasul.comments")

KEY_FORMAT = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
UNSUBSCRIBE_SALT = "tawasul.comments.notifications-off"
REPORTS_PER_WINDOW, REPORT_WINDOW = 10, 600
State = Comment.State
MODERATED_FIELDS = [
    "state",
    "hidden_cause",
    "reason",
    "moderator_note",
    "decisions",
    "report_count",
    "published_at",
    "moderated_at",
]


class CommentRefused(Exception):
    """The action is not allowed; ``code`` is a key of ``rules.MESSAGES`` (or below)."""

    EXTRA = {
        "form_reused": _(
            "This form was already used for another comment. Reload the page to write a new one."
        ),
    }

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self):
        return rules.MESSAGES.get(self.code) or self.EXTRA.get(self.code, self.code)


@dataclass
class Posted:
    comment: Comment
    created: bool  # False when the same form was sent again (double click)


# ---------------------------------------------------------------- helpers
def clean_body(value: str) -> str:
    """The text as it will be stored; ValidationError when empty or too long."""
    cleaned = comment_text.clean(value or "")
    if not cleaned:
        raise ValidationError(_("Please write your comment first."), code="empty")
    if len(cleaned) > MAX_LENGTH:
        raise ValidationError(
            _("A comment can be at most %(max)s characters long; this one has %(count)s."),
            code="too_long",
            params={"max": f"{MAX_LENGTH:,}", "count": f"{len(cleaned):,}"},
        )
    return cleaned


def moderation_mode(target_type, comment_settings: CommentSettings) -> str:
    return getattr(comment_settings, target_type.moderation_setting, Moderation.PRE)


def thread_find(target) -> Thread | None:
    target_type = targets.for_object(target)
    return Thread.objects.filter(**{f"{target_type.field}_id": target.pk}).first()


def _thread_get_or_create(target) -> Thread:
    """One thread per object, also when its first two comments arrive together
    (the one-to-one column is unique; get_or_create retries the read on a clash)."""
    target_type = targets.for_object(target)
    thread, _created = Thread.objects.get_or_create(**{f"{target_type.field}_id": target.pk})
    return thread


def _refresh_public_pages() -> None:
    transaction.on_commit(pagecache.invalidate)


def _rate_flags(author, ip_address: str | None) -> list[screening.Flag]:
    """Count this attempt; past the limit the comment is held, past twice it is refused
    (``ratelimit.RateLimited`` propagates, and the view says how long to wait)."""
    flags = []
    per_user = settings.COMMENTS_PER_MINUTE
    count = ratelimit.hit("comments:user", str(author.pk), limit=per_user * 2, period=60)
    if count > per_user:
        flags.append(screening.Flag("rate_user", str(count)))
    if ip_address:
        per_ip = settings.COMMENTS_PER_MINUTE_PER_IP
        count = ratelimit.hit("comments:ip", ip_address, limit=per_ip * 2, period=60)
        if count > per_ip:
            flags.append(screening.Flag("rate_ip", str(count)))
    return flags


def _notify_after_commit(comment_id: int, kind: str, event: int = 0) -> None:
    from tawasul.comments import tasks

    transaction.on_commit(
        lambda: tasks.send_comment_notification.enqueue(
            comment_id=comment_id, kind=kind, event=event
        )
    )


# ---------------------------------------------------------------- posting
def comment_create(
    *,
    author,
    target,
    body: str,
    idempotency_key: str,
    parent: Comment | int | None = None,
    ip_address: str | None = None,
    honeypot: bool = False,
) -> Posted:
    """Post a comment (or a reply) on ``target`` after screening it.

    Idempotent per form: the pair (author, ``idempotency_key``) is unique in the
    database, so the same form sent twice at once (a double click) stores one comment;
    the second call returns it with ``created=False``. The same key with a different
    text raises ``CommentRefused("form_reused")`` rather than losing that text.

    Refusals (``CommentRefused``): not signed in, blocked, target not open, reply to a
    reply or to a comment that is not published. Past twice the per-minute limit,
    ``ratelimit.RateLimited``. ``ValidationError`` for an empty or too long text.
    Anything screening finds holds the comment for review; in pre-moderation (the
    default) every comment waits for a moderator. Publishing refreshes the page cache
    and queues the reply email, after the commit.
    """
    target_type = targets.for_object(target)
    cleaned = clean_body(body)
    if not KEY_FORMAT.match(idempotency_key or ""):
        raise ValidationError(_("The form is incomplete. Reload the page and try again."))
    thread = thread_find(target)
    target_open = target_type.is_open(target)
    if parent is not None:
        parent_id = parent.pk if isinstance(parent, Comment) else parent
        parent = Comment.objects.select_related("thread").filter(pk=parent_id).first()
        if parent is None or thread is None or parent.thread_id != thread.pk:
            raise CommentRefused("parent_unavailable")
        refusal = rules.reply_refusal(author, parent, target_open=target_open)
    else:
        refusal = rules.post_refusal(author, target_open=target_open, thread=thread)
    if refusal:
        raise CommentRefused(refusal)

    earlier = Comment.objects.filter(author=author, idempotency_key=idempotency_key).first()
    if earlier is not None:
        return _replay(earlier, cleaned)

    flags = _rate_flags(author, ip_address)
    comment_settings = CommentSettings.load()
    flags = screening.screen(
        text=cleaned,
        author_id=author.pk,
        comment_settings=comment_settings,
        honeypot=honeypot,
        rate_flags=flags,
    )
    publish = moderation_mode(target_type, comment_settings) == Moderation.POST and not flags
    now = timezone.now()
    try:
        with transaction.atomic():
            thread = thread or _thread_get_or_create(target)
            comment = Comment.objects.create(
                thread=thread,
                parent=parent,
                author=author,
                body=cleaned,
                state=State.PUBLISHED if publish else State.PENDING,
                screening=[flag.as_dict() for flag in flags],
                content_hash=screening.content_hash(cleaned),
                idempotency_key=idempotency_key,
                created_at=now,
                published_at=now if publish else None,
            )
            if flags:
                log(comment, "comments.hold", user=None, data={"flags": comment.screening})
    except IntegrityError:
        earlier = Comment.objects.filter(author=author, idempotency_key=idempotency_key).first()
        if earlier is None:
            raise
        return _replay(earlier, cleaned)
    if publish:
        _refresh_public_pages()
        if parent is not None:
            _notify_after_commit(comment.pk, Notification.Kind.REPLY)
    log_.info(
        "comment posted",
        extra={"comment_id": comment.pk, "state": comment.state, "flags": len(flags)},
    )
    return Posted(comment, True)


def _replay(earlier: Comment, cleaned: str) -> Posted:
    if earlier.body != cleaned:
        raise CommentRefused("form_reused")
    return Posted(earlier, False)


def comment_edit(*, comment_id: int, editor, body: str, now: datetime | None = None) -> Comment:
    """Change one's own comment within 15 minutes of posting.

    Locks the comment row. The new text is screened again; in pre-moderation an edited
    comment waits for a moderator again (so an approved comment cannot be changed into
    something else), in post-moderation it stays published unless screening holds it.
    Saving the same text changes nothing.
    """
    cleaned = clean_body(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        refusal = rules.edit_refusal(editor, comment, now=now)
        if refusal:
            raise CommentRefused(refusal)
        if cleaned == comment.body:
            return comment
        target_type = comment.thread.target_type
        comment_settings = CommentSettings.load()
        kept = [
            flag
            for flag in comment.screening
            if flag.get("code") in ("rate_user", "rate_ip", "honeypot")
        ]
        flags = screening.screen(
            text=cleaned,
            author_id=editor.pk,
            comment_settings=comment_settings,
            exclude_pk=comment.pk,
            rate_flags=[screening.Flag(f["code"], f.get("detail", "")) for f in kept],
        )
        was_visible = comment.is_visible
        stays_published = (
            comment.state == State.PUBLISHED
            and moderation_mode(target_type, comment_settings) == Moderation.POST
            and not flags
        )
        comment.body = cleaned
        comment.content_hash = screening.content_hash(cleaned)
        comment.screening = [flag.as_dict() for flag in flags]
        comment.edited_at = timezone.now()
        comment.state = State.PUBLISHED if stays_published else State.PENDING
        comment.save(update_fields=["body", "content_hash", "screening", "edited_at", "state"])
        log(comment, "comments.edit", user=editor, data={"state": comment.state})
        if was_visible:
            _refresh_public_pages()
    return comment


def comment_delete(*, comment_id: int, user) -> Comment:
    """The author deletes their comment. Locks the row; idempotent (a second call is
    refused as already deleted). The text is erased; replies stay, under a "deleted"
    placeholder."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        refusal = rules.delete_refusal(user, comment)
        if refusal:
            raise CommentRefused(refusal)
        was_visible = comment.is_visible
        comment.deleted_at = timezone.now()
        comment.body = ""
        comment.content_hash = ""
        comment.save(update_fields=["deleted_at", "body", "content_hash"])
        Report.objects.filter(comment=comment, resolved_at=None).update(resolved_at=timezone.now())
        log(comment, "comments.delete", user=user)
        if was_visible:
            _refresh_public_pages()
    return comment


def comment_report(*, comment_id: int, reporter, reason: str) -> bool:
    """A signed-in person reports a published comment; True for a new report.

    Locks the comment row, so reports arriving together are counted one after the
    other. Idempotent per person (unique comment × reporter: reporting twice is one
    report). At ``CommentSettings.report_threshold`` open reports the comment is hidden,
    pending review, and that is logged. Past 10 reports in 10 minutes a person is
    refused with ``ratelimit.RateLimited``.
    """
    from tawasul.comments.models import ReportReason

    if reason not in ReportReason.values:
        raise ValidationError(_("Please choose a reason."))
    ratelimit.hit(
        "comments:report", str(reporter.pk), limit=REPORTS_PER_WINDOW, period=REPORT_WINDOW
    )
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        refusal = rules.report_refusal(reporter, comment)
        if refusal:
            raise CommentRefused(refusal)
        try:
            with transaction.atomic():
                Report.objects.create(comment=comment, reporter=reporter, reason=reason)
        except IntegrityError:
            return False
        comment.report_count = Report.objects.filter(comment=comment, resolved_at=None).count()
        threshold = CommentSettings.load().report_threshold
        hide = comment.state == State.PUBLISHED and comment.report_count >= threshold
        fields = ["report_count"]
        if hide:
            comment.state = State.HIDDEN
            comment.hidden_cause = Comment.HiddenCause.REPORTS
            fields += ["state", "hidden_cause"]
        comment.save(update_fields=fields)
        if hide:
            log(comment, "comments.auto_hide", user=None, data={"reports": comment.report_count})
            _refresh_public_pages()
    return True


# ---------------------------------------------------------------- moderation
def _check_moderator(moderator) -> None:
    if not rules.can_moderate(moderator):
        raise PermissionDenied


def _moderate(ids, *, moderator, allowed, apply, action: str, data: dict) -> list[Comment]:
    """Lock the comments (in id order, so two bulk actions cannot deadlock), apply the
    change to each whose state allows it, log each. Returns the changed comments."""
    _check_moderator(moderator)
    changed = []
    with transaction.atomic():
        rows = Comment.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk")
        for comment in rows:
            if comment.is_deleted or not allowed(comment):
                continue
            before = comment.state
            was_visible = comment.is_visible
            apply(comment)
            comment.moderated_at = timezone.now()
            comment.save(update_fields=MODERATED_FIELDS)
            log(
                comment,
                action,
                user=moderator,
                data={**data, "from": before, "to": comment.state},
            )
            if was_visible != comment.is_visible:
                _refresh_public_pages()
            changed.append(comment)
    return changed


def _close_reports(comment: Comment) -> None:
    """A moderator has decided: the open reports are answered (called under the lock)."""
    Report.objects.filter(comment=comment, resolved_at=None).update(resolved_at=timezone.now())
    comment.report_count = 0


def comment_approve(*, comment_ids, moderator, note: str = "") -> list[Comment]:
    """Publish comments that wait, were hidden or rejected; close their open reports.

    The author is told (unless they opted out) when a waiting or rejected comment is
    published; the parent's author is told of a reply the first time it is published.
    Idempotent: an already published comment is left alone.
    """
    first_time: set[int] = set()
    decided: set[int] = set()

    def apply(comment: Comment) -> None:
        if comment.published_at is None:
            comment.published_at = timezone.now()
            first_time.add(comment.pk)
        if comment.state in (State.PENDING, State.REJECTED):
            comment.decisions += 1
            decided.add(comment.pk)
        comment.state = State.PUBLISHED
        comment.hidden_cause = ""
        comment.reason = ""
        comment.moderator_note = note
        _close_reports(comment)

    changed = _moderate(
        comment_ids,
        moderator=moderator,
        # A published comment with open reports is "kept": its reports are answered.
        allowed=lambda c: c.state != State.PUBLISHED or c.report_count > 0,
        apply=apply,
        action="comments.approve",
        data={"note": note},
    )
    for comment in changed:
        if comment.pk in decided:
            _notify_after_commit(comment.pk, Notification.Kind.APPROVED, comment.decisions)
        if comment.pk in first_time and comment.parent_id:
            _notify_after_commit(comment.pk, Notification.Kind.REPLY)
    return changed


def comment_reject(*, comment_ids, moderator, reason: str, note: str = "") -> list[Comment]:
    """Take comments down for good with a canned reason (and a note); the author is
    told why. Idempotent: an already rejected comment is left alone."""
    _check_reason(reason, note)

    def apply(comment: Comment) -> None:
        comment.state = State.REJECTED
        comment.reason = reason
        comment.moderator_note = note
        comment.hidden_cause = ""
        comment.decisions += 1
        _close_reports(comment)

    changed = _moderate(
        comment_ids,
        moderator=moderator,
        allowed=lambda c: c.state != State.REJECTED,
        apply=apply,
        action="comments.reject",
        data={"reason": reason, "note": note},
    )
    for comment in changed:
        _notify_after_commit(comment.pk, Notification.Kind.REJECTED, comment.decisions)
    return changed


def comment_hide(*, comment_ids, moderator, reason: str = "", note: str = "") -> list[Comment]:
    """Take published comments out of view while they are looked into (no email).
    Idempotent."""
    if reason:
        _check_reason(reason, note)

    def apply(comment: Comment) -> None:
        comment.state = State.HIDDEN
        comment.hidden_cause = Comment.HiddenCause.MODERATOR
        comment.reason = reason
        comment.moderator_note = note

    return _moderate(
        comment_ids,
        moderator=moderator,
        allowed=lambda c: c.state == State.PUBLISHED,
        apply=apply,
        action="comments.hide",
        data={"reason": reason, "note": note},
    )


def _check_reason(reason: str, note: str) -> None:
    if reason not in Reason.values:
        raise ValidationError(_("Please choose a reason."))
    if reason == Reason.OTHER and not note.strip():
        raise ValidationError(_("Please explain the reason in the note."))


def author_block(*, user_ids, moderator, reason: str, note: str = "") -> list[int]:
    """Stop people from commenting and hide all their comments.

    Idempotent (one block per person, a unique row). Staff who can moderate and the
    moderator themself are never blocked. Returns the ids of the people blocked now.
    """
    from django.contrib.auth import get_user_model

    _check_moderator(moderator)
    _check_reason(reason, note)
    User = get_user_model()
    blocked = []
    with transaction.atomic():
        people = User.objects.filter(pk__in=list(user_ids)).exclude(pk=moderator.pk)
        for person in people.order_by("pk"):
            if rules.can_moderate(person):
                continue
            _block, created = AuthorBlock.objects.get_or_create(
                user=person, defaults={"reason": reason, "note": note, "blocked_by": moderator}
            )
            if not created:
                continue
            log(
                person,
                "comments.block_author",
                user=moderator,
                data={"reason": reason, "note": note},
            )
            blocked.append(person.pk)
        if blocked:
            _moderate(
                Comment.objects.filter(author_id__in=blocked).values_list("pk", flat=True),
                moderator=moderator,
                allowed=lambda c: c.state in (State.PUBLISHED, State.PENDING),
                apply=_hide_for_block,
                action="comments.hide",
                data={"cause": Comment.HiddenCause.AUTHOR_BLOCKED, "reason": reason},
            )
    return blocked


def _hide_for_block(comment: Comment) -> None:
    comment.state = State.HIDDEN
    comment.hidden_cause = Comment.HiddenCause.AUTHOR_BLOCKED


def author_unblock(*, user_id: int, moderator, note: str = "") -> bool:
    """Let a person comment again; comments hidden only because of the block come back
    as they were (published, or waiting for review). Idempotent: False if not blocked."""
    _check_moderator(moderator)
    with transaction.atomic():
        block = AuthorBlock.objects.select_for_update().filter(user_id=user_id).first()
        if block is None:
            return False
        person = block.user
        block.delete()

        def restore(comment: Comment) -> None:
            comment.state = State.PUBLISHED if comment.published_at else State.PENDING
            comment.hidden_cause = ""

        hidden = Comment.objects.filter(
            author_id=user_id, hidden_cause=Comment.HiddenCause.AUTHOR_BLOCKED
        ).values_list("pk", flat=True)
        _moderate(
            hidden,
            moderator=moderator,
            allowed=lambda c: c.state == State.HIDDEN,
            apply=restore,
            action="comments.restore",
            data={"cause": "author_unblocked"},
        )
        log(person, "comments.unblock_author", user=moderator, data={"note": note})
    return True


# ---------------------------------------------------------------- notifications
def notification_preferences_update(
    *, user, on_moderation: bool, on_reply: bool
) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"on_moderation": on_moderation, "on_reply": on_reply}
    )
    return preference


def unsubscribe_token_make(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str):
    """The person an email's "stop these emails" link was made for, or None."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()


def comment_notify(*, comment_id: int, kind: str, event: int = 0) -> bool:
    """Email the person concerned, in their language: their comment was published or
    declined (with the reason), or someone replied to them. Called by the task.

    Sent once per (comment, recipient, kind, event): the row is written in the same
    transaction as the sending, so a retry after a failure sends, and a repeat does not.
    Says nothing (returns False) when the person opted out, was deleted, or the comment
    changed since (no longer published, or no longer rejected).
    """
    comment = (
        Comment.objects.select_related("author", "parent__author", "thread")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return False
    if kind == Notification.Kind.REPLY:
        recipient = comment.parent.author if comment.parent else None
        wanted = (
            comment.is_visible
            and comment.parent is not None
            and not comment.parent.is_deleted
            and recipient is not None
            and recipient.pk != comment.author_id
        )
        preference_field = "on_reply"
    else:
        recipient = comment.author
        expected = State.PUBLISHED if kind == Notification.Kind.APPROVED else State.REJECTED
        wanted = comment.state == expected and comment.decisions == event and not comment.is_deleted
        preference_field = "on_moderation"
    if not wanted or recipient is None or not recipient.is_active or not recipient.email:
        return False
    preference = NotificationPreference.objects.filter(user=recipient).first()
    if preference is not None and not getattr(preference, preference_field):
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                Notification.objects.create(
                    comment=comment, recipient=recipient, kind=kind, event=event
                )
        except IntegrityError:
            return False
        subject, body, unsubscribe = _render_notification(comment, recipient, kind)
        EmailMessage(
            subject=subject,
            body=body,
            to=[recipient.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "Auto-Submitted": "auto-generated"},
        ).send()
    return True


def _render_notification(comment: Comment, recipient, kind: str) -> tuple[str, str, str]:
    target = comment.thread.target
    target_type = comment.thread.target_type
    base = settings.BASE_URL
    with translation.override(recipient.preferred_language):
        link = f"{base}{target_type.url(target)}#comment-{comment.pk}"
        unsubscribe = base + reverse(
            "comments:notifications_off", kwargs={"token": unsubscribe_token_make(recipient)}
        )
        context = {
            "name": recipient.public_name,
            "title": target_type.title(target),
            "link": link,
            "excerpt": comment.excerpt(300),
            "reason": Reason(comment.reason).label if comment.reason else "",
            "note": comment.moderator_note,
            "replier": comment.author.public_name if comment.author else _("Deleted account"),
            "preferences": base + reverse("comments:notifications"),
            "unsubscribe": unsubscribe,
        }
        subject = loader.render_to_string(f"comments/email/{kind}_subject.txt", context)
        body = loader.render_to_string(f"comments/email/{kind}_body.txt", context)
    return " ".join(subject.split()), body, unsubscribe


# ---------------------------------------------------------------- personal data
def comments_export_for(user) -> dict:
    """A person's comments, reports and email choices (for their data download)."""
    comments = (
        Comment.objects.filter(author=user).select_related("thread").order_by("created_at", "pk")
    )
    items = []
    for comment in comments:
        target = comment.thread.target
        target_type = comment.thread.target_type
        items.append(
            {
                "id": comment.pk,
                "on": target_type.title(target) if target is not None else None,
                "url": (settings.BASE_URL + target_type.url(target))
                if target is not None
                else None,
                "reply_to": comment.parent_id,
                "text": comment.body,
                "state": comment.state,
                "reason": comment.reason,
                "posted_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
                "deleted_at": comment.deleted_at.isoformat() if comment.deleted_at else None,
            }
        )
    reports = [
        {"comment": report.comment_id, "reason": report.reason, "at": report.created_at.isoformat()}
        for report in Report.objects.filter(reporter=user).order_by("created_at")
    ]
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "comments": items,
        "reports": reports,
        "emails": {
            "on_moderation": preference.on_moderation if preference else True,
            "on_reply": preference.on_reply if preference else True,
        },
        "blocked": AuthorBlock.objects.filter(user=user).exists(),
    }


def comments_erase_for(user) -> None:
    """Before an account is deleted: keep the public conversation, drop the rest.

    Published comments stay where they are, detached from the person (shown as
    "Deleted account"), since others read and answered them. Comments nobody else saw
    (waiting, hidden, rejected) are erased; one that has replies keeps an empty "deleted"
    placeholder so the replies keep their place. Reports the person made stay, without
    their name, because they count towards hiding abuse. Runs inside the deletion's
    transaction.
    """
    # Not visible to the public: waiting, hidden, rejected, or deleted by the person.
    unseen = list(
        Comment.objects.filter(author=user)
        .exclude(state=State.PUBLISHED, deleted_at=None)
        .values_list("pk", flat=True)
    )
    with_replies = set(
        Comment.objects.filter(parent_id__in=unseen).values_list("parent_id", flat=True)
    )
    Comment.objects.filter(pk__in=with_replies).update(
        body="", content_hash="", deleted_at=timezone.now(), author=None, screening=[]
    )
    Comment.objects.filter(pk__in=set(unseen) - with_replies).delete()
    Comment.objects.filter(author=user).update(author=None)
    _refresh_public_pages()
