"""The news API: filters, pagination, translations, and clear errors for bad queries."""

from __future__ import annotations

import pytest

from tawasul.news.models import NewsArticlePage

pytestmark = pytest.mark.django_db


def test_list_gives_newest_first_with_translations(demo_site, anonymous):
    response = anonymous.get("/api/v1/news", {"lang": "ar"})
    assert response.status_code == 200
    assert "charset" in response["Content-Type"] or response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["slug"] == "phishing-awareness-campaign"
    assert first["lang"] == "ar"
    assert first["url"] == "http://testserver/ar/news/phishing-awareness-campaign/"
    assert first["translations"] == [
        {"lang": "en", "url": "http://testserver/en/news/phishing-awareness-campaign/"}
    ]
    assert "حملة توعوية" in response.content.decode()  # UTF-8, not \\u escapes


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ({"lang": "en", "category": "awareness"}, ["phishing-awareness-campaign"]),
        ({"lang": "ar", "tag": "يوتيوب"}, ["ministry-on-social-media"]),
        ({"lang": "ar", "from": "2011-09-21", "to": "2011-09-21"}, ["ministry-on-social-media"]),
        ({"lang": "ar", "from": "2020-01-01"}, ["phishing-awareness-campaign"]),
        ({"lang": "ar", "category": "no-such"}, []),
    ],
)
def test_list_filters(demo_site, anonymous, query, slugs):
    results = anonymous.get("/api/v1/news", query).json()["results"]
    assert [item["slug"] for item in results] == slugs


def test_pagination(demo_site, anonymous):
    first = anonymous.get("/api/v1/news", {"page_size": 2}).json()
    second = anonymous.get("/api/v1/news", {"page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] == 6
    assert len(first["results"]) == 2 and len(second["results"]) == 2
    assert not {a["id"] for a in first["results"]} & {a["id"] for a in second["results"]}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"lang": "fr"}, 422),
        ({"page_size": 0}, 422),
        ({"page_size": 1000}, 422),
        ({"page": -1}, 422),
        ({"from": "yesterday"}, 422),
        ({"from": "2026-02-01", "to": "2026-01-01"}, 400),
        ({"tag": "x" * 500}, 422),
    ],
)
def test_bad_queries_get_a_clear_error(demo_site, anonymous, query, status):
    response = anonymous.get("/api/v1/news", query)
    assert response.status_code == status
    assert response.json()["detail"]


def test_detail_has_the_body(demo_site, anonymous):
    article = NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="ar"
    )
    body = anonymous.get(f"/api/v1/news/{article.pk}").json()
    assert body["title"] == article.title
    assert "دشنت وزارة الداخلية" in body["body_html"]


def test_unpublished_or_unknown_article_is_404(demo_site, anonymous):
    article = NewsArticlePage.objects.get(
        slug="ministry-on-social-media", locale__language_code="ar"
    )
    article.unpublish()
    assert anonymous.get(f"/api/v1/news/{article.pk}").status_code == 404
    assert anonymous.get("/api/v1/news/999999").status_code == 404
    assert anonymous.get("/api/v1/news/abc").status_code == 422


def test_list_queries_do_not_grow_with_articles(
    demo_site, anonymous, django_assert_max_num_queries
):
    from tawasul.news.tests.test_pages import _add_articles

    anonymous.get("/api/v1/news")
    with django_assert_max_num_queries(20) as few:
        anonymous.get("/api/v1/news")
    budget = len(few)
    _add_articles(10)
    with django_assert_max_num_queries(budget):
        anonymous.get("/api/v1/news")


def test_openapi_document_describes_the_news_endpoints(anonymous):
    spec = anonymous.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Tawasul API"
    assert {"/api/v1/news", "/api/v1/news/{article_id}"} <= set(spec["paths"])


def test_api_browser_is_served_from_this_site(anonymous):
    html = anonymous.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


# ---------------------------------------------------------------- events
def test_events_api_lists_upcoming_events_soonest_first(demo_site, anonymous):
    body = anonymous.get("/api/v1/events", {"lang": "en"}).json()
    assert [item["slug"] for item in body["results"]] == [
        "online-fraud-lecture",
        "open-meeting-online",
        "traffic-safety-exhibition",
    ]
    first = body["results"][0]
    assert first["attendance"] == "mixed"
    assert first["ics_url"].startswith("http://testserver/en/calendar/event-")
    assert first["translations"][0]["lang"] == "ar"


def test_events_api_past_and_date_range(demo_site, anonymous):
    past = anonymous.get("/api/v1/events", {"lang": "ar", "when": "past"}).json()
    assert [item["slug"] for item in past["results"]] == ["new-media-workshop"]
    in_2011 = anonymous.get(
        "/api/v1/events", {"when": "all", "from": "2011-01-01", "to": "2011-12-31"}
    ).json()
    assert in_2011["count"] == 2  # one event, two languages


def test_events_api_detail_and_errors(demo_site, anonymous):
    first = anonymous.get("/api/v1/events", {"lang": "ar"}).json()["results"][0]
    detail = anonymous.get(f"/api/v1/events/{first['id']}").json()
    assert detail["title"] == first["title"] and "body_html" in detail
    assert anonymous.get("/api/v1/events/999999").status_code == 404
    assert anonymous.get("/api/v1/events", {"when": "tomorrow"}).status_code == 422
    assert (
        anonymous.get("/api/v1/events", {"from": "2026-02-01", "to": "2026-01-01"}).status_code
        == 400
    )


def test_openapi_document_describes_events_and_services(anonymous):
    paths = anonymous.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/services",
        "/api/v1/challenge",
    } <= set(paths)
