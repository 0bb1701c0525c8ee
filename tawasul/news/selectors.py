"""Reads of the news that need care (prefetching, language)."""

from __future__ import annotations

from tawasul.news.models import NewsIndexPage

HOME_COUNT = 4


def home_latest(request, home_page) -> dict | None:
    """The newest articles of the home page's language, for its interactive window."""
    index = NewsIndexPage.objects.child_of(home_page).live().public().first()
    if index is None:
        return None
    articles = list(index.articles()[:HOME_COUNT])
    if not articles:
        return None
    return {"index": index, "articles": articles}
