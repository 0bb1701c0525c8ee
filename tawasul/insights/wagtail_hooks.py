"""Insights in the Wagtail admin."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tawasul.insights import report_views


# ---------------------------------------------------------------- reports
class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(report_views.PERMISSION)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "insights/reports/",
            (
                [
                    path("", report_views.index, name="index"),
                    path("request/", report_views.request_report, name="request"),
                    path("<int:pk>/pdf/", report_views.download, name="download"),
                    path(
                        "<int:pk>/tables/<int:number>.<str:fmt>",
                        report_views.table,
                        name="table",
                    ),
                ],
                report_views.URL_NAMESPACE,
                report_views.URL_NAMESPACE,
            ),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _lazy("Reports"),
        reverse(f"{report_views.URL_NAMESPACE}:index"),
        icon_name="doc-full",
        order=820,
    )
