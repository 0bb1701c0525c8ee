"""Reads of comments that need care: who sees what, in a fixed number of queries."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from tawasul.comments import rules, targets
from tawasul.comments import text as comment_text
from tawasul.comments.models import (
    PAGE_SIZE,
    THREAD_TARGET_FIELDS,
    Comment,
    Report,
    Thread,
)

State = Comment.State
ORDERS = ("newest", "oldest")


def new_form_key() -> str:
    """A fresh idempotency key for one comment form (see services.comment_create)."""
    return secrets.token_urlsafe(24)


def review_filter() -> Q:
    """What a moderator has to look at: waiting comments and comments hidden by reports."""
    return Q(deleted_at=None) & (
        Q(state=State.PENDING) | Q(state=State.HIDDEN, hidden_cause=Comment.HiddenCause.REPORTS)
    )


def review_count() -> int:
    return Comment.objects.filter(review_filter()).count()


def _shown_to(viewer) -> Q:
    """Comments a reader sees: published ones, and their own that still wait or were
    taken down (with their state), never anyone else's."""
    shown = Q(state=State.PUBLISHED, deleted_at=None)
    if getattr(viewer, "is_authenticated", False):
        shown |= Q(author_id=viewer.pk, deleted_at=None)
    return shown


def _roots(thread: Thread, viewer) -> QuerySet:
    """Top-level comments to show; a deleted or hidden one stays as a placeholder while
    it has published replies, so the replies keep their place."""
    answered = Comment.objects.filter(parent=OuterRef("pk"), state=State.PUBLISHED, deleted_at=None)
    return (
        Comment.objects.filter(thread=thread, parent=None)
        .annotate(answered=Exists(answered))
        .filter(_shown_to(viewer) | Q(answered=True))
    )


def _ordering(order: str) -> list[str]:
    return ["created_at", "pk"] if order == "oldest" else ["-created_at", "-pk"]


def thread_context(request, target) -> dict:
    """Everything the comments area of ``target`` needs, for this reader.

    A fixed number of queries whatever the number of comments: the thread, the count,
    one page of top-level comments with their authors, their replies with theirs, and
    (signed in) the reader's own reports and block.
    """
    target_type = targets.for_object(target)
    viewer = request.user
    signed_in = viewer.is_authenticated
    order = request.GET.get("order")
    order = order if order in ORDERS else "newest"
    published = Q(comments__state=State.PUBLISHED, comments__deleted_at=None)
    thread = (
        Thread.objects.filter(**{f"{target_type.field}_id": target.pk})
        .annotate(published=Count("comments", filter=published))
        .first()
    )
    target_open = target_type.is_open(target)
    refusal = rules.post_refusal(viewer, target_open=target_open, thread=thread)
    context = {
        "target": target,
        "target_type": target_type,
        "thread": thread,
        "order": order,
        "count": 0,
        "comments": None,
        "can_post": refusal is None,
        "refusal": rules.MESSAGES.get(refusal) if refusal not in (None, "sign_in") else None,
        "signed_in": signed_in,
        "post_url": reverse(
            "comments:post", kwargs={"kind": target_type.key, "target_id": target.pk}
        ),
        "form_key": new_form_key() if refusal is None else "",
        "form_prefix": "comment-new",
        "empty_text": target_type.empty_text,
        "page_url": target_type.url(target),
    }
    if thread is None:
        return context
    context["count"] = thread.published
    replies = (
        Comment.objects.filter(_shown_to(viewer))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    roots = (
        _roots(thread, viewer)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        .order_by(*_ordering(order))
    )
    page = Paginator(roots, PAGE_SIZE).get_page(request.GET.get("cpage"))
    reported = set()
    if signed_in:
        reported = set(
            Report.objects.filter(reporter=viewer, comment__thread=thread).values_list(
                "comment_id", flat=True
            )
        )
    for comment in page.object_list:
        decorate(comment, viewer, reported=reported, can_post=refusal is None)
        for reply in comment.shown_replies:
            decorate(reply, viewer, reported=reported, can_post=False)
    context["comments"] = page
    return context


def decorate(comment: Comment, viewer, *, reported=(), can_post: bool = False) -> Comment:
    """Add what a template shows about one comment for this reader."""
    own = viewer.is_authenticated and comment.author_id == viewer.pk
    comment.own = own
    comment.placeholder = comment.is_deleted or (comment.state != State.PUBLISHED and not own)
    comment.html = "" if comment.placeholder else comment_text.to_html(comment.body)
    comment.may_edit = own and rules.can_edit(viewer, comment)
    comment.may_delete = own and rules.can_delete(viewer, comment)
    comment.may_report = (
        viewer.is_authenticated
        and not own
        and comment.pk not in reported
        and rules.can_report(viewer, comment)
    )
    comment.reported = comment.pk in reported
    comment.may_reply = can_post and comment.parent_id is None and comment.is_visible
    comment.reply_key = new_form_key() if comment.may_reply else ""
    comment.reply_prefix = f"reply-{comment.pk}"
    if not hasattr(comment, "shown_replies"):
        comment.shown_replies = []
    return comment


def page_number_of(comment: Comment, viewer, order: str = "newest") -> int:
    """The page of the thread on which ``comment`` (or the comment it answers) appears."""
    root = comment.parent if comment.parent_id else comment
    roots = _roots(root.thread, viewer)
    if order == "oldest":
        before = roots.filter(
            Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
        )
    else:
        before = roots.filter(
            Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__gt=root.pk)
        )
    return before.count() // PAGE_SIZE + 1


def comment_url(comment: Comment, viewer, order: str = "newest") -> str:
    """Where a comment can be seen: its page of the thread, with its anchor."""
    target_type = comment.thread.target_type
    url = target_type.url(comment.thread.target)
    params = []
    if order != "newest":
        params.append(f"order={order}")
    number = page_number_of(comment, viewer, order)
    if number > 1:
        params.append(f"cpage={number}")
    query = f"?{'&'.join(params)}" if params else ""
    return f"{url}{query}#comment-{comment.pk}"


def attach_comment_counts(objects: Iterable) -> None:
    """Set ``comment_count`` (published comments) on each object of a list, in one query
    per target type, however long the list."""
    by_field: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for obj in objects:
        try:
            target_type = targets.for_object(obj)
        except LookupError:
            continue
        by_field[target_type.field][obj.pk].append(obj)
    for field, found in by_field.items():
        counts = dict(
            Comment.objects.filter(
                **{f"thread__{field}_id__in": list(found)},
                state=State.PUBLISHED,
                deleted_at=None,
            )
            .values_list(f"thread__{field}_id")
            .annotate(n=Count("pk"))
        )
        for pk, objs in found.items():
            for obj in objs:
                obj.comment_count = counts.get(pk, 0)


def my_comments(user) -> QuerySet:
    """A person's own comments, newest first, with what they were posted on."""
    return (
        Comment.objects.filter(author=user, deleted_at=None)
        .select_related("thread", *[f"thread__{name}" for name in THREAD_TARGET_FIELDS])
        .order_by("-created_at", "-pk")
    )
