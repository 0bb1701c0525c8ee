"""E-services in the public API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_list_gives_the_directory_with_translations(demo_site, anonymous):
    body = anonymous.get("/api/v1/services", {"lang": "en"}).json()
    assert body["count"] == 10
    passport = next(item for item in body["results"] if item["slug"] == "renew-passport")
    assert passport["department"] == {
        "slug": "passports",
        "name": "General Directorate of Passports",
    }
    assert passport["audiences"] == [{"slug": "citizens", "name": "Citizens"}]
    assert passport["translations"] == [
        {"lang": "ar", "url": "http://testserver/ar/eservices/renew-passport/"}
    ]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"lang": "ar", "category": "traffic-vehicles"}, 3),
        ({"lang": "ar", "audience": "companies"}, 5),
        ({"lang": "en", "department": "documents"}, 2),
        ({"category": "no-such"}, 0),
    ],
)
def test_list_filters(demo_site, anonymous, query, count):
    assert anonymous.get("/api/v1/services", query).json()["count"] == count


def test_detail_has_steps_documents_and_channels(demo_site, anonymous):
    listing = anonymous.get("/api/v1/services", {"lang": "ar"}).json()["results"]
    service_id = next(item["id"] for item in listing if item["slug"] == "renew-passport")
    detail = anonymous.get(f"/api/v1/services/{service_id}").json()
    assert detail["steps"][0]["title"] == "سجّل الدخول بالهوية الرقمية"
    assert detail["required_documents"][0]["name"] == "جواز السفر الحالي"
    assert {channel["kind"] for channel in detail["channels"]} == {"online", "centre"}


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"lang": "fr"}, 422),
        ({"page": 0}, 422),
        ({"page_size": 1000}, 422),
        ({"category": "x" * 81}, 422),
    ],
)
def test_bad_queries_get_a_clear_error(demo_site, anonymous, query, status):
    assert anonymous.get("/api/v1/services", query).status_code == status


def test_unknown_service_is_404(demo_site, anonymous):
    assert anonymous.get("/api/v1/services/999999").status_code == 404
