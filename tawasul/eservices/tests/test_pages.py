"""The e-services directory: filters, service pages, structured data, constant queries."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError

from tawasul.eservices.models import ServiceIndexPage, ServicePage

pytestmark = pytest.mark.django_db


def _slugs(response) -> list[str]:
    return sorted(service.slug for service in response.context["services"])


def test_directory_lists_every_service_in_each_language(demo_site, anonymous):
    for language in ("ar", "en"):
        response = anonymous.get(f"/{language}/eservices/")
        assert response.status_code == 200
        assert len(response.context["services"]) == 10
    assert "10 services" in anonymous.get("/en/eservices/").content.decode()
    assert 'href="/ar/eservices/"' in anonymous.get("/ar/").content.decode()


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        (
            {"category": "traffic-vehicles"},
            ["renew-driving-licence", "traffic-fines", "vehicle-registration"],
        ),
        ({"audience": "visitors"}, ["lost-document", "traffic-fines", "visit-visa"]),
        ({"department": "civil-defence"}, ["fire-safety-certificate"]),
        (
            {"audience": "companies", "category": "safety"},
            ["fire-safety-certificate", "public-event-permit"],
        ),
        ({"audience": "companies", "department": "traffic"}, ["vehicle-registration"]),
        ({"category": "no-such"}, []),
    ],
)
def test_directory_filters_by_category_audience_and_department(demo_site, anonymous, query, slugs):
    assert _slugs(anonymous.get("/ar/eservices/", query)) == slugs


@pytest.mark.parametrize(
    "query",
    [
        {"category": "<script>alert(1)</script>"},
        {"audience": "x" * 5000},
        {"department": "' OR 1=1 --"},
    ],
)
def test_odd_filters_show_nothing_rather_than_an_error(demo_site, anonymous, query):
    response = anonymous.get("/ar/eservices/", query)
    assert response.status_code == 200
    assert response.context["services"] == []
    assert "<script>alert" not in response.content.decode()
    assert "لا توجد خدمة تطابق هذه الاختيارات" in response.content.decode()


def test_a_service_page_says_who_what_how_much_how_long_and_where(demo_site, anonymous):
    html = anonymous.get("/ar/eservices/renew-passport/").content.decode()
    for text in (
        "تجديد جواز السفر",
        "المواطنون",  # who it is for
        "200 ريال",  # fees
        "5 أيام عمل",  # processing time
        "الإدارة العامة للجوازات",  # the responsible department
        "ارفع صورة شخصية حديثة",  # a step
        "جواز السفر الحالي",  # a required document
        "مركز الخدمات الرئيسي",  # where to apply in person
        'href="https://eservices.example.gov/renew-passport"',  # and online
    ):
        assert text in html, text


def test_a_service_with_several_audiences_lists_them_as_a_sentence(demo_site, anonymous):
    arabic = anonymous.get("/ar/eservices/police-clearance/").content.decode()
    assert "المقيمون، المواطنون" in arabic  # alphabetical, with the Arabic comma
    english = anonymous.get("/en/eservices/police-clearance/").content.decode()
    assert "Citizens, Residents" in english


def test_service_page_carries_government_service_json_ld(demo_site, anonymous):
    html = anonymous.get("/en/eservices/renew-passport/").content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "GovernmentService"
    assert data["provider"]["department"]["name"] == "General Directorate of Passports"
    assert data["audience"] == [{"@type": "Audience", "audienceType": "Citizens"}]
    assert {channel.get("serviceUrl") for channel in data["availableChannel"]} >= {
        "https://eservices.example.gov/renew-passport"
    }


def test_language_switch_leads_to_the_same_service(demo_site, anonymous):
    html = anonymous.get("/ar/eservices/visit-visa/").content.decode()
    assert 'href="/en/eservices/visit-visa/" lang="en"' in html


def test_a_start_address_that_is_not_https_is_refused(demo_site):
    index = ServiceIndexPage.objects.get(locale__language_code="ar")
    service = ServicePage(
        title="خدمة",
        slug="insecure",
        summary="ملخص",
        start_url="http://example.org/x",
        locale=index.locale,
    )
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert "start_url" in refused.value.message_dict


def test_directory_queries_do_not_grow_with_services(
    demo_site, anonymous, django_assert_max_num_queries
):
    anonymous.get("/ar/eservices/")
    with django_assert_max_num_queries(30) as few:
        anonymous.get("/ar/eservices/")
    budget = len(few)  # counted now: the query log is bounded; the work below rolls it over
    index = ServiceIndexPage.objects.get(locale__language_code="ar")
    model = ServicePage.objects.get(slug="renew-passport", locale=index.locale)
    for n in range(8):
        service = ServicePage(
            title=f"خدمة {n}", slug=f"service-{n}", summary="ملخص", department=model.department
        )
        index.add_child(instance=service)
        service.audiences.set(model.audiences.all())
        service.save_revision().publish()
    anonymous.get("/ar/eservices/")  # publishing starts a new cache generation: warm it again
    with django_assert_max_num_queries(budget):
        response = anonymous.get("/ar/eservices/")
    assert len(response.context["services"]) == 18
