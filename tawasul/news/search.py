"""What the news app offers to search: articles, events and awareness material."""

from django.utils.translation import gettext_lazy as _

from tawasul.news.models import AwarenessMaterialPage, EventPage, NewsArticlePage
from tawasul.search.registry import Source, live_pages, page_document, rich_text, stream_text


def _article(page):
    tags = " ".join(tag.name for tag in page.tags.all())
    category = page.category.name if page.category else ""
    return page_document(
        page,
        published_at=page.published_at,
        parts=[page.subtitle, page.summary, stream_text(page.body), category, tags],
    )


def _event(page):
    return page_document(
        page,
        published_at=page.start_at,
        parts=[
            page.summary,
            page.location_name,
            page.location_address,
            stream_text(page.body),
        ],
    )


def _material(page):
    return page_document(
        page,
        parts=[
            page.summary,
            page.campaign.name if page.campaign else "",
            page.image_alt,
            rich_text(page.body),
        ],
    )


SOURCES = [
    Source("news", _("News"), NewsArticlePage, lambda: live_pages(NewsArticlePage), _article, 10),
    Source("event", _("Events"), EventPage, lambda: live_pages(EventPage), _event, 20),
    Source(
        "awareness",
        _("Awareness material"),
        AwarenessMaterialPage,
        lambda: live_pages(AwarenessMaterialPage),
        _material,
        30,
    ),
]
