"""Insights in the Wagtail admin: the analysts' dashboard (``insights.view_dashboard``) and the
reports (``insights.view_reports``)."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from tawasul.insights import dashboard, report_views


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return dashboard.can_view(request.user)


class DashboardViewSet(ViewSet):
    name = dashboard.URL_NAMESPACE
    url_prefix = "insights"
    icon = "view"
    menu_label = _("Insights")
    menu_icon = "view"
    menu_item_class = DashboardMenuItem
    add_to_admin_menu = True
    menu_order = 900

    @property
    def menu_url(self):
        return reverse(f"{dashboard.URL_NAMESPACE}:dashboard")

    def get_urlpatterns(self):
        return [
            path("", dashboard.dashboard, name="dashboard"),
            path("texts/", dashboard.texts, name="texts"),
            path("export/<str:table>.<str:fmt>", dashboard.export, name="export"),
        ]


@hooks.register("insert_global_admin_css")
def insights_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("tawasul/css/insights-admin.css")
    )


@hooks.register("register_admin_viewset")
def register_insights_dashboard():
    return DashboardViewSet()


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
        _lazy("Insight reports"),
        reverse(f"{report_views.URL_NAMESPACE}:index"),
        icon_name="doc-full",
        order=820,
    )
