"""The search page and the search API, including everything odd a person might type."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_header_has_a_search_box_on_every_page(demo_site, anonymous):
    for path in ("/ar/", "/en/news/", "/ar/eservices/renew-passport/"):
        assert 'action="/' in anonymous.get(path).content.decode()
        assert 'role="search"' in anonymous.get(path).content.decode()


def test_search_page_shows_count_snippets_and_links(demo_site, anonymous):
    response = anonymous.get("/ar/search/", {"q": "جواز السفر"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="/ar/eservices/renew-passport/">تجديد <mark>جواز</mark> <mark>السفر</mark></a>'
        in html
    )
    assert "<mark>" in html
    assert response.context["results"].total >= 1


def test_search_page_searches_this_language_unless_asked(demo_site, anonymous):
    arabic = anonymous.get("/ar/search/", {"q": "passport"}).context["results"]
    assert all(hit.language == "ar" for hit in arabic.hits)
    everything = anonymous.get("/ar/search/", {"q": "passport", "lang": "all"}).context["results"]
    assert any(hit.language == "en" for hit in everything.hits)


def test_filter_by_kind(demo_site, anonymous):
    results = anonymous.get("/en/search/", {"q": "phishing", "type": "awareness"}).context[
        "results"
    ]
    assert results.total >= 1 and {hit.kind for hit in results.hits} == {"awareness"}


def test_nothing_found_shows_the_hint_and_a_suggestion(demo_site, anonymous):
    html = anonymous.get("/ar/search/", {"q": "الدخلية"}).content.decode()
    assert "إذا لم تجد ما تبحث عنه يمكنك استخدام كلمات أكثر دقة." in html  # the seed's words
    assert 'href="?q=%D8%A7%D9%84%D8%AF%D8%A7%D8%AE%D9%84%D9%8A%D8%A9"' in html  # الداخلية


def test_an_empty_search_shows_the_page(demo_site, anonymous):
    response = anonymous.get("/ar/search/")
    assert response.status_code == 200
    assert response.context["results"] is None
    assert anonymous.get("/ar/search/", {"q": "   "}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "x" * 1000,
        "!!! ??? ...",
        '"الداخلية',
        "* : ( ) NEAR AND OR -",
        "'; DROP TABLE search_searchdocument; --",
        "\u202eالداخلية\u202c",
        "<script>alert(1)</script>",
        "\x00\x01",
    ],
)
def test_odd_queries_never_fail(demo_site, anonymous, query):
    response = anonymous.get("/ar/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_long_query_is_cut_with_a_notice(demo_site, anonymous):
    html = anonymous.get("/ar/search/", {"q": "الداخلية " * 150}).content.decode()
    assert "200" in html and 'role="status"' in html


@pytest.mark.parametrize(
    "params",
    [{"page": "abc"}, {"page": "-4"}, {"page": "99999"}, {"date_from": "yesterday"}, {"type": "x"}],
)
def test_odd_filters_never_fail(demo_site, anonymous, params):
    assert anonymous.get("/ar/search/", {"q": "الداخلية", **params}).status_code == 200


def test_dates_the_wrong_way_round_are_explained(demo_site, anonymous):
    html = anonymous.get(
        "/en/search/", {"q": "passport", "date_from": "2026-02-01", "date_to": "2026-01-01"}
    ).content.decode()
    assert "The end date is before the start date." in html


# ---------------------------------------------------------------- API
def test_api_answers_in_the_documented_shape(demo_site, anonymous):
    body = anonymous.get("/api/v1/search", {"q": "جواز", "lang": "ar"}).json()
    assert set(body) == {"query", "truncated", "total", "page", "limit", "results", "suggestion"}
    first = body["results"][0]
    assert set(first) == {
        "type",
        "title",
        "url",
        "slug",
        "lang",
        "snippet",
        "published_at",
        "score",
    }
    assert first["url"].startswith("http://testserver/ar/")
    assert body["suggestion"] is None


def test_api_suggests_when_nothing_is_found(demo_site, anonymous):
    body = anonymous.get("/api/v1/search", {"q": "الدخلية"}).json()
    assert (body["total"], body["suggestion"]) == (0, "الداخلية")


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"lang": "fr"}, 422),
        ({"limit": 500}, 422),
        ({"page": 0}, 422),
        ({"from": "2026-02-01", "to": "2026-01-01"}, 400),
    ],
)
def test_api_refuses_bad_parameters_clearly(demo_site, anonymous, params, status):
    assert anonymous.get("/api/v1/search", {"q": "x", **params}).status_code == status


@pytest.mark.parametrize("query", ["", "((((", "- - -", "x" * 1500])
def test_api_never_fails_on_odd_queries(demo_site, anonymous, query):
    assert anonymous.get("/api/v1/search", {"q": query}).status_code == 200
