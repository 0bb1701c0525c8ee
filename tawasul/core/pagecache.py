"""Anonymous page views served from the cache; publishing anything invalidates it.

Only what every visitor sees alike is stored: GET/HEAD of a public page under /ar/ or
/en/ (or of the read-only API of published content, the sitemap), by a visitor who is not
signed in and has no message waiting, answered 200 without a cookie and without a CSRF
token in it (so no form page is ever shared).
Invalidation is one key: every publish, unpublish, delete or move of a page, and every
save of site settings or a category, starts a new cache generation.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "tawasul:pagecache:generation"
# What may be shared between visitors. API endpoints are listed one by one: only those
# whose answer is the same for everyone (published content), never one that depends on
# who asks (a poll's results after voting, say).
CACHED_PREFIXES = (
    "/ar/",
    "/en/",
    "/sitemap.xml",
    "/api/v1/news",
    "/api/v1/events",
    "/api/v1/services",
    "/api/v1/search",
)
_SKIPPED_PREFIXES = ("/ar/accounts/", "/en/accounts/")


def generation() -> str:
    """The current generation; anything cached under it is stale once it changes."""
    return cache.get_or_set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate(**_kwargs) -> None:
    """Start a new generation: every stored page is stale at once."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _key(request) -> str:
    raw = f"{request.get_host()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"tawasul:page:{generation()}:{digest}"


def _eligible(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and request.path.startswith(CACHED_PREFIXES)
        and not request.path.startswith(_SKIPPED_PREFIXES)
        and len(request.META.get("QUERY_STRING", "")) <= 200
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Tawasul-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _storable(request, response):
            headers = [(name, value) for name, value in response.items() if name != "X-Request-ID"]
            cache.set(
                key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS
            )
            response["X-Tawasul-Cache"] = "miss"
        return response


def invalidate_on_model_change(sender, instance=None, **_kwargs) -> None:
    """Deleted pages, and saved site settings or snippets (categories), change pages."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Page
    from wagtail.snippets.models import get_snippet_models

    if isinstance(instance, Page | BaseSiteSetting) or sender in get_snippet_models():
        if isinstance(instance, Page) and _kwargs.get("created") is not None:
            return  # a saved page is not visible until published (page_published)
        invalidate()
