"""Who may do what with comments: plain predicates, tested as a matrix (role × action × state).

Each ``*_refusal`` function returns None when the action is allowed, otherwise the code of
the reason, which :data:`MESSAGES` turns into a sentence for the person. The ``can_*``
functions are the yes/no form for templates. Services check these again inside their
transaction, so a view that forgot to ask cannot do harm.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tawasul.comments.models import AuthorBlock, Comment

MESSAGES = {
    "sign_in": _("Please sign in to take part."),
    "inactive": _("This account is closed."),
    "blocked": _(
        "Your account can no longer post comments. Write to us if you think this is a mistake."
    ),
    "closed": _("Comments are closed here."),
    "reply_depth": _("You can reply to a comment, but not to a reply."),
    "parent_unavailable": _("The comment you are replying to is no longer available."),
    "not_author": _("Only the author can change this comment."),
    "deleted": _("This comment was deleted."),
    "moderated": _("A moderator has taken this comment down, so it cannot be changed."),
    "edit_window": _("Comments can be edited for 15 minutes after posting; that time is over."),
    "own_comment": _("You cannot report your own comment."),
    "unavailable": _("This comment is not available."),
}


def is_blocked(user) -> bool:
    """Whether ``user`` may no longer comment (asked once per request object)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_tawasul_comment_blocked", None)
    if cached is None:
        cached = AuthorBlock.objects.filter(user_id=user.pk).exists()
        user._tawasul_comment_blocked = cached
    return cached


def post_refusal(user, *, target_open: bool, thread=None) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return "sign_in"
    if not user.is_active:
        return "inactive"
    if not target_open or (thread is not None and thread.closed_at is not None):
        return "closed"
    if is_blocked(user):
        return "blocked"
    return None


def reply_refusal(user, parent: Comment, *, target_open: bool) -> str | None:
    refusal = post_refusal(user, target_open=target_open, thread=parent.thread)
    if refusal:
        return refusal
    if parent.parent_id is not None:
        return "reply_depth"
    if not parent.is_visible:
        return "parent_unavailable"
    return None


def edit_refusal(user, comment: Comment, *, now: datetime | None = None) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return "sign_in"
    if comment.author_id != user.pk:
        return "not_author"
    if comment.is_deleted:
        return "deleted"
    if comment.state in (Comment.State.REJECTED, Comment.State.HIDDEN):
        return "moderated"
    if (now or timezone.now()) > comment.editable_until():
        return "edit_window"
    if is_blocked(user):
        return "blocked"
    return None


def delete_refusal(user, comment: Comment) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return "sign_in"
    if comment.author_id != user.pk:
        return "not_author"
    if comment.is_deleted:
        return "deleted"
    return None


def report_refusal(user, comment: Comment) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return "sign_in"
    if not user.is_active:
        return "inactive"
    if comment.author_id is not None and comment.author_id == user.pk:
        return "own_comment"
    if not comment.is_visible:
        return "unavailable"
    return None


def can_view(user, comment: Comment) -> bool:
    """The text itself: everyone for published comments, the author for their own."""
    if comment.is_visible:
        return True
    if comment.is_deleted:
        return False
    if getattr(user, "is_authenticated", False) and comment.author_id == user.pk:
        return True
    return can_moderate(user)


def can_moderate(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("comments.moderate_comment")
    )


def can_export(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("comments.export_comment")
    )


def can_edit(user, comment: Comment) -> bool:
    return edit_refusal(user, comment) is None


def can_delete(user, comment: Comment) -> bool:
    return delete_refusal(user, comment) is None


def can_report(user, comment: Comment) -> bool:
    return report_refusal(user, comment) is None
