"""Issues for discussion (قضايا للنقاش): the issue, its statements, participants and votes,
and the cached opinion-group analysis.

An issue in Arabic and its English translation are one issue in two languages: they share
a ``translation_key`` (as polls do, decision 0008), and statements, participants and votes
are stored against that key (``issue_key``), so a vote counts once whatever the language.

A citizen's statement is moderated by the comments app: it is backed by a
``comments.Comment`` in a thread whose target is the issue's *statements box*
(:class:`IssueStatements`, a proxy of the issue), so the comments queue, screening and audit
log apply to it unchanged (docs/decisions/0040-statements-moderated-as-comments.md).
Statements seeded by staff or imported from Polis have no comment and carry their own
``excluded`` flag.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin

STATEMENT_MAX = 280


class DiscussionIssue(TranslatableMixin, models.Model):
    """One language's version of an issue for discussion."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class State(models.TextChoices):
        """Derived from the status and the period; never stored."""

        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class Voters(models.TextChoices):
        CITIZENS = "citizens", _("Signed-in citizens only")
        ANYONE = "anyone", _("Anyone (one identity per browser, with a human check)")

    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(
        _("background"), max_length=5000, help_text=_("What the issue is and why it matters.")
    )
    question = models.CharField(
        _("the question"), max_length=300, help_text=_("What the ministry asks the public.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what_we_heard = models.TextField(_("what we heard"), max_length=5000, blank=True)
    what_we_will_do = models.TextField(_("what we will do"), max_length=5000, blank=True)
    voters = models.CharField(
        _("who may vote"), max_length=10, choices=Voters.choices, default=Voters.CITIZENS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # "polis:<sha256 of comments.csv + votes.csv>" for imported conversations: importing
    # the same export again finds this issue instead of making a second one.
    source = models.CharField(_("imported from"), max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    SHARED_FIELDS = ("voters", "status", "opens_at", "closes_at", "image", "document")

    panels = [
        FieldPanel("title"),
        FieldPanel("question"),
        FieldPanel("background"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("document")], heading=_("Material")),
        MultiFieldPanel(
            [
                FieldPanel("voters"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("status"),
            ],
            heading=_("Rules and period (the same in every language)"),
        ),
        MultiFieldPanel(
            [FieldPanel("what_we_heard"), FieldPanel("what_we_will_do")],
            heading=_("Outcome, published when the issue is closed"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("issue for discussion")
        verbose_name_plural = _("issues for discussion")
        ordering = ["-opens_at", "-pk"]
        indexes = [
            models.Index(fields=["locale", "status", "opens_at"], name="discussions_listing")
        ]
        permissions = [("export_discussion", _("Can export statements, votes and groups"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse
        from django.utils.translation import override

        with override(self.locale.language_code):
            return reverse("discussions:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The issue must close after it opens.")})

    @property
    def key(self):
        """The issue's identity across languages: what statements and votes belong to."""
        return self.translation_key

    def state_at(self, when: dt.datetime | None = None) -> str:
        when = when or timezone.now()
        if self.status in (self.Status.DRAFT, self.Status.ARCHIVED, self.Status.CLOSED):
            return self.status
        if when < self.opens_at:
            return self.State.SCHEDULED
        if self.closes_at is not None and when >= self.closes_at:
            return self.State.CLOSED
        return self.State.OPEN

    @property
    def state(self) -> str:
        return self.state_at()

    @property
    def state_label(self) -> str:
        return self.State(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_public(self) -> bool:
        return self.state in (self.State.OPEN, self.State.CLOSED, self.State.ARCHIVED)


class IssueStatements(DiscussionIssue):
    """The issue seen as the box its statements are posted in: the comments app's target
    for statements (the issue itself is the target of the debate under it)."""

    class Meta:
        proxy = True
        verbose_name = _("statements of an issue")
        verbose_name_plural = _("statements of issues")


class Statement(models.Model):
    """A short opinion (≤ 280 characters) that participants vote on."""

    class Origin(models.TextChoices):
        CITIZEN = "citizen", _("Posted by a citizen")
        SEED = "seed", _("Seeded by the ministry")
        IMPORTED = "imported", _("Imported")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Moderated out")

    issue_key = models.UUIDField(_("issue"), db_index=True, editable=False)
    issue = models.ForeignKey(
        DiscussionIssue,
        verbose_name=_("posted on"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX)
    language = models.CharField(_("language"), max_length=8, blank=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.CITIZEN
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_statements",
    )
    # A citizen's statement is moderated as this comment (state, screening, audit).
    comment = models.OneToOneField(
        "comments.Comment",
        verbose_name=_("moderation record"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="statement",
    )
    # For seeded and imported statements (no comment): moderated out or not.
    excluded = models.BooleanField(_("moderated out"), default=False)
    # Hash of core.arabic.normalise(text): the same statement twice is refused.
    matching_key = models.CharField(max_length=64, editable=False)
    external_id = models.BigIntegerField(_("id in the imported export"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue_key", "matching_key"],
                condition=~Q(origin="imported"),
                name="discussions_statement_unique_text",
            ),
            models.UniqueConstraint(
                fields=["issue_key", "external_id"],
                condition=Q(external_id__isnull=False),
                name="discussions_statement_unique_external",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Statement %(number)s")) % {"number": self.pk}

    @property
    def state(self) -> str:
        if self.comment_id is None:
            return self.State.REJECTED if self.excluded else self.State.PUBLISHED
        comment_state = self.comment.state
        if self.comment.deleted_at is not None:
            return self.State.REJECTED
        if comment_state == "published":
            return self.State.PUBLISHED
        if comment_state == "pending":
            return self.State.PENDING
        return self.State.REJECTED

    @property
    def state_label(self) -> str:
        return self.State(self.state).label

    @classmethod
    def votable_q(cls) -> Q:
        """Statements the public votes on (and the analysis does not exclude)."""
        return Q(comment__isnull=True, excluded=False) | Q(
            comment__state="published", comment__deleted_at__isnull=True
        )


class Participant(models.Model):
    """Someone who votes in one issue, known only by a pseudonymous number.

    ``identity`` is ``u:<user id>``, ``b:<browser id>`` or ``polis:<voter id>``: unique
    per issue, so concurrent first votes make one participant.
    """

    issue_key = models.UUIDField(_("issue"), editable=False)
    identity = models.CharField(max_length=48, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_id = models.BigIntegerField(_("id in the imported export"), null=True, blank=True)
    created_at = models.DateTimeField(_("first vote at"), default=timezone.now)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["issue_key", "identity"], name="discussions_one_participant"
            )
        ]

    def __str__(self) -> str:
        return str(_("Participant %(number)s")) % {"number": self.public_id}

    @property
    def public_id(self) -> int:
        """The id shown in the API and exports: the imported id, or our own number."""
        return self.external_id if self.external_id is not None else self.pk


class Vote(models.Model):
    """Agree (1), disagree (−1) or pass (0): exactly one per participant per statement."""

    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    issue_key = models.UUIDField(editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    created_at = models.DateTimeField(_("cast at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote on a statement")
        verbose_name_plural = _("votes on statements")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="discussions_one_vote"
            ),
            models.CheckConstraint(
                condition=Q(value__in=[-1, 0, 1]), name="discussions_vote_value"
            ),
        ]
        indexes = [models.Index(fields=["issue_key", "statement"], name="discussions_votes")]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class AnalysisResult(models.Model):
    """The latest opinion-group analysis of an issue (one row per issue, replaced)."""

    issue_key = models.UUIDField(unique=True, editable=False)
    computed_at = models.DateTimeField(null=True, blank=True)
    # Set when votes arrive; the debounced task recomputes when it is newer than computed_at.
    requested_at = models.DateTimeField(null=True, blank=True)
    votes = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("opinion-group analysis")
        verbose_name_plural = _("opinion-group analyses")

    def __str__(self) -> str:
        return f"analysis {self.issue_key}"
