"""Campaigns in the Wagtail admin: compose, preview, test send, start, pause, cancel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tawasul.newsletter.models import Campaign
from tawasul.newsletter.tests.conftest import campaign as make_campaign
from tawasul.newsletter.tests.conftest import subscriber

pytestmark = pytest.mark.django_db


def admin_url(name, pk, *args):
    return reverse(f"newsletter_admin:{name}", args=[pk, *args])


def test_an_editor_composes_a_campaign_in_both_languages(editor):
    response = editor.get(reverse("newsletter_campaign:add"))
    assert response.status_code == 200
    assert "subject_en" in response.content.decode()
    assert editor.get(reverse("newsletter_campaign:index")).status_code == 200


def test_preview_shows_each_language_version(editor):
    campaign = make_campaign()
    arabic = editor.get(admin_url("preview", campaign.pk, "ar")).content.decode()
    english = editor.get(admin_url("preview", campaign.pk, "en")).content.decode()
    assert 'dir="rtl"' in arabic and "تحقق من عنوان المرسل" in arabic
    assert 'dir="ltr"' in english and "Check the sender" in english


def test_test_send_goes_to_the_address_given_and_records_nothing(editor, mailoutbox):
    campaign = make_campaign()
    response = editor.post(
        admin_url("test_send", campaign.pk), {"email": "me@moi.example", "language": "en"}
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["me@moi.example"]
    assert not campaign.deliveries.exists()
    editor.post(admin_url("test_send", campaign.pk), {"email": "nope"})
    assert len(mailoutbox) == 1


def test_lifecycle_from_the_campaign_screen_and_illegal_steps_refused(editor):
    subscriber("huda@example.org")
    campaign = make_campaign()
    assert editor.get(admin_url("detail", campaign.pk)).status_code == 200
    editor.post(admin_url("pause", campaign.pk))  # a draft cannot be paused
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT
    editor.post(admin_url("schedule", campaign.pk), {"when": "2099-01-01T10:00"})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SCHEDULED
    editor.post(admin_url("cancel", campaign.pk))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CANCELLED
    editor.post(admin_url("start", campaign.pk))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CANCELLED
    progress = editor.get(admin_url("progress", campaign.pk)).json()
    assert progress["total"] == 0


def test_starting_twice_freezes_the_audience_once(editor, django_capture_on_commit_callbacks):
    subscriber("huda@example.org")
    subscriber("sam@example.org")
    campaign = make_campaign()
    editor.post(admin_url("start", campaign.pk))
    editor.post(admin_url("start", campaign.pk))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.RUNNING
    assert campaign.audience_size == 2
    assert campaign.deliveries.count() == 2


def test_citizens_cannot_reach_campaign_screens(citizen):
    campaign = make_campaign()
    response = citizen.get(admin_url("detail", campaign.pk))
    assert response.status_code in (302, 403)
