"""Anonymous readers get cached pages; publishing shows changes at once."""

from __future__ import annotations

import pytest

from tawasul.core.models import SiteSettings
from tawasul.news.models import NewsArticlePage

pytestmark = pytest.mark.django_db

ARTICLE = "/ar/news/ministry-on-social-media/"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_second_anonymous_view_is_served_from_the_cache(
    demo_site, page_cache, client, django_assert_max_num_queries
):
    first = client.get(ARTICLE)
    assert first["X-Tawasul-Cache"] == "miss"
    with django_assert_max_num_queries(2):
        second = client.get(ARTICLE)
    assert second["X-Tawasul-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_publishing_shows_the_change_at_once(demo_site, page_cache, client):
    client.get(ARTICLE)
    article = NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="ar"
    )
    article.title = "عنوان جديد بعد التعديل"
    article.save_revision().publish()
    response = client.get(ARTICLE)
    assert response["X-Tawasul-Cache"] == "miss"
    assert "عنوان جديد بعد التعديل" in response.content.decode()


def test_unpublishing_removes_the_page_from_the_cache(demo_site, page_cache, client):
    client.get("/ar/news/")
    NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="ar"
    ).unpublish()
    assert "ministry-on-social-media" not in client.get("/ar/news/").content.decode()


def test_site_settings_change_refreshes_pages(demo_site, page_cache, client):
    from wagtail.models import Site

    client.get("/ar/")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.facebook_url = ""
    site_settings.save()
    assert "social-link--facebook" not in client.get("/ar/").content.decode()


def test_signed_in_people_are_never_served_a_shared_page(demo_site, page_cache, citizen, client):
    client.get("/ar/")
    response = citizen.get("/ar/")
    assert "X-Tawasul-Cache" not in response
    assert "سارة" in response.content.decode()


def test_pages_with_forms_are_never_cached(demo_site, page_cache, client):
    client.get("/ar/accounts/login/")
    response = client.get("/ar/accounts/login/")
    assert "X-Tawasul-Cache" not in response


def test_a_pending_message_is_not_cached_or_served_stale(demo_site, page_cache, client):
    from tawasul.news.models import NewsArticlePage as Article

    client.get("/ar/news/phishing-awareness-campaign/")  # cache the Arabic article
    Article.objects.get(slug="phishing-awareness-campaign", locale__language_code="en").unpublish()
    # The English fallback puts a message in the session and redirects to the Arabic page.
    response = client.get("/en/news/phishing-awareness-campaign/", follow=True)
    assert [str(m) for m in response.context["messages"]]


def test_cache_off_when_configured(demo_site, settings, client):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(ARTICLE)
    assert "X-Tawasul-Cache" not in client.get(ARTICLE)


def test_the_content_api_is_cached_and_refreshed_by_publishing(demo_site, page_cache, client):
    assert client.get("/api/v1/news", {"lang": "ar"})["X-Tawasul-Cache"] == "miss"
    assert client.get("/api/v1/news", {"lang": "ar"})["X-Tawasul-Cache"] == "hit"
    article = NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="ar"
    )
    article.title = "عنوان جديد في الواجهة البرمجية"
    article.save_revision().publish()
    fresh = client.get("/api/v1/news", {"lang": "ar"})
    assert fresh["X-Tawasul-Cache"] == "miss"
    assert "عنوان جديد في الواجهة البرمجية" in fresh.content.decode()


def test_api_endpoints_not_listed_as_shared_are_never_cached(demo_site, page_cache, client):
    client.get("/api/v1/challenge", {"scope": "test:x"})
    second = client.get("/api/v1/challenge", {"scope": "test:x"})
    assert "X-Tawasul-Cache" not in second
