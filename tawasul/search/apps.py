from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tawasul.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from tawasul.core import clock
        from tawasul.search import registry, services, signals

        registry.load()
        page_published.connect(signals.page_changed, dispatch_uid="search-published")
        page_unpublished.connect(signals.page_changed, dispatch_uid="search-unpublished")
        post_page_move.connect(signals.page_moved, dispatch_uid="search-moved")
        post_delete.connect(signals.object_deleted, dispatch_uid="search-deleted")
        post_save.connect(signals.object_saved, dispatch_uid="search-saved")
        clock.register("search: timed kinds", services.search_refresh_timed)
