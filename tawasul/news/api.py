"""News in the public API: list with filters and pagination, and one article."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from tawasul.news.models import NewsArticlePage

router = Router(tags=["news"])


class CategoryOut(Schema):
    slug: str
    name: str


class ImageOut(Schema):
    url: str
    alt: str
    width: int
    height: int


class TranslationOut(Schema):
    lang: str
    url: str


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


class ArticlePage(Schema):
    count: int
    page: int
    page_size: int
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
    partners = defaultdict(list)
    for other in (
        NewsArticlePage.objects.live()
        .public()
        .filter(translation_key__in={a.translation_key for a in articles})
        .select_related("locale")
    ):
        partners[other.translation_key].append(other)
    results = []
    for article in articles:
        image = None
        if article.lead_image:
            rendition = article.lead_image.get_rendition("width-1200")
            image = {
                "url": request.build_absolute_uri(rendition.url),
                "alt": article.lead_image_alt,
                "width": rendition.width,
                "height": rendition.height,
            }
        results.append(
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
                "image": image,
                "translations": [
                    {
                        "lang": other.locale.language_code,
                        "url": request.build_absolute_uri(other.get_url(request)),
                    }
                    for other in partners[article.translation_key]
                    if other.pk != article.pk
                ],
            }
        )
    return results


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
    count = articles.count()
    start = (filters.page - 1) * filters.page_size
    page = list(articles[start : start + filters.page_size])
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
