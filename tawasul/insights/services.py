"""Writes of insights: report jobs (request, build)."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from tawasul.insights.models import ReportJob
from tawasul.insights.reports import ReportError

log = logging.getLogger(__name__)


def request_key(
    *, kind: str, object_id: int | None, start: dt.date | None, end: dt.date | None, language: str
) -> str:
    if kind == ReportJob.Kind.PERIOD:
        return f"{kind}:{start:%Y-%m-%d}:{end:%Y-%m-%d}:{language}"
    return f"{kind}:{object_id}:{language}"


def report_request(
    *,
    kind: str,
    language: str,
    user,
    object_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[ReportJob, bool]:
    """Queue a report, or return the pending job for the same request: (job, created).

    Idempotent while a job is pending: the partial unique constraint on ``request_key``
    (state queued or running) lets one insert win; a concurrent duplicate's insert fails
    inside its own savepoint and it returns the winner's job. The build task is queued
    after the commit, so it never sees a job that was rolled back. Validation of the
    request (ids, dates) is the form's; what only the data can tell (an empty period) is
    found by the build, which then fails the job with the reason.
    """
    key = request_key(kind=kind, object_id=object_id, start=start, end=end, language=language)
    pending = ReportJob.objects.filter(request_key=key, state__in=ReportJob.PENDING)
    existing = pending.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                kind=kind,
                object_id=object_id if kind != ReportJob.Kind.PERIOD else None,
                period_start=start if kind == ReportJob.Kind.PERIOD else None,
                period_end=end if kind == ReportJob.Kind.PERIOD else None,
                language=language,
                request_key=key,
                requested_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except IntegrityError:
        existing = pending.first()
        if existing is None:  # finished in between: ask again
            return report_request(
                kind=kind, language=language, user=user, object_id=object_id, start=start, end=end
            )
        return existing, False
    from tawasul.insights import tasks

    transaction.on_commit(lambda: tasks.build_report.enqueue(job_id=job.pk))
    return job, True


def _progress(job_id: int, percent: int, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(progress=percent, **fields)


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Build a queued job's report: state queued → running → done (or failed, with the
    reason in ``error``), progress updated as it goes. Claimed with a conditional UPDATE,
    so two workers given the same job build it once; a job not queued is left alone."""
    from tawasul.insights import pdf, reports

    claimed = ReportJob.objects.filter(pk=job_id, state=ReportJob.State.QUEUED).update(
        state=ReportJob.State.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return None
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    began = time.monotonic()
    try:
        with translation.override(job.language):
            rtl = translation.get_language_bidi()
            content = reports.build(
                job.kind,
                object_id=job.object_id,
                start=job.period_start,
                end=job.period_end,
                language=job.language,
                rtl=rtl,
                user=job.requested_by,
            )
            _progress(job.pk, 40, title=str(content["title"])[:300])
            document = pdf.render_pdf(content, job.language)
            _progress(job.pk, 90)
            tables = reports.tables_as_json(content["tables"])
        job.refresh_from_db()
        job.file.save(f"{job.filename}.pdf", ContentFile(document), save=False)
        job.tables = tables
        job.state = ReportJob.State.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.build_seconds = round(time.monotonic() - began, 3)
        job.save(
            update_fields=["file", "tables", "state", "progress", "finished_at", "build_seconds"]
        )
        return job
    except ReportError as error:
        reason = str(error)
    except Exception:
        log.exception("report build failed", extra={"job_id": job.pk})
        with translation.override(job.language):
            reason = translation.gettext("The report could not be built; try again later.")
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.FAILED, error=reason, finished_at=timezone.now()
    )
    return ReportJob.objects.get(pk=job.pk)
