"""RSS 2.0 and Atom feeds per language and per category."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest

from tawasul.news.models import NewsArticlePage

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_arabic_rss_feed_is_valid_rss_2_with_the_articles(demo_site, anonymous):
    response = anonymous.get("/ar/news/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own output
    assert channel.findtext("language") == "ar"
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    items = channel.findall("item")
    newest = items[0].findtext("title")
    assert newest == "حملة توعوية للتحذير من رسائل التصيّد الاحتيالي"
    for item in items:
        assert item.findtext("link").startswith("http://testserver/ar/news/")
        assert item.findtext("pubDate") and item.findtext("guid")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"


def test_english_atom_feed_is_valid_atom(demo_site, anonymous):
    response = anonymous.get("/en/news/feed/atom/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert all(
        e.find(f"{ATOM}link").get("href").startswith("http://testserver/en/news/") for e in entries
    )
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"


def test_category_feed_holds_only_that_category(demo_site, anonymous):
    parsed = feedparser.parse(anonymous.get("/ar/news/category/awareness/feed/rss/").content)
    assert [entry.link.rsplit("/", 2)[-2] for entry in parsed.entries] == [
        "phishing-awareness-campaign"
    ]


def test_unknown_category_feed_is_404(demo_site, anonymous):
    assert anonymous.get("/ar/news/category/nope/feed/atom/").status_code == 404


def test_unpublished_article_leaves_the_feed(demo_site, anonymous):
    NewsArticlePage.objects.get(
        slug="phishing-awareness-campaign", locale__language_code="ar"
    ).unpublish()
    assert "phishing-awareness-campaign" not in anonymous.get("/ar/news/feed/rss/").content.decode()


def test_news_page_advertises_its_feeds(demo_site, anonymous):
    html = anonymous.get("/ar/news/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/ar/news/feed/rss/"' in html
