"""Opinion polls: the poll and its choices (translated, one row per language), the votes
(one per voter per poll, across languages) and the log of staff views of live results.

A poll in Arabic and its English translation are one poll asked in two languages: they
share a ``translation_key``, and so do their choices. Votes are stored against those
keys, not against the row of one language, so a voter has one vote whichever language
they use, and the results count every language together
(docs/decisions/0008-poll-votes-across-translations.md).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin

MAX_CHOICES = 12
OTHER_TEXT_MAX = 300


class Poll(TranslatableMixin, ClusterableModel):
    """One language's version of a poll. Everything but the wording (the *shared*
    fields) is the same in every translation; ``services.poll_sync_translations``
    keeps it so after each save."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")

    class Electorate(models.TextChoices):
        ANYONE = "anyone", _("Anyone (one vote per browser)")
        CITIZENS = "citizens", _("Signed-in citizens only (one vote per account)")

    class Visibility(models.TextChoices):
        ALWAYS = "always", _("Always, also before voting")
        AFTER_VOTING = "after_voting", _("To each person after they vote")
        AFTER_CLOSING = "after_closing", _("Only after the poll closes")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class State(models.TextChoices):
        """Derived from the status and the clock; never stored."""

        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(
        _("description"),
        max_length=1000,
        blank=True,
        help_text=_("Why the ministry asks, shown under the question."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(
        _("most choices a voter may tick"),
        null=True,
        blank=True,
        help_text=_("For several choices only; empty means any number."),
    )
    allow_other = models.BooleanField(
        _("offer “Other” with a free answer"),
        default=False,
        help_text=_("Free answers are reviewed by moderators and never shown publicly."),
    )
    electorate = models.CharField(
        _("who may vote"), max_length=10, choices=Electorate.choices, default=Electorate.ANYONE
    )
    results_visibility = models.CharField(
        _("who sees the results, and when"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.AFTER_VOTING,
    )
    staff_see_live_results = models.BooleanField(
        _("staff may see results while the poll is open"),
        default=False,
        help_text=_("Every such view is logged. The poll page tells the public."),
    )
    allow_change = models.BooleanField(
        _("voters may change their vote until the poll closes"), default=False
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    SHARED_FIELDS = (
        "kind",
        "max_choices",
        "allow_other",
        "electorate",
        "results_visibility",
        "staff_see_live_results",
        "allow_change",
        "opens_at",
        "closes_at",
        "status",
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("description"),
        InlinePanel("choices", label=_("Choices"), min_num=2, max_num=MAX_CHOICES),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("max_choices")]),
                FieldPanel("allow_other"),
            ],
            heading=_("Answers"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("electorate"),
                FieldPanel("allow_change"),
                FieldPanel("results_visibility"),
                FieldPanel("staff_see_live_results"),
            ],
            heading=_("Rules (the same in every language)"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("status"),
            ],
            heading=_("Period"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["locale", "status", "opens_at"], name="polls_listing")]
        permissions = [
            ("view_results", _("Can see the results of open polls (logged)")),
            ("export_results", _("Can export results and anonymised votes")),
            ("moderate_other", _("Can review the free answers of polls")),
        ]

    def __str__(self) -> str:
        return self.question

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The poll must close after it opens.")})
        if self.kind == self.Kind.SINGLE:
            self.max_choices = None
        elif self.max_choices is not None and self.max_choices < 2:
            raise ValidationError(
                {"max_choices": _("With several choices, allow at least two (or leave empty).")}
            )

    # ------------------------------------------------------------ state
    @property
    def key(self) -> uuid.UUID:
        """The poll's identity across languages: what votes are stored against."""
        return self.translation_key

    def state_at(self, when: dt.datetime | None = None) -> str:
        when = when or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return self.State.DRAFT
        if when < self.opens_at:
            return self.State.SCHEDULED
        if when >= self.closes_at:
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
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def is_public(self) -> bool:
        return self.state in (self.State.OPEN, self.State.CLOSED)

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE

    def most_choices(self, choice_count: int) -> int:
        """How many boxes a voter may tick (the "Other" answer counts as one)."""
        if not self.is_multiple:
            return 1
        offered = choice_count + (1 if self.allow_other else 0)
        return min(self.max_choices or offered, offered)

    def get_absolute_url(self) -> str:
        from django.urls import reverse
        from django.utils.translation import override

        with override(self.locale.language_code):
            return reverse("polls:detail", args=[self.pk])


class PollChoice(TranslatableMixin, Orderable):
    """One answer of a poll, in the poll's language; its ``translation_key`` is what
    votes count, the same in every translation."""

    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("answer"), max_length=200)

    panels = [FieldPanel("label")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> uuid.UUID:
        return self.translation_key


class Vote(models.Model):
    """One voter's vote in one poll, whatever the language they voted in.

    Exactly once: ``voter`` is the account (``u:<id>``) or, for polls open to anyone,
    the browser (``b:<identifier>``); the database refuses a second row for the same
    poll and voter, and, for polls open to anyone, for the same poll and browser (so
    signing in or out does not give a browser a second vote).
    """

    class OtherStatus(models.TextChoices):
        NONE = "", _("No free answer")
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    poll_key = models.UUIDField(_("poll"), editable=False)
    voter = models.CharField(_("voter"), max_length=40, editable=False)
    browser = models.CharField(_("browser"), max_length=32, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="poll_votes",
        db_index=False,  # a partial index below: most votes have no account
    )
    language = models.CharField(_("language"), max_length=8)
    proof = models.CharField(
        _("human check passed"),
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("The proof of work (or question) this vote spent; each counts once."),
    )
    other_text = models.CharField(_("free answer"), max_length=OTHER_TEXT_MAX, blank=True)
    other_status = models.CharField(
        _("review of the free answer"),
        max_length=10,
        choices=OtherStatus.choices,
        blank=True,
        default=OtherStatus.NONE,
    )
    other_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # a partial index below: few votes are ever reviewed
    )
    created_at = models.DateTimeField(_("cast at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["poll_key", "voter"], name="polls_one_vote_per_voter"),
            models.UniqueConstraint(
                fields=["poll_key", "browser"],
                condition=~Q(browser=""),
                name="polls_one_vote_per_browser",
            ),
            # A solved challenge is spent by one vote, in every process and on every host,
            # even where the cache that remembers spent challenges is not shared.
            models.UniqueConstraint(
                fields=["proof"], condition=~Q(proof=""), name="polls_proof_spent_once"
            ),
        ]
        indexes = [
            # Counting the "Other" answers of a poll, and the moderators' queue.
            models.Index(
                fields=["poll_key", "other_status"],
                condition=~Q(other_status=""),
                name="polls_vote_other",
            ),
            # Votes by account (the account's data export and deletion) and by reviewer.
            # Partial, so the anonymous votes that are most of them add no index entries.
            models.Index(
                fields=["user"], condition=Q(user__isnull=False), name="polls_vote_by_user"
            ),
            models.Index(
                fields=["other_reviewed_by"],
                condition=Q(other_reviewed_by__isnull=False),
                name="polls_vote_by_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class VoteChoice(models.Model):
    """A choice ticked in a vote. ``poll_key`` is repeated here so that a poll's tally
    is one index-only count over (poll_key, choice_key)."""

    # No index of its own: the unique (vote, choice_key) below starts with the vote.
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="selections", db_index=False
    )
    poll_key = models.UUIDField()
    choice_key = models.UUIDField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "choice_key"], name="polls_choice_once"),
        ]
        indexes = [models.Index(fields=["poll_key", "choice_key"], name="polls_tally")]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.choice_key}"


class ResultsAccess(models.Model):
    """A staff view (or export) of a poll's results while it was still open."""

    poll_key = models.UUIDField(_("poll"), editable=False)
    question = models.CharField(_("question"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_email = models.EmailField(_("staff email"))
    action = models.CharField(_("what"), max_length=40)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("live results view")
        verbose_name_plural = _("live results views")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_email} · {self.action} · {self.question}"
