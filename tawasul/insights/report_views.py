"""Report screens in the Wagtail admin (permission insights.view_reports; anyone else gets
403): request a report, follow the jobs, download the PDF and every table as CSV or XLSX.
Without JavaScript: while a job is pending the list refreshes itself (a meta refresh)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from tawasul.discussions.models import DiscussionIssue
from tawasul.insights import reports, services
from tawasul.insights.models import ReportJob
from tawasul.polls import rules as poll_rules
from tawasul.polls.exports import csv_response, xlsx_response
from tawasul.polls.models import Poll

URL_NAMESPACE = "insights_reports"
PERMISSION = "insights.view_reports"
LONGEST_PERIOD_DAYS = 3 * 366
REFRESH_SECONDS = 3


def _check(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _one_per_translation(queryset, language: str, label) -> list[tuple[int, str]]:
    """One choice per thing asked in several languages: its version in ``language`` if
    there is one, else the first found."""
    chosen: dict = {}
    for item in queryset.select_related("locale"):
        known = chosen.get(item.translation_key)
        if known is None or item.locale.language_code == language:
            chosen[item.translation_key] = item
    return [(item.pk, label(item)) for item in chosen.values()]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_lazy("Report on"), choices=ReportJob.Kind.choices, widget=forms.RadioSelect
    )
    issue = forms.TypedChoiceField(
        label=_lazy("Issue for discussion"), coerce=int, required=False, empty_value=None
    )
    poll = forms.TypedChoiceField(label=_lazy("Poll"), coerce=int, required=False, empty_value=None)
    start = forms.DateField(
        label=_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_lazy("Language of the report"), choices=())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        language = translation.get_language()
        blank = [("", "—")]
        self.fields["issue"].choices = blank + _one_per_translation(
            DiscussionIssue.objects.exclude(status=DiscussionIssue.Status.DRAFT).order_by(
                "-opens_at", "-pk"
            ),
            language,
            lambda issue: issue.title,
        )
        self.fields["poll"].choices = blank + _one_per_translation(
            Poll.objects.filter(status=Poll.Status.PUBLISHED).order_by("-opens_at", "-pk"),
            language,
            lambda poll: poll.question,
        )
        self.fields["language"].choices = [
            (code, translation.gettext(name)) for code, name in settings.LANGUAGES
        ]
        self.fields["language"].initial = language

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ReportJob.Kind.ISSUE and not data.get("issue"):
            self.add_error("issue", _("Choose the issue for discussion to report on."))
        elif kind == ReportJob.Kind.POLL and not data.get("poll"):
            self.add_error("poll", _("Choose the poll to report on."))
        elif kind == ReportJob.Kind.POLL:
            poll = Poll.objects.get(pk=data["poll"])
            if not poll_rules.can_see_results_as_staff(self.user, poll):
                self.add_error("poll", _("The results of this poll are sealed until it closes."))
        elif kind == ReportJob.Kind.PERIOD and not self.errors:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error(None, _("Give the first and the last day of the period."))
            elif start > end:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("end", _("A report covers at most three years."))
            elif start > timezone.localdate():
                self.add_error("start", _("The period starts in the future."))
            elif not reports.period_has_data(start, end):
                self.add_error(
                    None,
                    _("Nothing happened in that period: there is nothing to report."),
                )
        return data

    def request_args(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "kind": kind,
            "language": data["language"],
            "object_id": data["issue"]
            if kind == ReportJob.Kind.ISSUE
            else data["poll"]
            if kind == ReportJob.Kind.POLL
            else None,
            "start": data["start"] if kind == ReportJob.Kind.PERIOD else None,
            "end": data["end"] if kind == ReportJob.Kind.PERIOD else None,
        }


def _page(request, form, status=200):
    jobs = list(ReportJob.objects.select_related("requested_by")[:50])
    title = _("Insight reports")
    return TemplateResponse(
        request,
        "insights/admin/reports.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "doc-full",
            "breadcrumbs_items": [],
            "form": form,
            "jobs": jobs,
            "refresh": REFRESH_SECONDS if any(job.is_pending for job in jobs) else None,
        },
        status=status,
    )


@require_safe
def index(request):
    _check(request)
    today = timezone.localdate()
    form = ReportRequestForm(
        user=request.user,
        initial={
            "kind": ReportJob.Kind.PERIOD,
            "start": today - dt.timedelta(days=30),
            "end": today,
        },
    )
    return _page(request, form)


@require_POST
def request_report(request):
    _check(request)
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("The report was not requested: see the form below."))
        return _page(request, form, status=400)
    job, created = services.report_request(user=request.user, **form.request_args())
    if created:
        messages.success(request, _("The report is being prepared; it appears below when ready."))
    else:
        messages.info(request, _("The same report is already being prepared; see below."))
    return redirect(reverse(f"{URL_NAMESPACE}:index") + f"#job-{job.pk}")


def _done_job(pk: int) -> ReportJob:
    job = ReportJob.objects.filter(pk=pk, state=ReportJob.State.DONE).first()
    if job is None or not job.file:
        raise Http404("no finished report")
    return job


@require_safe
def download(request, pk: int):
    _check(request)
    job = _done_job(pk)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"{job.filename}.pdf",
        content_type="application/pdf",
    )


@require_safe
def table(request, pk: int, number: int, fmt: str):
    _check(request)
    job = _done_job(pk)
    if fmt not in ("csv", "xlsx") or not 0 <= number < len(job.tables):
        raise Http404("no such table")
    stored = job.tables[number]
    rows = [stored["headers"], *stored["rows"]]
    filename = f"{job.filename}-table-{number + 1}"
    if fmt == "csv":
        return csv_response(rows, filename)
    return xlsx_response(rows, filename, title=stored["title"], rtl=job.language == "ar")
