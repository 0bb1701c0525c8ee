from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "tawasul.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from tawasul.accounts.roles import ROLE_PERMISSIONS
        from tawasul.core import clock, home
        from tawasul.newsletter import selectors, services

        home.register(
            "newsletter", "newsletter/includes/home_subscribe.html", selectors.home_form, order=90
        )
        # Scheduled campaigns start on time; campaigns whose worker died are resumed.
        clock.register("newsletter campaigns", services.campaigns_tick)
        # Editors write and send campaigns; analysts follow them.
        for codename in ("add_campaign", "change_campaign", "view_campaign"):
            ROLE_PERMISSIONS["Editors"].append(("newsletter", codename))
        for codename in ("add_topic", "change_topic", "view_topic", "view_subscriber"):
            ROLE_PERMISSIONS["Editors"].append(("newsletter", codename))
        ROLE_PERMISSIONS["Analysts"].append(("newsletter", "view_campaign"))
