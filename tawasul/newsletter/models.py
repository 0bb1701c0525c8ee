"""Subscribers, the suppression list, campaigns and their deliveries.

A subscriber's address is matched by ``email_key`` (case- and Unicode-normalised, see
:func:`email_key`), unique, so two sign-ups differing only by case are one person. The
suppression list keeps only a hash of that key, so an erased subscriber who had
unsubscribed or bounced stays suppressed without their address being kept.

A campaign's audience is frozen into one :class:`Delivery` row per (campaign, subscriber)
when it starts; each row walks pending → claimed → sending → sent | failed | skipped |
ambiguous, and the counts always add up to the audience.
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import StreamField

LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]


def email_key(address: str) -> str:
    """The matching key of an address: NFKC-normalised, stripped, case-folded."""
    return unicodedata.normalize("NFKC", address).strip().casefold()


def email_hash(address: str) -> str:
    """A SHA-256 of :func:`email_key`, what the suppression list keeps."""
    return hashlib.sha256(email_key(address).encode()).hexdigest()


class Topic(models.Model):
    """A subject people subscribe to (e.g. phishing, passwords); campaigns target topics."""

    slug = models.SlugField(_("key"), max_length=50, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("newsletter topic")
        verbose_name_plural = _("newsletter topics")

    def __str__(self) -> str:
        return self.name_for()

    def name_for(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        language = language or get_language() or "ar"
        return self.name_en if language.startswith("en") else self.name_ar


class Subscriber(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        ACTIVE = "active", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        SUPPRESSED = "suppressed", _("suppressed (bounce or complaint)")

    class Source(models.TextChoices):
        FORM = "form", _("sign-up form with double opt-in")
        IMPORT = "import", _("import, consent collected elsewhere")

    email = models.EmailField(_("email"), max_length=254)
    email_key = models.CharField(max_length=254, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGES, default="ar")
    topics = models.ManyToManyField(Topic, blank=True, related_name="subscribers")
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    # Consent record: how, when and from where the person agreed.
    source = models.CharField(_("consent source"), max_length=16, choices=Source.choices)
    consent_note = models.CharField(_("consent note"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_ip = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(_("confirmed from"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # Bumped on unsubscribe and erase: every link sent before stops working for changes.
    token_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class Suppression(models.Model):
    """An address that must never be mailed again (until its owner subscribes anew by
    double opt-in, which a form sign-up may do and an import may not)."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        HARD_BOUNCE = "hard_bounce", _("hard bounce")
        SOFT_BOUNCES = "soft_bounces", _("repeated soft bounces")
        COMPLAINT = "complaint", _("spam complaint")
        MANUAL = "manual", _("added by staff")

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.email_hash[:12]}… ({self.reason})"


class Bounce(models.Model):
    """One delivery-status notification or complaint matched to a subscriber."""

    class Kind(models.TextChoices):
        HARD = "hard", _("hard")
        SOFT = "soft", _("soft")
        COMPLAINT = "complaint", _("complaint")

    email_hash = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    delivery = models.ForeignKey(
        "Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self) -> str:
        return f"{self.kind} {self.received_at:%Y-%m-%d}"


class CampaignBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    awareness = blocks.PageChooserBlock(label=_("Awareness material or news"))
    tip = blocks.TextBlock(label=_("Tip"), max_length=500)


class Campaign(models.Model):
    """One mailing in an Arabic and an English version; each subscriber gets their own."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        RUNNING = "running", _("sending")
        PAUSED = "paused", _("paused")
        FINISHED = "finished", _("finished")
        CANCELLED = "cancelled", _("cancelled")

    # Allowed transitions of the lifecycle; everything else is refused.
    TRANSITIONS = {
        State.DRAFT: {State.SCHEDULED, State.RUNNING, State.CANCELLED},
        State.SCHEDULED: {State.DRAFT, State.RUNNING, State.CANCELLED},
        State.RUNNING: {State.PAUSED, State.FINISHED, State.CANCELLED},
        State.PAUSED: {State.RUNNING, State.CANCELLED},
        State.FINISHED: set(),
        State.CANCELLED: set(),
    }

    title = models.CharField(_("internal title"), max_length=200)
    subject_ar = models.CharField(_("subject (Arabic)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_ar = StreamField(CampaignBlock(), verbose_name=_("content (Arabic)"), blank=True)
    body_en = StreamField(CampaignBlock(), verbose_name=_("content (English)"), blank=True)
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="campaigns",
        verbose_name=_("audience topics"),
        help_text=_("Subscribers of any of these topics; none chosen means every subscriber."),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    audience_size = models.PositiveIntegerField(_("audience"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def can_become(self, state: str) -> bool:
        return state in self.TRANSITIONS[self.State(self.state)]


class Delivery(models.Model):
    """One message of a campaign to one subscriber."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        # Taken by a worker but not yet handed to the relay: safe to give back.
        CLAIMED = "claimed", _("claimed")
        # In the relay's hands; a crash here makes the row ambiguous.
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")
        AMBIGUOUS = "ambiguous", _("unknown (worker stopped while sending)")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"],
                condition=Q(subscriber__isnull=False),
                name="newsletter_delivery_once_per_subscriber",
            )
        ]
        indexes = [models.Index(fields=["campaign", "state"], name="newsletter_delivery_state")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.subscriber_id}: {self.state}"
