"""The page frame in both languages: direction, language choice, security headers, health."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from conftest import unreachable_cache
from tawasul.core import dates
from tawasul.core.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_arabic_home_page_is_rtl_and_arabic(demo_site, anonymous):
    response = anonymous.get("/ar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "وزارة الداخلية" in html


def test_english_home_page_is_ltr_and_english(demo_site, anonymous):
    html = anonymous.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Ministry of Interior" in html


def test_root_goes_to_arabic_even_for_an_english_browser(demo_site, anonymous):
    response = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_root_returns_to_the_language_the_visitor_chose(demo_site, anonymous):
    anonymous.get("/en/")
    assert anonymous.get("/")["Location"] == "/en/"


def test_unknown_language_prefix_is_a_404_page_in_arabic(demo_site, anonymous):
    response = anonymous.get("/fr/", follow=True)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الصفحة غير موجودة" in html or "Page not found" not in html


def test_language_switch_links_to_the_translation_of_the_same_page(demo_site, anonymous):
    html = anonymous.get("/ar/privacy/").content.decode()
    assert 'href="/en/privacy/" lang="en" hreflang="en"' in html
    html = anonymous.get("/en/privacy/").content.decode()
    assert 'href="/ar/privacy/" lang="ar" hreflang="ar"' in html


def test_language_switch_on_an_app_page_keeps_the_page(demo_site, anonymous):
    html = anonymous.get("/ar/accounts/signup/").content.decode()
    assert 'href="/en/accounts/signup/"' in html


def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/ar/", "/en/", "/ar/about/", "/ar/accounts/login/", "/nowhere"])
def test_every_public_page_sends_a_strict_content_security_policy(demo_site, anonymous, path):
    policy = anonymous.get(path, follow=True)["Content-Security-Policy"]
    assert directives(policy)["default-src"] == "default-src 'self'"
    assert directives(policy)["script-src"] == "script-src 'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_admin_pages_allow_inline_styles_but_never_inline_scripts(demo_site, anonymous):
    policy = directives(anonymous.get("/admin/login/")["Content-Security-Policy"])
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self' 'unsafe-inline'"


def test_public_pages_have_no_inline_script_or_style(demo_site, anonymous):
    for path in ("/ar/", "/en/", "/ar/accounts/signup/"):
        html = anonymous.get(path).content.decode()
        executable = r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>"
        assert not re.search(executable, html), path
        assert "<style" not in html and " style=" not in html, path


def test_footer_lists_the_social_profiles_with_accessible_labels(demo_site, anonymous):
    html = anonymous.get("/ar/").content.decode()
    for network in ("facebook", "x", "youtube", "instagram"):
        assert f"social-link--{network}" in html
    assert 'aria-label="وزارة الداخلية على' in html


def test_social_profile_must_be_https():
    from django.core.exceptions import ValidationError

    settings_row = SiteSettings(facebook_url="http://facebook.com/x")
    with pytest.raises(ValidationError):
        settings_row.clean_fields(exclude=["site", "logo"])


def test_request_id_is_echoed(demo_site, anonymous):
    response = anonymous.get("/ar/", HTTP_X_REQUEST_ID="req-12345678")
    assert response["X-Request-ID"] == "req-12345678"
    assert len(anonymous.get("/ar/", HTTP_X_REQUEST_ID="<bad>")["X-Request-ID"]) == 32


def test_healthz_reports_every_component(anonymous):
    response = anonymous.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks"}


def test_healthz_is_503_when_the_cache_is_down(anonymous):
    with unreachable_cache("redis://127.0.0.1:1/0"):
        response = anonymous.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "down"
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_long_date_matches_the_seed_article():
    with translation.override("ar"):
        assert dates.gregorian_long(dt.date(2011, 9, 21)) == "الأربعاء، 21 سبتمبر 2011"
        assert dates.hijri_long(dt.date(2011, 9, 21)) == "23 شوال 1432 هـ"
    with translation.override("en"):
        assert dates.gregorian_long(dt.date(2011, 9, 21)) == "Wednesday, 21 September 2011"
        assert dates.hijri_long(dt.date(2011, 9, 21)) == "23 Shawwal 1432 AH"


def test_hijri_date_is_left_out_beyond_the_calendar_range():
    assert dates.hijri_long(dt.date(1800, 1, 1)) is None


def test_arabic_indic_digits_follow_the_site_setting(demo_site, anonymous):
    from wagtail.models import Site

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert re.search(
        r'<time datetime="[^"]+">[^<]*\d{4}</time>', anonymous.get("/ar/").content.decode()
    )
    site_settings.arabic_digits = SiteSettings.Digits.ARABIC_INDIC
    site_settings.save()
    html = anonymous.get("/ar/").content.decode()
    assert re.search(r'<time datetime="[^"]+">[^<]*[٠-٩]{4}</time>', html)
    # English pages keep Western digits.
    assert re.search(
        r'<time datetime="[^"]+">[^<]*\d{4}</time>', anonymous.get("/en/").content.decode()
    )


def test_navigation_hides_capabilities_that_are_not_installed(demo_site, anonymous):
    from tawasul.core import navigation

    navigation.register("nowhere", "Nowhere", "nowhere:index")  # no such URL
    navigation.register("about", "About", "accounts:signup")
    try:
        html = anonymous.get("/en/").content.decode()
    finally:
        navigation.unregister("nowhere")
        navigation.unregister("about")
    assert "nowhere:index" not in html and ">Nowhere<" not in html
    assert ">About<" in html


def test_home_page_queries_do_not_grow_with_content(
    demo_site, anonymous, django_assert_max_num_queries
):
    from tawasul.news.tests.test_pages import _add_articles

    anonymous.get("/ar/")  # warm caches, as in production
    with django_assert_max_num_queries(25) as few:
        anonymous.get("/ar/")
    budget = len(few)  # counted now: the query log is bounded; the work below rolls it over
    _add_articles(6)
    anonymous.get("/ar/")  # publishing starts a new cache generation: warm it again
    with django_assert_max_num_queries(budget):
        anonymous.get("/ar/")


def test_uploaded_media_are_served_in_the_embedded_tier(anonymous, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "poster.txt").write_text("hello")
    response = anonymous.get("/media/poster.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"


def test_healthz_answers_head_for_load_balancers(anonymous):
    assert anonymous.head("/healthz").status_code == 200


def test_healthz_does_not_reveal_error_details(anonymous):
    with unreachable_cache("redis://internal-cache.example:1/0"):
        body = anonymous.get("/healthz").content.decode()
    assert "internal-cache" not in body


def test_document_files_are_not_served_past_their_privacy_check(anonymous, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "private.pdf").write_bytes(b"%PDF-1.4 secret")
    assert anonymous.get("/media/documents/private.pdf").status_code == 404


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2", "10.0.0.2"),  # no proxy: the header is ignored
        (1, "203.0.113.9", "127.0.0.1", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "127.0.0.1", "203.0.113.9"),  # a forged entry on the left
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "10.0.0.6", "203.0.113.9"),
        (1, "not-an-ip", "127.0.0.1", "127.0.0.1"),
        (1, "", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(
    proxies, forwarded, remote, expected, settings, rf
):
    from tawasul.core.net import client_ip

    settings.TAWASUL_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected
