from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "tawasul.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from tawasul.accounts import services as accounts
        from tawasul.comments import selectors, services, targets
        from tawasul.news import selectors as news

        # News articles take comments (see targets.py for adding another kind).
        targets.register(
            targets.TargetType(
                key="article",
                field="article",
                model="news.NewsArticlePage",
                label=_("news article"),
                empty_text=_("There are no comments on this news item yet"),
                moderation_setting="news_moderation",
                title=lambda page: page.title,
            )
        )
        # Article lists show how many comments each article has (one query per list).
        news.CARD_EXTRAS["comment_count"] = selectors.attach_comment_counts
        # A person's data download includes their comments; deleting the account
        # detaches the public ones and erases the rest.
        accounts.DATA_EXPORTERS["comments"] = services.comments_export_for
        accounts.DATA_ERASERS["comments"] = services.comments_erase_for
