"""Report jobs under concurrency: duplicate requests at the same moment share one job, on
SQLite and PostgreSQL alike; a job is built once however many workers are handed it."""

from __future__ import annotations

import pytest

from conftest import run_together
from tawasul.insights import services
from tawasul.insights.models import ReportJob
from tawasul.insights.tests.conftest import days_ago

pytestmark = pytest.mark.usefixtures("pdf_renderer")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_duplicate_requests_give_one_job(demo_site, user_factory, settings):
    # Queue, do not build: the jobs stay pending while the duplicates arrive.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    analyst = user_factory(roles=["analyst"])
    request = {"kind": "period", "start": days_ago(30), "end": days_ago(0), "language": "ar"}
    results = run_together(
        [lambda: services.report_request(user=analyst, **request) for _ in range(6)]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len({job.pk for job, _created in results}) == 1
    assert sorted(created for _job, created in results) == [False] * 5 + [True]
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_once_done_the_same_request_makes_a_new_job(demo_site, analyst, run_on_commit):
    request = {"kind": "period", "start": days_ago(30), "end": days_ago(0), "language": "en"}
    with run_on_commit():
        first, _ = services.report_request(user=analyst.user, **request)
    with run_on_commit():
        second, created = services.report_request(user=analyst.user, **request)
    assert created and second.pk != first.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == ReportJob.State.DONE
    assert first.progress == 100 and first.build_seconds > 0


@pytest.mark.django_db
def test_a_job_is_built_once_even_if_handed_out_twice(demo_site, analyst, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job, _ = services.report_request(
        kind="period", start=days_ago(30), end=days_ago(0), language="ar", user=analyst.user
    )
    assert services.report_job_run(job_id=job.pk) is not None
    assert services.report_job_run(job_id=job.pk) is None  # already done: left alone
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.file.name.endswith(".pdf")
