from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "tawasul.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from tawasul.accounts.roles import ROLE_PERMISSIONS
        from tawasul.core import clock, home, sitemap
        from tawasul.newsletter import selectors, services

        home.register(
            "newsletter", "newsletter/includes/home_subscribe.html", selectors.home_form, order=90
        )
        sitemap.register("newsletter", lambda: [sitemap.section("newsletter:subscribe")])
        # Scheduled campaigns start on time; campaigns whose worker died are resumed.
        clock.register("newsletter campaigns", services.campaigns_tick)
        from tawasul.newsletter.forms import topics_changed

        for signal in (post_save, post_delete):
            signal.connect(
                topics_changed, sender="newsletter.Topic", dispatch_uid=f"nl-{id(signal)}"
            )
        # Editors write and send campaigns; analysts follow them.
        for codename in ("add_campaign", "change_campaign", "view_campaign"):
            ROLE_PERMISSIONS["Editors"].append(("newsletter", codename))
        for codename in ("add_topic", "change_topic", "view_topic", "view_subscriber"):
            ROLE_PERMISSIONS["Editors"].append(("newsletter", codename))
        ROLE_PERMISSIONS["Analysts"].append(("newsletter", "view_campaign"))
