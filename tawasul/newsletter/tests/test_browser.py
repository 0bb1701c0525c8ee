"""Subscribing and unsubscribing in a real browser, in both languages: the footer and the
full form, the confirmation link, the preferences page and its unsubscribe button; axe-core
on every page and no request to another host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tawasul.core.tests.test_browser import axe_violations
from tawasul.newsletter.models import Subscriber

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def checked(page, live_server) -> None:
    assert axe_violations(page) == []
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize("language", ["ar", "en"])
def test_subscribe_confirm_and_unsubscribe_in_the_browser(
    demo_site, live_server, browser_page, settings, language
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = browser_page
    page.goto(f"{live_server.url}/{language}/newsletter/")
    checked(page, live_server)
    page.fill("#id_email", "Reader@Example.org")
    page.locator("input[name=topics]").first.check()
    page.locator("form.newsletter-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/newsletter/requested/"))
    checked(page, live_server)
    person = Subscriber.objects.get(email_key="reader@example.org")
    assert person.state == "pending"
    link = re.search(r"https?://\S+/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + path_of(link))
    checked(page, live_server)
    page.locator("main button[type=submit]").click()
    # The link is absolute (TAWASUL_BASE_URL); follow it on the test server.
    preferences = page.locator("main a[href*='/preferences/']").get_attribute("href")
    page.goto(live_server.url + path_of(preferences))
    checked(page, live_server)
    person.refresh_from_db()
    assert person.state == "active"
    page.locator("main form[action*='/unsubscribe/'] button").click()
    page.wait_for_url(re.compile(r"/unsubscribe/"))
    checked(page, live_server)
    person.refresh_from_db()
    assert person.state == "unsubscribed"


def test_the_footer_form_subscribes_from_the_home_page(demo_site, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/ar/")
    checked(page, live_server)
    page.fill("#footer-newsletter-email", "footer@example.org")
    page.locator(".newsletter-footer-form button").click()
    page.wait_for_url(re.compile(r"/newsletter/requested/"))
    assert Subscriber.objects.get().language == "ar"
