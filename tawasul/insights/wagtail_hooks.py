"""The "Insights" menu item of the Wagtail admin (the analysts' dashboard), shown to
those with ``insights.view_dashboard``."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from tawasul.insights import dashboard


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


@hooks.register("register_admin_viewset")
def register_insights_dashboard():
    return DashboardViewSet()
