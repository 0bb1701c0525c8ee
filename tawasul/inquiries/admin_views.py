"""The staff desk in the Wagtail admin: the queue (filtered to the departments a person
may see), one case with its actions, reports with exports, and FAQ approval.

Opening a case and every export is written to the audit log (personal data).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from tawasul.core.models import Department
from tawasul.inquiries import reports, rules, selectors, services
from tawasul.inquiries.models import CannedResponse, Case, DeskMember, FaqEntry, Topic

URL_NAMESPACE = "inquiries_admin"


def _page(request, template: str, title: str, context: dict, status: int = 200):
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "mail",
        "breadcrumbs_items": [],
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


def _names(model) -> dict:
    """``translation_key`` -> name in the active language (default language as fallback)."""
    from django.utils import translation

    language = translation.get_language() or "ar"
    names = {}
    rows = model.objects.filter(locale__language_code__in=["ar", language]).values_list(
        "translation_key", "name", "locale__language_code"
    )
    for key, name, code in rows:
        if code == language or key not in names:
            names[key] = name
    return names


def _desk_only(request) -> None:
    if not rules.can_use_desk(request.user):
        raise PermissionDenied


def queue(request):
    _desk_only(request)
    params = {
        "state": request.GET.get("state", "open"),
        "topic": request.GET.get("topic", ""),
        "department": request.GET.get("department", ""),
        "overdue": request.GET.get("overdue") == "1",
        "assignee": request.GET.get("assignee", ""),
    }
    cases = selectors.queue(request.user, **params)
    page = Paginator(cases, 50).get_page(request.GET.get("p"))
    # Names in the admin's language, in one query (not one per row).
    names = _names(Department)
    for item in page:
        item.department_name = names.get(item.department.translation_key) if item.department else ""
    departments = Department.objects.filter(locale__language_code="ar")
    if not rules.sees_all(request.user):
        departments = departments.filter(pk__in=rules.department_ids(request.user))
    topic_names = _names(Topic)
    topics = Topic.objects.filter(locale__language_code="ar")
    return _page(
        request,
        "inquiries/admin/queue.html",
        _("Inquiries"),
        {
            "page": page,
            "params": params,
            "states": [("open", _("Open")), *Case.State.choices, ("all", _("All"))],
            "topics": [(t.pk, topic_names.get(t.translation_key, t.name)) for t in topics],
            "departments": [(d.pk, names.get(d.translation_key, d.name)) for d in departments],
            "today": timezone.localdate(),
            "sees_all": rules.sees_all(request.user),
        },
    )


def case(request, pk: int):
    _desk_only(request)
    item = selectors.access_case(request.user, pk)
    services.case_viewed(case=item, user=request.user)
    members = DeskMember.objects.filter(department_id=item.department_id).select_related("user")
    can = {action: rules.can(request.user, action, item) for action in rules.ACTION_STATES}
    canned = CannedResponse.objects.filter(locale__language_code=item.language)
    draft = ""
    chosen = request.GET.get("canned", "")
    if chosen.isdigit():
        response = canned.filter(pk=int(chosen)).first()
        draft = response.render(item) if response else ""
    return _page(
        request,
        "inquiries/admin/case.html",
        _("Inquiry %(reference)s") % {"reference": item.reference},
        {
            "case": item,
            "history": item.messages.select_related("author").prefetch_related("attachments"),
            "events": item.events.select_related("actor", "from_department", "to_department"),
            "members": [m.user for m in members],
            "departments": Department.objects.filter(locale__language_code="ar"),
            "can": can,
            "canned": canned,
            "draft": draft,
        },
    )


ACTIONS = {
    "assign",
    "start",
    "transfer",
    "reply",
    "ask",
    "note",
    "close",
    "reopen",
    "duplicate",
    "refer",
    "faq",
}


@require_POST
def act(request, pk: int):
    _desk_only(request)
    item = selectors.access_case(request.user, pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise PermissionDenied
    user = request.user
    text = request.POST.get("text", "")
    try:
        if action == "assign":
            from django.contrib.auth import get_user_model

            person_id = request.POST.get("assignee", "")
            person = (
                get_user_model().objects.filter(pk=int(person_id)).first()
                if person_id.isdigit()
                else None
            )
            if person is None:
                raise services.CaseRefused("assignee")
            services.case_assign(case_id=item.pk, actor=user, assignee=person)
        elif action == "start":
            services.case_start(case_id=item.pk, actor=user)
        elif action == "transfer":
            department_id = request.POST.get("department", "")
            department = (
                Department.objects.filter(pk=int(department_id)).first()
                if department_id.isdigit()
                else None
            )
            if department is None:
                raise ValidationError(_("Choose a department."))
            services.case_transfer(case_id=item.pk, actor=user, department=department, note=text)
        elif action in ("reply", "ask"):
            services.case_reply(case_id=item.pk, actor=user, body=text, ask=action == "ask")
        elif action == "note":
            services.case_note(case_id=item.pk, actor=user, body=text)
        elif action == "close":
            services.case_close(case_id=item.pk, actor=user)
        elif action == "reopen":
            services.case_reopen(case_id=item.pk, actor=user, note=text)
        elif action == "duplicate":
            services.case_mark_duplicate(
                case_id=item.pk, actor=user, original_reference=request.POST.get("original", "")
            )
        elif action == "refer":
            services.case_refer(case_id=item.pk, actor=user, referral=text)
        elif action == "faq":
            services.faq_draft(
                actor=user,
                case_id=item.pk,
                question=request.POST.get("question", ""),
                answer=text,
                language=request.POST.get("language", item.language),
            )
    except services.CaseRefused as refused:
        messages.error(request, str(refused.message))
        return redirect(reverse(f"{URL_NAMESPACE}:case", args=[item.pk]))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse(f"{URL_NAMESPACE}:case", args=[item.pk]))
    messages.success(request, _("Done."))
    if not rules.can_see(user, Case.objects.get(pk=item.pk)):
        return redirect(reverse(f"{URL_NAMESPACE}:queue"))  # transferred away
    return redirect(reverse(f"{URL_NAMESPACE}:case", args=[item.pk]))


# ---------------------------------------------------------------- reports
def report(request):
    if not rules.can_see_reports(request.user):
        raise PermissionDenied
    # Figures hold no personal data: analysts see the whole desk; department staff
    # who may see reports see their departments'.
    if rules.can_use_desk(request.user) and not rules.sees_all(request.user):
        cases = selectors.cases_for(request.user)
    else:
        cases = Case.objects.all()
    figures = reports.figures(cases)
    return _page(request, "inquiries/admin/report.html", _("Inquiry reports"), figures)


def report_export(request, fmt: str):
    if not rules.can_see_reports(request.user) or fmt not in ("csv", "xlsx"):
        raise PermissionDenied
    log(request.user, "inquiries.export", user=request.user, data={"format": fmt})
    rows = reports.case_rows(Case.objects.all())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return reports.response(rows, f"inquiries-{stamp}", fmt)


# ---------------------------------------------------------------- FAQ
def faq_queue(request):
    if not rules.can_use_desk(request.user) and not rules.can_approve_faq(request.user):
        raise PermissionDenied
    entries = FaqEntry.objects.select_related("created_by", "approved_by").order_by(
        "state", "-created_at"
    )[:200]
    return _page(
        request,
        "inquiries/admin/faq.html",
        _("FAQ entries"),
        {"entries": entries, "can_approve": rules.can_approve_faq(request.user)},
    )


@require_POST
def faq_approve(request, pk: int):
    try:
        services.faq_approve(entry_id=pk, actor=request.user)
        messages.success(request, _("The entry is published."))
    except services.CaseRefused as refused:
        messages.error(request, str(refused.message))
    except FaqEntry.DoesNotExist:
        messages.error(request, _("That entry no longer exists."))
    return redirect(reverse(f"{URL_NAMESPACE}:faq"))
