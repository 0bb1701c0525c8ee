"""Signing up (double opt-in), preferences by signed link, unsubscribe, export and erase."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from tawasul.newsletter import services, tokens
from tawasul.newsletter.models import Delivery, Subscriber, Suppression, email_hash
from tawasul.newsletter.tests.conftest import campaign as make_campaign
from tawasul.newsletter.tests.conftest import subscriber

pytestmark = pytest.mark.django_db


def url(name, language="ar", **kwargs):
    with translation.override(language):
        return reverse(f"newsletter:{name}", kwargs=kwargs)


def sign_up(client, email="Huda@Example.org", language="ar", **extra):
    # Mails leave after the commit: run those callbacks inside the test's transaction.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url("subscribe"), {"email": email, "language": language, **extra})


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_sends_a_confirmation_in_the_chosen_language_and_confirming_activates(
    anonymous, topic
):
    response = sign_up(anonymous, language="en", topics=[topic.pk])
    assert response.status_code == 302
    person = Subscriber.objects.get()
    assert person.state == Subscriber.State.PENDING
    assert person.email_key == "huda@example.org"
    assert list(person.topics.all()) == [topic]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Confirm your subscription to the newsletter"
    confirm = link_in(mail.outbox[0])
    path = confirm.split("://", 1)[1].split("/", 1)[1]
    assert anonymous.get("/" + path).status_code == 200  # GET only shows a button
    assert Subscriber.objects.get().state == Subscriber.State.PENDING
    response = anonymous.post("/" + path)
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.state == Subscriber.State.ACTIVE
    assert person.confirmed_at is not None


def test_confirmation_mail_echoes_nothing_the_requester_typed(anonymous):
    sign_up(anonymous, email="<script>x</script>@example.org")
    sign_up(anonymous, email="evil.spammer.buy.now@example.org", name="Buy now at spam.example")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "evil" not in message.body and "spam.example" not in message.body
    assert "Buy" not in message.subject


def test_same_address_differing_by_case_is_one_subscriber(anonymous):
    sign_up(anonymous, email="Huda@Example.org")
    sign_up(anonymous, email="huda@EXAMPLE.org")
    assert Subscriber.objects.count() == 1


def test_sign_up_is_limited_per_address_and_per_ip(anonymous):
    for _ in range(services.REQUESTS_PER_ADDRESS):
        assert sign_up(anonymous).status_code == 302
    response = sign_up(anonymous)
    assert response.status_code == 429
    assert len(mail.outbox) == services.REQUESTS_PER_ADDRESS
    for n in range(services.REQUESTS_PER_IP - services.REQUESTS_PER_ADDRESS - 1):
        sign_up(anonymous, email=f"p{n}@example.org")
    assert sign_up(anonymous, email="last@example.org").status_code == 429
    assert not Subscriber.objects.filter(email_key="last@example.org").exists()


def test_honeypot_filled_looks_fine_and_records_nothing(anonymous):
    response = sign_up(anonymous, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_invalid_address_gets_a_clear_message(anonymous):
    response = sign_up(anonymous, email="not an address")
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    response = sign_up(anonymous, email="a\u200b@example.org")
    assert response.status_code == 400


def test_active_subscriber_is_not_changed_by_someone_typing_their_address(anonymous, topic):
    person = subscriber("huda@example.org")
    sign_up(anonymous, email="huda@example.org", language="en", topics=[topic.pk])
    person.refresh_from_db()
    assert person.language == "ar" and not person.topics.exists()
    assert "/preferences/" in mail.outbox[0].body


def test_expired_or_tampered_confirmation_changes_nothing(anonymous, settings):
    person = subscriber("huda@example.org", state="pending")
    token = tokens.confirm_token(person)
    assert anonymous.post(url("confirm", token=token + "x")).status_code == 400
    settings.NEWSLETTER_CONFIRM_SECONDS = -1
    assert anonymous.post(url("confirm", token=token)).status_code == 400
    person.refresh_from_db()
    assert person.state == Subscriber.State.PENDING


def test_preferences_page_changes_language_and_topics(anonymous, topic):
    person = subscriber("huda@example.org")
    token = tokens.manage_token(person)
    page = anonymous.get(url("manage", token=token))
    assert page.status_code == 200
    assert "huda@example.org" in page.content.decode()
    anonymous.post(url("manage", token=token), {"language": "en", "topics": [topic.pk]})
    person.refresh_from_db()
    assert person.language == "en"
    assert list(person.topics.all()) == [topic]
    assert anonymous.get(url("manage", token=token[:-2] + "zz")).status_code == 404


def test_one_click_post_without_cookie_or_csrf_unsubscribes_and_answers_200(db):
    person = subscriber("huda@example.org")
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        url("unsubscribe", token=tokens.manage_token(person)),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.state == Subscriber.State.UNSUBSCRIBED
    assert Suppression.objects.filter(email_hash=email_hash("huda@example.org")).exists()
    # A second one-click (providers retry) still answers 200.
    again = provider.post(url("unsubscribe", token=tokens.manage_token(person)))
    assert again.status_code == 200


def test_get_on_the_unsubscribe_link_only_shows_a_confirmation_page(anonymous):
    person = subscriber("huda@example.org")
    response = anonymous.get(url("unsubscribe", token=tokens.manage_token(person)))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    person.refresh_from_db()
    assert person.state == Subscriber.State.ACTIVE


def test_a_tampered_unsubscribe_token_changes_nothing(db):
    person = subscriber("huda@example.org")
    other = subscriber("sam@example.org")
    token = tokens.manage_token(person)
    # The other subscriber's id with this subscriber's signature.
    from django.core.signing import b64_encode

    payload = b64_encode(json.dumps([other.pk, 1], separators=(",", ":")).encode()).decode()
    forged = f"{payload}:{token.rsplit(':', 1)[1]}"
    assert forged != token
    response = Client().post(url("unsubscribe", token=forged))
    assert response.status_code == 400
    response = Client().post(url("unsubscribe", token="garbage"))
    assert response.status_code == 400
    assert Subscriber.objects.filter(state="active").count() == 2
    assert not Suppression.objects.exists()


def test_export_gives_the_subscribers_data_and_erase_leaves_only_a_hash(anonymous):
    person = subscriber("huda@example.org")
    campaign = make_campaign()
    Delivery.objects.create(campaign=campaign, subscriber=person, state="sent")
    token = tokens.manage_token(person)
    response = anonymous.post(url("export", token=token))
    data = json.loads(response.content)
    assert data["email"] == "huda@example.org"
    assert data["deliveries"][0]["state"] == "sent"
    anonymous.post(url("erase", token=token))
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().email_hash == email_hash("huda@example.org")
    assert Delivery.objects.get().subscriber is None
    assert anonymous.get(url("manage", token=token)).status_code == 404


def test_the_form_is_in_every_page_footer_and_on_the_home_page(demo_site, anonymous):
    home = anonymous.get("/ar/")
    html = home.content.decode()
    assert 'id="footer-newsletter-email"' in html
    assert "home-newsletter" in html
    assert 'id="footer-newsletter-email"' in anonymous.get(url("subscribe", "en")).content.decode()


def test_pages_with_the_footer_form_stay_in_the_anonymous_page_cache(demo_site, settings):
    """The footer form carries no CSRF token, so it sets no cookie on every page."""
    settings.PAGE_CACHE_SECONDS = 60
    browser = Client(enforce_csrf_checks=True)
    first = browser.get("/ar/")
    assert 'id="footer-newsletter-email"' in first.content.decode()
    assert "csrftoken" not in first.cookies
    response = browser.post(url("subscribe"), {"email": "x@example.org", "language": "ar"})
    assert response.status_code == 302
