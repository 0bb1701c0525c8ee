"""News in the public API: list with filters and pagination, and one article."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from tawasul.core.api import (
    ImageOut,
    Paginated,
    TranslationOut,
    image_out,
    page_slice,
    page_translations,
)
from tawasul.news.models import EventPage, NewsArticlePage

router = Router(tags=["news"])


class CategoryOut(Schema):
    slug: str
    name: str


class ArticleOut(Schema):
    id: int
    slug: str
    lang: str
    title: str
    subtitle: str
    summary: str
    published_at: dt.datetime
    url: str
    category: CategoryOut | None
    tags: list[str]
    image: ImageOut | None
    translations: list[TranslationOut]


class ArticleDetailOut(ArticleOut):
    body_html: str


class ArticlePage(Paginated):
    results: list[ArticleOut]


class NewsFilters(Schema):
    lang: Literal["ar", "en"] | None = Field(None, description="ar or en; both when absent")
    category: str | None = Field(None, max_length=80, description="category slug")
    tag: str | None = Field(None, max_length=100)
    published_from: dt.date | None = Field(None, alias="from")
    published_to: dt.date | None = Field(None, alias="to")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


def _articles():
    return (
        NewsArticlePage.objects.live()
        .public()
        .select_related("locale", "category", "lead_image")
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")
    )


def _serialise(request, articles: list[NewsArticlePage]) -> list[dict]:
    """Articles as API objects; translations and images in a fixed number of queries."""
    translations = page_translations(request, NewsArticlePage, articles)
    return [
        {
            "id": article.pk,
            "slug": article.slug,
            "lang": article.locale.language_code,
            "title": article.title,
            "subtitle": article.subtitle,
            "summary": article.summary,
            "published_at": article.published_at,
            "url": request.build_absolute_uri(article.get_url(request)),
            "category": (
                {"slug": article.category.slug, "name": article.category.name}
                if article.category
                else None
            ),
            "tags": [tag.name for tag in article.tags.all()],
            "image": image_out(request, article.lead_image, article.lead_image_alt),
            "translations": translations[article.pk],
        }
        for article in articles
    ]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@router.get("", response=ArticlePage, summary="List news articles")
def list_news(request, filters: Query[NewsFilters]):
    """Newest first. `from` and `to` are dates (inclusive) in the site's time zone."""
    if (
        filters.published_from
        and filters.published_to
        and filters.published_from > filters.published_to
    ):
        raise HttpError(400, "'from' is after 'to'")
    articles = _articles()
    if filters.lang:
        articles = articles.filter(locale__language_code=filters.lang)
    if filters.category:
        articles = articles.filter(category__slug=filters.category)
    if filters.tag:
        articles = articles.filter(tags__name=filters.tag)
    if filters.published_from:
        articles = articles.filter(published_at__gte=_day_start(filters.published_from))
    if filters.published_to:
        articles = articles.filter(
            published_at__lt=_day_start(filters.published_to + dt.timedelta(days=1))
        )
    count, page = page_slice(articles, filters.page, filters.page_size)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": _serialise(request, page),
    }


@router.get("/{article_id}", response=ArticleDetailOut, summary="One news article")
def get_news(request, article_id: int):
    article = get_object_or_404(_articles(), pk=article_id)
    data = _serialise(request, [article])[0]
    data["body_html"] = str(article.body.render_as_block()) if article.body else ""
    return data


# ---------------------------------------------------------------- events
events_router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    slug: str
    lang: str
    title: str
    summary: str
    start_at: dt.datetime
    end_at: dt.datetime
    all_day: bool
    status: Literal["scheduled", "postponed", "cancelled"]
    attendance: Literal["offline", "online", "mixed"]
    location_name: str
    location_address: str
    online_url: str
    registration_url: str
    url: str
    ics_url: str
    image: ImageOut | None
    translations: list[TranslationOut]


class EventDetailOut(EventOut):
    body_html: str


class EventPageOut(Paginated):
    results: list[EventOut]


class EventFilters(Schema):
    lang: Literal["ar", "en"] | None = Field(None, description="ar or en; both when absent")
    when: Literal["upcoming", "past", "all"] = Field(
        "upcoming", description="upcoming (not ended yet, soonest first), past (newest first)"
    )
    starts_from: dt.date | None = Field(None, alias="from", description="starting on or after")
    starts_to: dt.date | None = Field(None, alias="to", description="starting on or before")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


def _events():
    return EventPage.objects.live().public().select_related("locale", "lead_image")


def _serialise_events(request, events: list[EventPage]) -> list[dict]:
    translations = page_translations(request, EventPage, events)
    results = []
    for event in events:
        url = event.get_url(request)
        results.append(
            {
                "id": event.pk,
                "slug": event.slug,
                "lang": event.locale.language_code,
                "title": event.title,
                "summary": event.summary,
                "start_at": event.start_at,
                "end_at": event.end_at,
                "all_day": event.all_day,
                "status": event.status,
                "attendance": event.attendance,
                "location_name": event.location_name,
                "location_address": event.location_address,
                "online_url": event.online_url,
                "registration_url": event.registration_url,
                "url": request.build_absolute_uri(url),
                "ics_url": request.build_absolute_uri(event.ics_url()),
                "image": image_out(request, event.lead_image, event.lead_image_alt),
                "translations": translations[event.pk],
            }
        )
    return results


@events_router.get("", response=EventPageOut, summary="List events")
def list_events(request, filters: Query[EventFilters]):
    """Upcoming events by default (those that have not ended), soonest first. `from` and
    `to` are dates (inclusive, in the site's time zone) the event starts within."""
    if filters.starts_from and filters.starts_to and filters.starts_from > filters.starts_to:
        raise HttpError(400, "'from' is after 'to'")
    events = _events()
    now = timezone.now()
    if filters.when == "upcoming":
        events = events.filter(end_at__gte=now).order_by("start_at", "pk")
    elif filters.when == "past":
        events = events.filter(end_at__lt=now).order_by("-start_at", "-pk")
    else:
        events = events.order_by("-start_at", "-pk")
    if filters.lang:
        events = events.filter(locale__language_code=filters.lang)
    if filters.starts_from:
        events = events.filter(start_at__gte=_day_start(filters.starts_from))
    if filters.starts_to:
        events = events.filter(start_at__lt=_day_start(filters.starts_to + dt.timedelta(days=1)))
    count, page = page_slice(events.defer_streamfields(), filters.page, filters.page_size)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": _serialise_events(request, page),
    }


@events_router.get("/{event_id}", response=EventDetailOut, summary="One event")
def get_event(request, event_id: int):
    event = get_object_or_404(_events(), pk=event_id)
    data = _serialise_events(request, [event])[0]
    data["body_html"] = str(event.body.render_as_block()) if event.body else ""
    return data
