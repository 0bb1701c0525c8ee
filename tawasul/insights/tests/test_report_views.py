"""The report screens: who may use them, what bad input gets, the jobs and the downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tawasul.insights.models import ReportJob
from tawasul.insights.tests.conftest import days_ago, pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_renderer")]

INDEX = "insights_reports:index"
REQUEST = "insights_reports:request"
PERSONAS = ["anonymous", "citizen", "editor", "moderator", "agent", "analyst", "admin"]
ALLOWED = {"analyst", "admin"}


def period(start: dt.date, end: dt.date, language: str = "ar") -> dict:
    return {
        "kind": "period",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "language": language,
    }


def in_english(user) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def refused(response) -> bool:
    """403, or for someone not allowed into the admin at all, a redirect to sign in."""
    if response.status_code == 302:
        return "/login/" in response["Location"] or response["Location"] == "/admin/"
    return response.status_code == 403


@pytest.fixture
def done_job(closed_issue, admin, run_on_commit):
    with run_on_commit():
        admin.post(
            reverse(REQUEST), {"kind": "issue", "issue": closed_issue["ar"].pk, "language": "ar"}
        )
    job = ReportJob.objects.get()
    assert job.state == ReportJob.State.DONE, job.error
    return job


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_analysts_and_administrators_see_the_reports_screen(request, demo_site, persona):
    client = request.getfixturevalue(persona)
    response = client.get(reverse(INDEX))
    if persona in ALLOWED:
        assert response.status_code == 200
        assert b"Request a report" in response.content or "طلب تقرير".encode() in response.content
    else:
        assert refused(response), response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_analysts_and_administrators_may_request_a_report(
    request, demo_site, persona, run_on_commit
):
    client = request.getfixturevalue(persona)
    with run_on_commit():
        response = client.post(reverse(REQUEST), period(days_ago(30), days_ago(0)))
    if persona in ALLOWED:
        assert response.status_code == 302
        assert ReportJob.objects.get().state == ReportJob.State.DONE
    else:
        assert refused(response), response.status_code
        assert not ReportJob.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_analysts_and_administrators_may_download(request, done_job, persona):
    client = request.getfixturevalue(persona)
    pdf = client.get(reverse("insights_reports:download", args=[done_job.pk]))
    csv = client.get(reverse("insights_reports:table", args=[done_job.pk, 0, "csv"]))
    if persona in ALLOWED:
        assert pdf.status_code == 200 and csv.status_code == 200
    else:
        assert refused(pdf) and refused(csv)


def test_the_pdf_download_has_its_type_and_name(done_job, analyst, closed_issue):
    response = analyst.get(reverse("insights_reports:download", args=[done_job.pk]))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"report-issue-{closed_issue['ar'].pk}-ar.pdf" in disposition
    data = b"".join(response.streaming_content)
    assert closed_issue["ar"].title in squash(pdf_text(data))


def test_every_table_downloads_as_csv_and_xlsx(done_job, analyst):
    assert len(done_job.tables) == 5
    for number, table in enumerate(done_job.tables):
        csv = analyst.get(reverse("insights_reports:table", args=[done_job.pk, number, "csv"]))
        body = b"".join(csv.streaming_content).decode("utf-8-sig")
        assert csv["Content-Type"].startswith("text/csv")
        assert body.splitlines()[0].split(",")[0] == table["headers"][0]
        xlsx = analyst.get(reverse("insights_reports:table", args=[done_job.pk, number, "xlsx"]))
        assert xlsx.content.startswith(b"PK")
    missing = analyst.get(reverse("insights_reports:table", args=[done_job.pk, 99, "csv"]))
    assert missing.status_code == 404
    wrong = analyst.get(reverse("insights_reports:table", args=[done_job.pk, 0, "pdf"]))
    assert wrong.status_code == 404


def test_a_report_not_finished_cannot_be_downloaded(analyst, demo_site):
    job = ReportJob.objects.create(kind="poll", object_id=1, language="en", request_key="x")
    assert analyst.get(reverse("insights_reports:download", args=[job.pk])).status_code == 404
    assert analyst.get(reverse("insights_reports:download", args=[999])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (period(days_ago(0), days_ago(10)), "before its start"),
        (period(dt.date(2001, 1, 1), dt.date(2001, 1, 31)), "nothing to report"),
        ({"kind": "period", "start": "yesterday", "end": "", "language": "ar"}, "valid date"),
        ({"kind": "period", "language": "ar"}, "first and the last day"),
        (period(dt.date(2001, 1, 1), days_ago(0)), "three years"),
        ({"kind": "issue", "issue": "999999", "language": "ar"}, "valid choice"),
        ({"kind": "issue", "language": "ar"}, "Choose the issue"),
        ({"kind": "poll", "poll": "abc", "language": "ar"}, "valid choice"),
        ({"kind": "poll", "language": "en"}, "Choose the poll"),
        ({"kind": "nonsense", "language": "ar"}, "valid choice"),
        (period(days_ago(3), days_ago(0), language="fr"), "valid choice"),
    ],
)
def test_bad_requests_get_a_clear_message_and_queue_nothing(demo_site, analyst, data, message):
    in_english(analyst.user)
    response = analyst.post(reverse(REQUEST), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_poll_whose_results_are_sealed_cannot_be_reported(demo_site, analyst, poll_factory):
    from tawasul.polls.models import Poll

    in_english(analyst.user)
    sealed = poll_factory(results_visibility=Poll.Visibility.AFTER_CLOSING)
    response = analyst.post(reverse(REQUEST), {"kind": "poll", "poll": sealed.pk, "language": "ar"})
    assert response.status_code == 400
    assert "sealed until it closes" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_the_same_request_while_pending_gives_the_same_job(demo_site, analyst, closed_issue):
    data = {"kind": "issue", "issue": closed_issue["ar"].pk, "language": "en"}
    # Without the commit, the task never runs: the job stays queued.
    analyst.post(reverse(REQUEST), data)
    analyst.post(reverse(REQUEST), data)
    assert ReportJob.objects.count() == 1
    page = analyst.get(reverse(INDEX))
    assert b'http-equiv="refresh"' in page.content
    assert b"<progress" in page.content


def test_a_failed_build_says_why_in_the_list(demo_site, analyst, run_on_commit):
    from tawasul.insights import services

    in_english(analyst.user)
    with run_on_commit():
        job, _created = services.report_request(
            kind="poll", object_id=999_999, language="en", user=analyst.user
        )
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert "no poll" in job.error
    page = analyst.get(reverse(INDEX)).content.decode()
    assert "no poll" in page
    assert 'http-equiv="refresh"' not in page
