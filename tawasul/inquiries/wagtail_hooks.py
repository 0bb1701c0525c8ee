"""The inquiries desk in the Wagtail admin: one "Inquiries" menu with the queue, the FAQ
approvals, reports, desk members and holidays, each shown to those who may use it."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from tawasul.inquiries import admin_views, rules
from tawasul.inquiries.models import DeskMember, Holiday


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_use_desk(request.user)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_see_reports(request.user)


class DeskViewSet(ViewSet):
    name = admin_views.URL_NAMESPACE
    icon = "mail"
    menu_label = _("Inquiry queue")
    menu_icon = "mail"
    menu_item_class = DeskMenuItem

    @property
    def menu_url(self):
        return reverse(f"{admin_views.URL_NAMESPACE}:queue")

    def get_urlpatterns(self):
        return [
            path("", admin_views.queue, name="queue"),
            path("case/<int:pk>/", admin_views.case, name="case"),
            path("case/<int:pk>/act/", admin_views.act, name="act"),
            path("reports/", admin_views.report, name="report"),
            path("reports/export.<str:fmt>", admin_views.report_export, name="export"),
            path("faq/", admin_views.faq_queue, name="faq"),
            path("faq/<int:pk>/approve/", admin_views.faq_approve, name="faq_approve"),
        ]


class ReportsViewSet(ViewSet):
    name = "inquiries_reports"
    icon = "table"
    menu_label = _("Inquiry reports")
    menu_icon = "table"
    menu_item_class = ReportsMenuItem

    @property
    def menu_url(self):
        return reverse(f"{admin_views.URL_NAMESPACE}:report")


class FaqViewSet(ViewSet):
    name = "inquiries_faq"
    icon = "help"
    menu_label = _("FAQ entries")
    menu_icon = "help"
    menu_item_class = DeskMenuItem

    @property
    def menu_url(self):
        return reverse(f"{admin_views.URL_NAMESPACE}:faq")


class DeskMemberViewSet(ModelViewSet):
    model = DeskMember
    icon = "group"
    menu_label = _("Desk members")
    list_display = ["user", "department", "is_head"]
    form_fields = ["user", "department", "is_head"]


class HolidayViewSet(ModelViewSet):
    model = Holiday
    icon = "date"
    menu_label = _("Holidays")
    list_display = ["date", "name"]
    form_fields = ["date", "name"]


class InquiriesGroup(ViewSetGroup):
    menu_label = _("Inquiries")
    menu_icon = "mail"
    menu_order = 320
    items = (DeskViewSet, FaqViewSet, ReportsViewSet, DeskMemberViewSet, HolidayViewSet)


@hooks.register("register_admin_viewset")
def register_inquiries_admin():
    return InquiriesGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label in [
        ("inquiries.submit", _("Inquiry received")),
        ("inquiries.assign", _("Inquiry assigned")),
        ("inquiries.start", _("Inquiry in progress")),
        ("inquiries.transfer", _("Inquiry transferred")),
        ("inquiries.reply", _("Inquiry answered")),
        ("inquiries.ask", _("Citizen asked for information")),
        ("inquiries.note", _("Internal note added")),
        ("inquiries.close", _("Inquiry closed")),
        ("inquiries.reopen", _("Inquiry reopened")),
        ("inquiries.duplicate", _("Inquiry marked as duplicate")),
        ("inquiries.refer", _("Inquiry referred elsewhere")),
        ("inquiries.citizen_message", _("Citizen added information")),
        ("inquiries.rate", _("Inquiry rated")),
        ("inquiries.view", _("Inquiry viewed")),
        ("inquiries.export", _("Inquiries exported")),
        ("inquiries.anonymise", _("Inquiry anonymised")),
        ("inquiries.faq_draft", _("FAQ entry written")),
        ("inquiries.faq_approve", _("FAQ entry approved")),
    ]:
        actions.register_action(action, label, label)
