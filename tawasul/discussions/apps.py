from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "tawasul.discussions"
    label = "discussions"
    verbose_name = _("Issues for discussion")

    def ready(self):
        from tawasul.comments import targets
        from tawasul.core import clock, home, navigation, sitemap
        from tawasul.discussions import selectors, services

        navigation.register("discussions", _("Issues for discussion"), "discussions:index")
        sitemap.register("discussions", selectors.sitemap_entries)
        home.register(
            "discussion", "discussions/includes/home_issue.html", selectors.home_issue, order=25
        )
        from django.db.models.signals import post_delete, post_save

        for signal in (post_save, post_delete):
            signal.connect(
                selectors.home_cache_clear,
                sender="discussions.DiscussionIssue",
                dispatch_uid=f"discussions-home-cache-{id(signal)}",
            )
        # Debounced recomputation: votes only mark the analysis as requested; this job
        # (run every minute by the worker) recomputes what was requested.
        clock.register("discussions-analysis", services.analysis_refresh_due)

        # Statements first: the statements box is a proxy of the issue, and the comments
        # app finds a target's type by isinstance in registration order.
        targets.register(
            targets.TargetType(
                key="statements",
                field="issue_statements",
                model="discussions.IssueStatements",
                label=_("statements of an issue for discussion"),
                empty_text=_("No statements on this issue yet"),
                moderation_setting="discussions_moderation",
                is_open=lambda issue: issue.is_open,
                url=lambda issue: issue.get_absolute_url(),
                title=lambda issue: issue.title,
            )
        )
        targets.register(
            targets.TargetType(
                key="issue",
                field="issue",
                model="discussions.DiscussionIssue",
                label=_("issue for discussion"),
                empty_text=_("No comments on this issue yet"),
                moderation_setting="discussions_moderation",
                is_open=lambda issue: issue.is_open,
                url=lambda issue: issue.get_absolute_url(),
                title=lambda issue: issue.title,
            )
        )
