from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tawasul.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from tawasul.core import home, pagecache

        home.register("social", "core/includes/home_social.html", home.social_profiles, order=90)

        # Anything a visitor could see changed: start a new page-cache generation.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(pagecache.invalidate, dispatch_uid=f"pagecache-{id(signal)}")
        post_delete.connect(pagecache.invalidate_on_model_change, dispatch_uid="pagecache-delete")
        post_save.connect(pagecache.invalidate_on_model_change, dispatch_uid="pagecache-save")
