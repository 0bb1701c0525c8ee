"""The inquiries desk: topics routed to departments, cases with their messages, files and
history, holidays for the working-day clock, ingested mail and the public FAQ.

Cases are plain Django models (participation data), handled through ``services``; the
state machine lives in ``services.TRANSITIONS`` so that every change is checked and
recorded in one place.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.snippets.models import register_snippet

SUBJECT_MAX = 200
MESSAGE_MAX = 5000
REFERENCE_MAX = 20


@register_snippet
class Topic(TranslatableMixin, models.Model):
    """What a case is about, as the public chooses it; routes the case to a department.

    Translated like departments (one row per language). A topic without a department
    sends its cases to the triage queue (staff who may see every case).
    """

    name = models.CharField(_("name"), max_length=150)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_topics",
        help_text=_("Empty: cases go to the triage queue."),
    )
    response_days = models.PositiveSmallIntegerField(_("response time (working days)"), default=5)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("department"),
        FieldPanel("response_days"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("inquiry topic")
        verbose_name_plural = _("inquiry topics")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class DeskMember(models.Model):
    """A member of staff who answers a department's cases; heads get the escalations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inquiry_desks"
    )
    department = models.ForeignKey(
        "core.Department", on_delete=models.CASCADE, related_name="desk_members"
    )
    is_head = models.BooleanField(_("head of department"), default=False)

    class Meta:
        verbose_name = _("desk member")
        verbose_name_plural = _("desk members")
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="inquiries_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.department}"


class Holiday(models.Model):
    """A day the desk does not count (besides the weekend, set in settings)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class Case(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        SUGGESTION = "suggestion", _("Suggestion")
        COMPLAINT = "complaint", _("Complaint")
        COMPLIMENT = "compliment", _("Compliment")

    class State(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING = "awaiting", _("Awaiting the citizen")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        DUPLICATE = "duplicate", _("Duplicate")
        NOT_OUR_REMIT = "not_our_remit", _("Not our remit")

    reference = models.CharField(_("reference"), max_length=REFERENCE_MAX, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_cases",
    )
    service = models.ForeignKey(
        "eservices.ServicePage",
        verbose_name=_("related e-service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    consent_at = models.DateTimeField(_("consent given"), null=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_cases",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_assignments",
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    referral = models.TextField(_("referral"), blank=True)
    created_at = models.DateTimeField(_("received"))
    updated_at = models.DateTimeField(auto_now=True)
    # The working-day clock: due at the end of ``due_on``; stopped while awaiting.
    response_days = models.PositiveSmallIntegerField(default=5)
    due_on = models.DateField(_("due"), null=True, blank=True)
    paused_on = models.DateField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    answered_in_time = models.BooleanField(null=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]
        permissions = [
            ("handle_case", "Can handle inquiries of their departments"),
            ("view_all_cases", "Can see and triage every inquiry"),
            ("view_reports", "Can see inquiry reports"),
            ("approve_faq", "Can approve FAQ entries"),
        ]
        indexes = [models.Index(fields=["department", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="inquiries_case_submitted_once",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="inquiries_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state not in (
            self.State.CLOSED,
            self.State.DUPLICATE,
            self.State.NOT_OUR_REMIT,
        )


class Message(models.Model):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("From the citizen")
        REPLY = "reply", _("Public reply")
        NOTE = "note", _("Internal note")

    class Via(models.TextChoices):
        WEB = "web", _("Website")
        EMAIL = "email", _("Email")
        STAFF = "staff", _("Staff desk")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    # The Message-ID of the mail it came in (ingested) or went out (reply); unique.
    message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}:{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.kind != self.Kind.NOTE


def _attachment_path(instance, filename: str) -> str:
    # Never the name the citizen gave: it is shown, not used on disk.
    return f"inquiries/{instance.message.case_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """The case's history: who, when, from → to (state, department, assignee)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    from_department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class InboundMail(models.Model):
    """Every mail the ingest saw, once per Message-ID, with what became of it."""

    message_id = models.CharField(max_length=255, unique=True)
    received_at = models.DateTimeField()
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=30)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return f"{self.message_id} {self.outcome}"


class FaqEntry(models.Model):
    """A question and answer for everyone, drawn from a case with personal data removed.

    Public only once approved, and approved only by someone other than its author.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        PUBLISHED = "published", _("Published")

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), max_length=5000)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL)
    source_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="faq_entries"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.question


@register_snippet
class CannedResponse(TranslatableMixin, models.Model):
    """A ready answer staff start from, in each language. Variables: {reference},
    {name}, {subject}, {due} (filled from the case when used)."""

    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("text"),
        max_length=5000,
        help_text=_("Variables: {reference}, {name}, {subject}, {due}."),
    )

    panels = [FieldPanel("title"), FieldPanel("body")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def render(self, case) -> str:
        """The text with the case's values; unknown or malformed variables stay as typed."""
        values = {
            "reference": case.reference,
            "name": case.name,
            "subject": case.subject,
            "due": case.due_on.isoformat() if case.due_on else "",
        }
        text = self.body
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        return text
