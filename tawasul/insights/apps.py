from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "tawasul.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from tawasul.core import clock, navigation, sitemap
        from tawasul.insights import results, services, signals

        navigation.register("results", _("Results"), "insights:index")
        sitemap.register("results", results.sitemap_entries)

        # Past days whose sources change (moderation, erasure) are marked to recompute.
        signals.connect()

        # Today, yesterday and the marked days kept current (every few minutes).
        clock.register("insights rollup", services.rollup_recent)
        # The week-by-week opinion groups of each issue (hourly; past weeks kept).
        clock.register("insights opinion snapshots", services.opinion_snapshots)
