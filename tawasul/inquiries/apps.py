from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "tawasul.inquiries"
    label = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self):
        from tawasul.accounts.services import DATA_EXPORTERS
        from tawasul.core import clock, home, navigation, sitemap
        from tawasul.inquiries import selectors, services

        navigation.register("inquiries", _("Contact us"), "inquiries:index")
        sitemap.register(
            "inquiries",
            lambda: [sitemap.section("inquiries:index"), sitemap.section("inquiries:faq")],
        )
        home.register(
            "ask_us", "inquiries/includes/home_ask_us.html", selectors.home_ask_us, order=30
        )
        clock.register("inquiries deadlines", services.deadlines_check)
        clock.register("inquiries retention", services.cases_anonymise_due)
        DATA_EXPORTERS["inquiries"] = selectors.cases_of_user_export
