"""Search engines find every page in both languages, each pointing to its translation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def read_sitemap(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_both_languages_with_hreflang_alternates(demo_site, anonymous):
    urls = read_sitemap(anonymous)
    article_ar = "http://testserver/ar/news/ministry-on-social-media/"
    article_en = "http://testserver/en/news/ministry-on-social-media/"
    assert article_ar in urls and article_en in urls
    assert urls[article_ar] == {"ar": article_ar, "en": article_en}
    assert "http://testserver/en/privacy/" in urls
    assert not [url for url in urls if "/admin/" in url]


def test_unpublished_pages_leave_the_sitemap(demo_site, anonymous):
    from tawasul.news.models import NewsArticlePage

    NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="en"
    ).unpublish()
    urls = read_sitemap(anonymous)
    assert "http://testserver/en/news/ministry-on-social-media/" not in urls
    assert urls["http://testserver/ar/news/ministry-on-social-media/"] == {}


def test_sitemap_queries_do_not_grow_with_pages(
    demo_site, anonymous, django_assert_max_num_queries
):
    from tawasul.news.tests.test_pages import _add_articles

    anonymous.get("/sitemap.xml")
    with django_assert_max_num_queries(25) as few:
        anonymous.get("/sitemap.xml")
    budget = len(few)  # counted now: the query log is bounded; the work below rolls it over
    _add_articles(8)
    anonymous.get("/sitemap.xml")  # publishing starts a new cache generation: warm it again
    with django_assert_max_num_queries(budget):
        anonymous.get("/sitemap.xml")


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_accounts(anonymous):
    text = anonymous.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_sitemap_lists_the_apps_pages_in_both_languages(demo_site, anonymous):
    from tawasul.discussions.models import DiscussionIssue
    from tawasul.polls.models import Poll

    urls = read_sitemap(anonymous)
    for section in ("polls/", "discussions/", "results/", "inquiries/", "newsletter/"):
        ar, en = f"http://testserver/ar/{section}", f"http://testserver/en/{section}"
        assert urls[ar] == {"ar": ar, "en": en}, section
    poll = Poll.objects.filter(status=Poll.Status.PUBLISHED, locale__language_code="ar").first()
    poll_url = f"http://testserver{poll.get_absolute_url()}"
    assert set(urls[poll_url]) == {"ar", "en"}
    draft = DiscussionIssue.objects.filter(locale__language_code="ar").first()
    DiscussionIssue.objects.filter(pk=draft.pk).update(status=DiscussionIssue.Status.DRAFT)
    assert f"http://testserver{draft.get_absolute_url()}" not in read_sitemap(anonymous)
