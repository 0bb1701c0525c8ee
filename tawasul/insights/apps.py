from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "tawasul.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from tawasul.core import clock
        from tawasul.insights import services

        # Today and yesterday kept current (every few minutes); older days by backfill.
        clock.register("insights rollup", services.rollup_recent)
        # The week-by-week opinion groups of each issue (hourly; past weeks kept).
        clock.register("insights opinion snapshots", services.opinion_snapshots)
