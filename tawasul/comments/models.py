"""Comments: threads on commentable objects, comments and replies, reports, blocks.

Every change goes through ``services.py``; these models hold data and constraints only.
See ``targets.py`` for how a thread points at what it is about, and
``docs/decisions/0009-comment-threads-with-explicit-targets.md`` for why.
"""

from __future__ import annotations

from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

MAX_LENGTH = 2000
EDIT_WINDOW = timedelta(minutes=15)
PAGE_SIZE = 20

# One explicit, nullable foreign key per target type; a check constraint keeps exactly
# one of them set. A new target type adds its field here and on Thread (see targets.py).
THREAD_TARGET_FIELDS = ["article", "issue", "issue_statements"]


def _exactly_one_target() -> Q:
    options = []
    for name in THREAD_TARGET_FIELDS:
        others = [
            Q(**{f"{other}__isnull": True}) for other in THREAD_TARGET_FIELDS if other != name
        ]
        options.append(reduce(lambda a, b: a & b, others, Q(**{f"{name}__isnull": False})))
    return reduce(lambda a, b: a | b, options)


class Moderation(models.TextChoices):
    PRE = "pre", _("Pre-moderation: held until a moderator approves it")
    POST = "post", _("Post-moderation: published at once, reviewed afterwards")


class Reason(models.TextChoices):
    """Canned reasons for rejecting, hiding or blocking (bilingual through the catalog)."""

    SPAM = "spam", _("Advertising or spam")
    ABUSIVE = "abusive", _("Abusive, insulting or hateful language")
    OFF_TOPIC = "off_topic", _("Not about the subject under discussion")
    PERSONAL_DATA = "personal_data", _("Contains personal data, such as phone or ID numbers")
    UNLAWFUL = "unlawful", _("Breaks the law or the terms of use")
    DUPLICATE = "duplicate", _("Repeats a comment already posted")
    OTHER = "other", _("Another reason, explained in the note")


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSIVE = "abusive", _("Abusive or insulting")
    OFF_TOPIC = "off_topic", _("Off-topic")
    PERSONAL_DATA = "personal_data", _("Shares personal data")


class Thread(models.Model):
    """The comments of one commentable object (created with its first comment)."""

    article = models.OneToOneField(
        "news.NewsArticlePage",
        verbose_name=_("news article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_thread",
    )
    # The debate under an issue for discussion, and (through the proxy) its statements,
    # which the comments app moderates (tawasul/discussions/models.py).
    issue = models.OneToOneField(
        "discussions.DiscussionIssue",
        verbose_name=_("issue for discussion"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_thread",
    )
    issue_statements = models.OneToOneField(
        "discussions.IssueStatements",
        verbose_name=_("statements of an issue"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="statement_thread",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment thread")
        verbose_name_plural = _("comment threads")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_target(), name="comments_thread_one_target"
            )
        ]

    def __str__(self) -> str:
        target = self.target
        return str(target) if target is not None else f"#{self.pk}"

    @property
    def target_field(self) -> str:
        for name in THREAD_TARGET_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return name
        raise LookupError("thread without a target")

    @property
    def target(self):
        for name in THREAD_TARGET_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    @property
    def target_type(self):
        from tawasul.comments import targets

        return targets.for_field(self.target_field)


class Comment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")
        REJECTED = "rejected", _("Rejected")

    class HiddenCause(models.TextChoices):
        MODERATOR = "moderator", _("Hidden by a moderator")
        REPORTS = "reports", _("Hidden after reports, pending review")
        AUTHOR_BLOCKED = "author_blocked", _("Hidden because the author is blocked")

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(_("text"), max_length=MAX_LENGTH, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    hidden_cause = models.CharField(
        _("why hidden"), max_length=20, choices=HiddenCause.choices, blank=True
    )
    reason = models.CharField(
        _("moderation reason"), max_length=20, choices=Reason.choices, blank=True
    )
    moderator_note = models.TextField(_("moderator's note"), max_length=1000, blank=True)
    # What automatic screening found: [{"code": "links", "detail": "3"}, ...]
    screening = models.JSONField(_("screening"), default=list, blank=True)
    # The matching key of the text (core.arabic), hashed: finds repeated text.
    content_hash = models.CharField(max_length=64, db_index=True, blank=True)
    # One per form shown: a double click sends it twice and makes one comment.
    idempotency_key = models.CharField(max_length=64)
    report_count = models.PositiveIntegerField(_("open reports"), default=0)
    # How many moderation decisions so far; tells one decision's email from the next.
    decisions = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="comments_comment_once_per_form"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "published", "hidden", "rejected"]),
                name="comments_comment_known_state",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "parent", "state", "created_at"]),
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["author", "created_at"]),
        ]
        permissions = [
            ("moderate_comment", _("Can moderate comments")),
            ("export_comment", _("Can export comments")),
        ]

    def __str__(self) -> str:
        # No text here: this label is kept in the audit log, which must hold no personal data.
        return str(_("Comment %(number)s")) % {"number": self.pk}

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible(self) -> bool:
        """Shown to everyone (counted on lists)."""
        return self.state == self.State.PUBLISHED and self.deleted_at is None

    def editable_until(self):
        return self.created_at + EDIT_WINDOW

    def excerpt(self, length: int = 120) -> str:
        from tawasul.core.text import neutralise

        text = " ".join(neutralise(self.body).split())
        return text if len(text) <= length else text[: length - 1] + "…"


