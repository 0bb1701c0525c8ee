"""Staff edit every kind of content in the Wagtail admin, and bad input is explained."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Page

from tawasul.eservices.models import ServicePage
from tawasul.news.models import (
    AwarenessMaterialPage,
    EventIndexPage,
    EventPage,
    NewsArticlePage,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [NewsArticlePage, EventPage, AwarenessMaterialPage, ServicePage])
def test_every_page_type_opens_in_the_editor(demo_site, admin, model):
    page = model.objects.filter(locale__language_code="ar").first()
    response = admin.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.parametrize(
    "snippet",
    [
        "core/department",
        "news/newscategory",
        "news/awarenesscampaign",
        "eservices/servicecategory",
        "eservices/serviceaudience",
    ],
)
def test_shared_lists_are_managed_as_snippets(demo_site, admin, snippet):
    assert admin.get(f"/admin/snippets/{snippet}/").status_code == 200


def _event_form(**changes) -> dict:
    data = {
        "title": "ندوة السلامة",
        "slug": "safety-seminar",
        "summary": "",
        "start_at": "2030-01-10 10:00",
        "end_at": "2030-01-10 12:00",
        "status": "scheduled",
        "location_name": "القاعة الكبرى",
        "location_address": "",
        "online_url": "",
        "registration_url": "",
        "lead_image_alt": "",
        "body-count": "0",
        "action-publish": "publish",
    }
    data.update(changes)
    return data


def test_an_administrator_publishes_an_event_from_the_admin(demo_site, admin):
    index = EventIndexPage.objects.get(locale__language_code="ar")
    url = reverse("wagtailadmin_pages:add", args=["news", "eventpage", index.pk])
    response = admin.post(url, _event_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug="safety-seminar")
    assert event.live
    assert "ندوة السلامة" in admin.get("/ar/events/").content.decode()


def test_an_event_ending_before_it_starts_is_refused_with_the_reason(demo_site, admin):
    index = EventIndexPage.objects.get(locale__language_code="ar")
    url = reverse("wagtailadmin_pages:add", args=["news", "eventpage", index.pk])
    before = Page.objects.count()
    response = admin.post(url, _event_form(end_at="2030-01-09 12:00"))
    assert response.status_code == 200
    assert "لا يمكن أن تنتهي الفعالية قبل أن تبدأ" in response.content.decode()
    assert Page.objects.count() == before


def test_an_editor_can_only_submit_for_approval(demo_site, editor):
    index = EventIndexPage.objects.get(locale__language_code="ar")
    url = reverse("wagtailadmin_pages:add", args=["news", "eventpage", index.pk])
    form = _event_form()
    del form["action-publish"]
    form["action-submit"] = "submit"
    response = editor.post(url, form)
    assert response.status_code == 302
    event = EventPage.objects.get(slug="safety-seminar")
    assert not event.live
    assert event.current_workflow_state is not None
