"""The home page in a real browser: both languages, phone and desktop, axe-core, no other host."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-results" / "screenshots"


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
@pytest.mark.parametrize("width", [360, 1280])
def test_home_page_is_accessible_direction_correct_and_self_contained(
    demo_site, live_server, browser_page, language, direction, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(f"{live_server.url}/{language}/")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == direction
    # The page fits a phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{language}-{width}.png"), full_page=True)
    if (language, width) == ("ar", 1280):  # `make screenshots` copies it into the README
        page.screenshot(path=str(ARTIFACTS / "readme-home-ar.png"))
    assert axe_violations(page) == []
    host = urlsplit(live_server.url).hostname
    assert page.watch.foreign_requests(host) == []
    assert not [e for e in page.watch.console_errors if "Content Security Policy" in e]


def test_visitor_switches_language_and_stays_on_the_same_page(demo_site, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/ar/privacy/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/privacy/")
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy policy"
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(f"{live_server.url}/ar/privacy/")
    assert page.get_attribute("html", "dir") == "rtl"


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    demo_site, live_server, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/ar/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def answer_to(label) -> str:
    """The answer to the human check's question, as a person would work it out."""
    import re

    first, second = (int(n) for n in re.findall(r"\d+", label.inner_text()))
    return str(first + second)


def test_with_javascript_the_human_check_needs_no_answer(demo_site, live_server, browser_page):
    from django.core import mail

    from conftest import PASSWORD

    page = browser_page
    page.goto(f"{live_server.url}/ar/accounts/signup/")
    page.locator("#id_email").fill("nour@example.org")
    page.locator("#id_display_name").fill("نور")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    # The browser solves the proof of work in the background; the question goes away.
    page.locator(".human-check__question").wait_for(state="hidden")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/accounts/signup/done/")
    assert len(mail.outbox) == 1
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []


def test_citizen_signs_up_and_signs_in_without_javascript(demo_site, live_server, browser):
    from django.core import mail

    from conftest import PASSWORD

    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/accounts/signup/")
        page.get_by_label("البريد الإلكتروني").first.fill("huda@example.org")
        page.locator("#id_display_name").fill("هدى")
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        # Without JavaScript the human check is a question: a small sum.
        page.locator("#id_human_answer").fill(answer_to(page.locator("label[for=id_human_answer]")))
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url("**/accounts/signup/done/")
        assert len(mail.outbox) == 1
        link = next(word for word in mail.outbox[0].body.split() if "/verify/" in word)
        page.goto(live_server.url + urlsplit(link).path)
        page.wait_for_url("**/accounts/login/")
        page.locator("#id_username").fill("huda@example.org")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url("**/accounts/profile/")
        assert "huda@example.org" in page.content()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/ar/accounts/signup/", "/ar/accounts/login/", "/en/about/"])
def test_other_public_pages_are_axe_clean(demo_site, live_server, browser_page, path):
    page = browser_page
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []


def test_staff_sign_in_to_the_admin_in_arabic(demo_site, live_server, browser_page):
    from conftest import PASSWORD
    from tawasul.accounts.models import User

    User.objects.create_superuser(email="staff@example.org", password=PASSWORD)
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("staff@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto(f"{live_server.url}/admin/pages/")
    page.wait_for_load_state("networkidle")
    # The date filters are started by our script, not by a (blocked) inline one.
    assert page.locator(".xdsoft_datetimepicker").count() > 0
    # The page editor, with its publishing schedule (date-time widgets).
    from tawasul.core.models import StandardPage

    about = StandardPage.objects.get(slug="about", locale__language_code="ar")
    page.goto(f"{live_server.url}/admin/pages/{about.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_title").input_value() == about.title
    host = urlsplit(live_server.url).hostname
    assert page.watch.foreign_requests(host) == []
    assert [e for e in page.watch.console_errors if "Content Security Policy" in e] == []
