"""Search in the public API: the same analyser, ranking and suggestions as the search page."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from tawasul.search import selectors

router = Router(tags=["search"])


class ResultOut(Schema):
    type: str
    title: str
    url: str
    slug: str
    lang: str
    snippet: str  # HTML: the original text, escaped, with matches in <mark>
    published_at: dt.datetime | None
    score: float


class SearchOut(Schema):
    query: str
    truncated: bool
    total: int
    page: int
    limit: int
    results: list[ResultOut]
    suggestion: str | None


class SearchQuery(Schema):
    q: str = Field("", max_length=2000, description='words, "a phrase", -excluded')
    type: list[str] = Field(default_factory=list, description="news, event, awareness, ...")
    lang: Literal["ar", "en"] | None = None
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")
    page: int = Field(1, ge=1, le=100)
    limit: int = Field(10, ge=1, le=50)


def _day(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@router.get("", response=SearchOut, summary="Search everything public")
def search(request, params: Query[SearchQuery]):
    """Best first: title above body, the word as typed above a variant, then the newest.
    Nothing found: `suggestion` may hold a corrected query that finds something."""
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise HttpError(400, "'from' is after 'to'")
    results = selectors.search(
        params.q,
        kinds=params.type or None,
        language=params.lang,
        date_from=_day(params.date_from),
        date_to=_day(params.date_to + dt.timedelta(days=1)) if params.date_to else None,
        page=params.page,
        page_size=params.limit,
    )
    return {
        "query": results.query.text,
        "truncated": results.query.truncated,
        "total": results.total,
        "page": params.page,
        "limit": params.limit,
        "results": [
            {
                "type": hit.kind,
                "title": hit.title,
                "url": request.build_absolute_uri(hit.url),
                "slug": hit.slug,
                "lang": hit.language,
                "snippet": str(hit.snippet_html),
                "published_at": hit.published_at,
                "score": hit.score,
            }
            for hit in results.hits
        ],
        "suggestion": results.suggestion,
    }
