"""Request-wide behaviour: language choice, structured request logs, security headers."""

from __future__ import annotations

import logging
import re
import time
import uuid

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

request_log = logging.getLogger("tawasul.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class ArabicFirstLocaleMiddleware(LocaleMiddleware):
    """Language from the URL prefix; without one, the visitor's saved choice, else Arabic.

    Django's own middleware falls back to the browser's Accept-Language, which
    would send most visitors of an Arabic government portal to English first.
    """

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        if not language:
            saved = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            codes = {code for code, _name in settings.LANGUAGES}
            language = saved if saved in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    # Addresses outside /ar/ and /en/: a 404 there is final, never a redirect to /ar/...
    UNPREFIXED = (
        "/api/",
        "/admin/",
        "/documents/",
        "/media/",
        "/static/",
        "/healthz",
        "/sitemap.xml",
        "/robots.txt",
        "/newsletter/bounces",
    )

    def process_response(self, request, response):
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        response = super().process_response(request, response)
        # Remember a language chosen through the URL, so "/" returns to it.
        prefixed = translation.get_language_from_path(request.path_info)
        if prefixed and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != prefixed:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                prefixed,
                max_age=365 * 24 * 3600,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                httponly=True,
            )
        return response


class RequestLogMiddleware:
    """One JSON log line per request, with an id that is echoed as X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = request.id
        user = getattr(request, "user", None)
        level = logging.DEBUG if request.path.startswith(settings.STATIC_URL) else logging.INFO
        request_log.log(
            level,
            "request",
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "language": getattr(request, "LANGUAGE_CODE", None),
            },
        )
        return response


class AdminStylePolicyMiddleware:
    """One narrow exception to the strict policy, for staff pages and the API browser.

    Wagtail's editor bundle inserts ``<style>`` elements for the components it builds,
    which ``style-src 'self'`` blocks. Styles cannot run code, so under /admin/ we allow
    inline styles and nothing else: scripts stay 'self'-only everywhere (Wagtail's few
    inline scripts are replaced, see admin-csp.js), and public pages keep the full policy.
    See docs/decisions/0006-admin-inline-styles.md.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/admin/", "/api/v1/docs")):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, building each distinct policy once per process.

    django-csp rebuilds the header text from the settings on every response (about a
    tenth of a millisecond, a quarter of the cost of the cheapest request). The text
    depends only on the settings and on a response's own changes (``_csp_update`` and
    the like), so it is kept per combination; a response that uses a nonce is built as
    before. The rules for when a header is set are django-csp's own.
    """

    _built: dict[tuple, str] = {}

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, name in (
            (False, csp.constants.HEADER, "CONTENT_SECURITY_POLICY"),
            (True, csp.constants.HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            suffix = "_ro" if report_only else ""
            if getattr(response, f"_csp_exempt{suffix}", False) or header in response:
                continue
            prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if request.path_info.startswith(tuple(prefixes)):
                continue
            parts = self.get_policy_parts(
                request=request, response=response, report_only=report_only
            )
            key = (report_only, repr(parts.config), repr(parts.update), repr(parts.replace))
            policy = self._built.get(key)
            if policy is None:
                policy = csp.utils.build_policy(
                    config=parts.config,
                    update=parts.update,
                    replace=parts.replace,
                    report_only=report_only,
                )
                self._built[key] = policy
            if policy:
                response[header] = policy
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@receiver(setting_changed)
def _forget_built_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        CSPMiddleware._built.clear()
