from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "tawasul.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from tawasul.core import navigation

        navigation.register_page("news", _("News"), "news.NewsIndexPage")
