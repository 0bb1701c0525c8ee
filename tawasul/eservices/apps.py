from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EservicesConfig(AppConfig):
    name = "tawasul.eservices"
    label = "eservices"
    verbose_name = _("E-services")

    def ready(self):
        from tawasul.core import navigation

        navigation.register_page("eservices", _("E-services"), "eservices.ServiceIndexPage")
