from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "tawasul.polls"
    label = "polls"
    verbose_name = _("Polls")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from tawasul.accounts.services import DATA_EXPORTERS
        from tawasul.core import home, navigation, sitemap
        from tawasul.polls import selectors

        navigation.register("polls", _("Polls"), "polls:index")
        sitemap.register("polls", selectors.sitemap_entries)
        home.register("poll", "polls/includes/home_poll.html", selectors.home_poll, order=20)
        DATA_EXPORTERS["poll_votes"] = selectors.votes_of_user_export
        for model in ("polls.Poll", "polls.PollChoice"):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.voting_cache_clear,
                    sender=model,
                    dispatch_uid=f"polls-voting-cache-{model}-{id(signal)}",
                )
