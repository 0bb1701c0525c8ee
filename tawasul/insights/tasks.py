"""Background work of insights: thin wrappers that call services."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tawasul.insights import services


@task()
def rollup_days(start: str, end: str) -> int:
    """Recompute the daily rollups from ``start`` to ``end`` (ISO dates, inclusive)."""
    return services.rollup_days(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))


@task()
def opinion_snapshots(issue_key: str | None = None) -> int:
    """Compute the weekly opinion-group snapshots of one issue (or of every issue)."""
    return services.opinion_snapshots(issue_key=issue_key, force=True)


@task()
def build_report(job_id: int) -> None:
    """Build the PDF of one report job (a job already started or finished is left alone)."""
    services.report_job_run(job_id=job_id)
