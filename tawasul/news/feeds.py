"""RSS 2.0 and Atom feeds of a language's news, all of it or one category."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_SIZE = 30


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index, category=None):
        super().__init__()
        self.index = index
        self.category = category
        self.language = index.locale.language_code

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index):
        agency = index.get_parent().specific
        name = getattr(agency, "agency_name", "") or index.title
        if self.category is not None:
            return f"{name} — {index.title} — {self.category.name}"
        return f"{name} — {index.title}"

    def _absolute(self, page) -> str:
        # The address the reader used (one of ALLOWED_HOSTS), not the Site record's.
        return self.request.build_absolute_uri(page.get_url(self.request))

    def link(self, index):
        return self._absolute(index)

    def description(self, index):
        return index.intro or _("The latest news")

    def feed_url(self, index):
        return self.request.build_absolute_uri()

    def items(self, index):
        articles = index.articles()
        if self.category is not None:
            articles = articles.filter(category=self.category)
        return articles[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary or article.subtitle

    def item_link(self, article):
        return self._absolute(article)

    def item_guid(self, article):
        return self._absolute(article)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.last_published_at or article.published_at

    def item_categories(self, article):
        names = [tag.name for tag in article.tags.all()]
        return [article.category.name, *names] if article.category else names


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, index):
        return self.description(index)
