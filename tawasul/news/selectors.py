"""Reads of the news, events and awareness material that need care (prefetching, language)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tawasul.news.models import EventIndexPage, NewsIndexPage

HOME_COUNT = 4
HOME_EVENTS = 3

# Other capabilities add what an article card shows about them (the comments app adds
# ``comment_count``): name -> f(articles) that sets attributes on every article of a
# list at once, in a fixed number of queries.
CARD_EXTRAS: dict[str, Callable[[list], None]] = {}


def prepare_cards(articles: Iterable) -> list:
    """The articles of a list, with what every registered capability adds to a card."""
    articles = list(articles)
    for extra in CARD_EXTRAS.values():
        extra(articles)
    return articles


def home_latest(request, home_page) -> dict | None:
    """The newest articles of the home page's language, for its interactive window."""
    index = NewsIndexPage.objects.child_of(home_page).live().public().first()
    if index is None:
        return None
    articles = list(index.articles()[:HOME_COUNT])
    if not articles:
        return None
    return {"index": index, "articles": articles}


def home_events(request, home_page) -> dict | None:
    """The next events of the home page's language; hidden when none is coming."""
    index = EventIndexPage.objects.child_of(home_page).live().public().first()
    if index is None:
        return None
    events = list(index.upcoming()[:HOME_EVENTS])
    if not events:
        return None
    return {"index": index, "events": events}
