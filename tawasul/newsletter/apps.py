from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "tawasul.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from tawasul.core import clock, home
        from tawasul.newsletter import selectors, services

        home.register(
            "newsletter", "newsletter/includes/home_subscribe.html", selectors.home_form, order=90
        )
        # Scheduled campaigns start on time; campaigns whose worker died are resumed.
        clock.register("newsletter campaigns", services.campaigns_tick)
