from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "tawasul.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from tawasul.core import navigation, sitemap
        from tawasul.insights import results

        navigation.register("results", _("Results"), "insights:index")
        sitemap.register("results", results.sitemap_entries)