class Report(models.Model):
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comment_reports",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="comments_report_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.comment_id})"


class AuthorBlock(models.Model):
    """A person who may no longer comment; their comments are hidden."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="comment_block",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    class Meta:
        verbose_name = _("blocked author")
        verbose_name_plural = _("blocked authors")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Blocked author %(number)s")) % {"number": self.user_id}


class NotificationPreference(models.Model):
    """Which comment emails a person wants; without a row, all of them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_notifications"
    )
    on_moderation = models.BooleanField(
        _("When a moderator publishes or declines my comment"), default=True
    )
    on_reply = models.BooleanField(_("When someone replies to my comment"), default=True)

    class Meta:
        verbose_name = _("comment notification preference")
        verbose_name_plural = _("comment notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}"


class Notification(models.Model):
    """An email sent about a comment: written before sending, so none goes twice."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REPLY = "reply", _("Reply")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # A comment can be rejected, approved, then rejected again: each decision is its own event.
    event = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "recipient", "kind", "event"], name="comments_notify_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.comment_id}"


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    """How comments are moderated; changed by administrators in Settings."""

    news_moderation = models.CharField(
        _("moderation of news comments"),
        max_length=4,
        choices=Moderation.choices,
        default=Moderation.PRE,
    )
    discussions_moderation = models.CharField(
        _("moderation of statements and comments on issues for discussion"),
        max_length=4,
        choices=Moderation.choices,
        default=Moderation.PRE,
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports before a comment is hidden"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A published comment is hidden, pending review, after this many reports."),
    )
    max_links = models.PositiveSmallIntegerField(
        _("links allowed in a comment"),
        default=2,
        validators=[MaxValueValidator(20)],
        help_text=_("A comment with more links is held for review."),
    )
    blocked_terms = models.TextField(
        _("more blocked words"),
        blank=True,
        help_text=_(
            "One word or phrase per line, in Arabic or English, added to the built-in list. "
            "A comment that contains one is held for review. Spelling variants, harakat, "
            "tatweel, repeated letters and spaces between letters are matched too."
        ),
    )

    panels = [
        FieldPanel("news_moderation"),
        FieldPanel("discussions_moderation"),
        MultiFieldPanel(
            [FieldPanel("report_threshold"), FieldPanel("max_links"), FieldPanel("blocked_terms")],
            heading=_("Screening"),
        ),
    ]

    class Meta:
        verbose_name = _("comments")
