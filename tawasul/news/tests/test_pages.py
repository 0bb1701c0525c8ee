"""Reading the news in both languages: lists, filters, articles, constant queries."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from tawasul.news.models import NewsArticlePage, NewsIndexPage

pytestmark = pytest.mark.django_db


def test_news_is_in_the_main_navigation_in_each_language(demo_site, anonymous):
    assert 'href="/ar/news/"' in anonymous.get("/ar/").content.decode()
    assert 'href="/en/news/"' in anonymous.get("/en/").content.decode()


def test_seed_article_shows_its_arabic_date_with_hijri(demo_site, anonymous):
    html = anonymous.get("/ar/news/ministry-on-social-media/").content.decode()
    assert "الداخلية تتواصل مع الجمهور على شبكات التواصل الاجتماعي" in html
    assert "الأربعاء، 21 سبتمبر 2011" in html
    assert "23 شوال 1432 هـ" in html


def test_article_language_switch_leads_to_its_translation(demo_site, anonymous):
    html = anonymous.get("/ar/news/ministry-on-social-media/").content.decode()
    assert 'href="/en/news/ministry-on-social-media/" lang="en"' in html


def test_news_index_lists_newest_first(demo_site, anonymous):
    response = anonymous.get("/ar/news/")
    titles = [article.slug for article in response.context["articles"]]
    assert titles == [
        "phishing-awareness-campaign",
        "interactive-links-window",
        "ministry-on-social-media",
    ]


def test_news_index_filters_by_category_and_tag(demo_site, anonymous):
    by_category = anonymous.get("/ar/news/", {"category": "awareness"}).context["articles"]
    assert [a.slug for a in by_category] == ["phishing-awareness-campaign"]
    by_tag = anonymous.get("/ar/news/", {"tag": "يوتيوب"}).context["articles"]
    assert [a.slug for a in by_tag] == ["ministry-on-social-media"]


@pytest.mark.parametrize(
    "query",
    [
        {"category": "no-such"},
        {"page": "999"},
        {"page": "abc"},
        {"tag": "<script>"},
        {"category": "x" * 5000},
    ],
)
def test_odd_filters_give_a_page_not_an_error(demo_site, anonymous, query):
    response = anonymous.get("/ar/news/", query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_unpublished_article_disappears_from_the_list_and_its_url(demo_site, anonymous):
    for article in NewsArticlePage.objects.filter(slug="phishing-awareness-campaign"):
        article.unpublish()
    assert "phishing-awareness-campaign" not in anonymous.get("/ar/news/").content.decode()
    assert anonymous.get("/ar/news/phishing-awareness-campaign/").status_code == 404
    assert anonymous.get("/en/news/phishing-awareness-campaign/").status_code == 404


def _add_articles(count: int) -> None:
    index = NewsIndexPage.objects.get(locale=Locale.objects.get(language_code="ar"))
    for n in range(count):
        article = NewsArticlePage(title=f"خبر رقم {n}", slug=f"bulk-{n}", summary="ملخص")
        index.add_child(instance=article)
        article.tags.add(f"وسم{n}", f"آخر{n}", "مشترك")
        article.save_revision().publish()


def test_news_list_queries_do_not_grow_with_the_articles(
    demo_site, anonymous, django_assert_max_num_queries
):
    anonymous.get("/ar/news/")
    with django_assert_max_num_queries(30) as few:
        anonymous.get("/ar/news/")
    budget = len(few)  # counted now: the query log is bounded; the work below rolls it over
    _add_articles(10)
    anonymous.get("/ar/news/")  # publishing starts a new cache generation: warm it again
    with django_assert_max_num_queries(budget):
        anonymous.get("/ar/news/")


def test_article_page_queries_do_not_grow_with_tags_or_related(
    demo_site, anonymous, django_assert_max_num_queries
):
    path = "/ar/news/ministry-on-social-media/"
    anonymous.get(path)
    # The page includes its comments area (a fixed handful of queries of its own).
    with django_assert_max_num_queries(40) as few:
        anonymous.get(path)
    budget = len(few)  # counted now: the query log is bounded; the work below rolls it over
    _add_articles(6)
    article = NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="ar"
    )
    article.tags.add(*[f"وسم-إضافي-{n}" for n in range(8)])
    article.save_revision().publish()
    anonymous.get(path)  # publishing starts a new cache generation: warm it again
    with django_assert_max_num_queries(budget):
        anonymous.get(path)


def test_article_missing_in_english_leads_to_the_arabic_one_with_a_notice(demo_site, anonymous):
    english = NewsArticlePage.objects.get(
        slug="phishing-awareness-campaign", locale__language_code="en"
    )
    english.unpublish()
    response = anonymous.get("/en/news/phishing-awareness-campaign/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/ar/news/phishing-awareness-campaign/"
    notices = [str(message) for message in response.context["messages"]]
    assert notices == ["This page is not available in English; here it is in Arabic."]


def test_page_missing_in_every_language_is_a_404(demo_site, anonymous):
    assert anonymous.get("/en/news/no-such-article/").status_code == 404


def test_article_page_carries_canonical_hreflang_open_graph_and_json_ld(demo_site, anonymous):
    import json
    import re

    html = anonymous.get("/ar/news/ministry-on-social-media/").content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/ar/news/ministry-on-social-media/">' in html
    )
    assert 'hreflang="en" href="http://testserver/en/news/ministry-on-social-media/"' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="ar_AR">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "الداخلية تتواصل مع الجمهور على شبكات التواصل الاجتماعي"
    assert data["inLanguage"] == "ar"


def test_json_ld_cannot_be_closed_by_a_title(demo_site, anonymous):
    article = NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="ar"
    )
    article.title = "</script><script>alert(1)</script>"
    article.save_revision().publish()
    html = anonymous.get("/ar/news/ministry-on-social-media/").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_home_page_shows_the_latest_news_of_its_language(demo_site, anonymous):
    arabic = anonymous.get("/ar/").content.decode()
    assert "حملة توعوية للتحذير من رسائل التصيّد الاحتيالي" in arabic
    assert 'href="/ar/news/phishing-awareness-campaign/"' in arabic
    english = anonymous.get("/en/").content.decode()
    assert 'href="/en/news/phishing-awareness-campaign/"' in english
    assert "التصيّد" not in english


def test_home_page_hides_the_news_block_when_there_is_no_news(demo_site, anonymous):
    for article in NewsArticlePage.objects.all():
        article.unpublish()
    html = anonymous.get("/ar/").content.decode()
    assert "home-latest" not in html
