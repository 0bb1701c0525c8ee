"""Report jobs: a PDF report (of an issue for discussion, a poll or a period) built in the
background, with the tables it holds kept beside it for the CSV and XLSX downloads."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def report_storage() -> FileSystemStorage:
    """Finished reports live outside MEDIA_ROOT: the embedded tier serves media publicly,
    and a report is only for those with insights.view_reports (the download view checks)."""
    return FileSystemStorage(location=settings.DATA_DIR / "reports")


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issue for discussion")
        POLL = "poll", _("Poll")
        PERIOD = "period", _("Period")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    PENDING = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object"), null=True, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    # What makes two requests the same report: at most one such job is pending at a time
    # (the partial unique constraint below), so concurrent duplicates share one job.
    request_key = models.CharField(max_length=100, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(_("file"), storage=report_storage, upload_to="%Y/%m/", blank=True)
    tables = models.JSONField(_("tables"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_key"],
                condition=Q(state__in=["queued", "running"]),
                name="insights_one_pending_report_per_request",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING

    @property
    def filename(self) -> str:
        if self.kind == self.Kind.PERIOD:
            what = f"{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"
        else:
            what = str(self.object_id)
        return f"report-{self.kind}-{what}-{self.language}"
