"""Operational endpoints and error pages."""

from __future__ import annotations

import logging
import time
import uuid

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _check_cache() -> dict:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the value written was not read back")
    cache.delete(key)
    return {}


def _check_tasks() -> dict:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    # A queue that does not move means no worker runs. Reported, not a 503: a load
    # balancer must not take every web host out because the worker stopped.
    return {"waiting": waiting.count(), "oldest_waiting_seconds": age, "stalled": age > 300}


log = logging.getLogger("tawasul.health")

CHECKS = {"database": _check_database, "cache": _check_cache, "tasks": _check_tasks}


@never_cache
@require_safe
def healthz(request):
    """Database, cache and task queue: 200 when all answer, 503 when one does not."""
    report, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            details = check()
        except Exception as error:
            healthy = False
            # The class name only: messages may name internal hosts; they go to the log.
            log.error("health check failed", extra={"check": name, "error": str(error)[:500]})
            details = {"status": "down", "error": type(error).__name__}
        else:
            details = {"status": "ok", **details}
        details["ms"] = round((time.perf_counter() - started) * 1000, 1)
        report[name] = details
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": report}, status=200 if healthy else 503
    )


def floor(request):
    """The smallest response the stack can give: the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def sitemap(request):
    from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

    from tawasul.core.sitemap import AppSitemap, TranslatedSitemap

    return wagtail_sitemap(
        request, sitemaps={"pages": TranslatedSitemap(request), "apps": AppSitemap(request)}
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/accounts/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def media(request, path: str):
    """Uploaded files, for the embedded tier only (production serves them from nginx)."""
    from django.conf import settings
    from django.views.static import serve

    # Documents go through Wagtail's /documents/ view, which enforces their privacy.
    if path.startswith("documents/"):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception=None):
    """A page missing in one language but published in the other: send the reader there,
    with a notice in the language they asked for; otherwise the 404 page."""
    other = _translation_elsewhere(request)
    if other is not None:
        page, language = other
        messages.info(
            request,
            _("This page is not available in %(language)s; here it is in %(other)s.")
            % {
                "language": _language_name(translation.get_language()),
                "other": _language_name(language),
            },
        )
        return redirect(page.get_url(request))
    return render(request, "404.html", status=404)


def _language_name(code: str) -> str:
    from django.conf import settings

    return str(_(dict(settings.LANGUAGES_IN_WORDS).get(code, code)))


def _translation_elsewhere(request):
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    language = translation.get_language_from_path(request.path_info)
    if not language or request.method not in ("GET", "HEAD"):
        return None
    rest = request.path_info[len(language) + 2 :]
    site = Site.find_for_request(request)
    if site is None:
        return None
    for code, _name in settings.LANGUAGES:
        if code == language:
            continue
        locale = Locale.objects.filter(language_code=code).first()
        root = site.root_page.get_translation_or_none(locale) if locale else None
        if root is None:
            continue
        page = (
            Page.objects.live()
            .public()
            .filter(locale=locale, url_path=f"{root.url_path}{rest}")
            .first()
        )
        if page is not None:
            return page, code
    return None


def server_error(request):
    # No context processors: the database may be the reason we are here.
    return HttpResponseServerError(loader.render_to_string("500.html"))
