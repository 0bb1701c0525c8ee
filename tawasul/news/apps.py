from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "tawasul.news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from tawasul.core import home, navigation
        from tawasul.news import selectors

        navigation.register_page("news", _("News"), "news.NewsIndexPage")
        navigation.register_page("events", _("Events"), "news.EventIndexPage")
        navigation.register_page("awareness", _("Awareness"), "news.AwarenessIndexPage")
        home.register(
            "latest_news", "news/includes/home_latest.html", selectors.home_latest, order=10
        )
        home.register(
            "upcoming_events", "news/includes/home_events.html", selectors.home_events, order=20
        )
