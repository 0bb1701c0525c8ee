"""Public results and the report screens in a real browser: both languages, axe-core,
right-to-left in Arabic, nothing asked of another host, no CSP error, no JavaScript needed."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tawasul.core.tests.test_browser import axe_violations

pytestmark = [
    pytest.mark.usefixtures("pdf_renderer"),
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def self_contained(page, live_server) -> None:
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []
    assert [e for e in page.watch.console_errors if "Content Security Policy" in e] == []


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_results_page_is_accessible_direction_correct_and_self_contained(
    demo_site, live_server, browser_page, language, direction, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(f"{live_server.url}/{language}/results/")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "dir") == direction
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("svg.poll-chart").count() >= 1
    assert page.locator(".results-card").count() >= 2  # the closed issue and the closed poll
    # Bars grow from the reading direction's start: from the right in Arabic.
    track = page.locator("svg.poll-chart rect.poll-chart__track").first.bounding_box()
    bar = page.locator("svg.poll-chart rect.poll-chart__bar").first.bounding_box()
    if direction == "rtl":
        assert abs((bar["x"] + bar["width"]) - (track["x"] + track["width"])) < 2
    else:
        assert abs(bar["x"] - track["x"]) < 2
    assert axe_violations(page) == []
    self_contained(page, live_server)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_outcome_page_without_javascript(demo_site, live_server, browser, language):
    from tawasul.discussions import demo
    from tawasul.discussions.models import DiscussionIssue

    issue = DiscussionIssue.objects.get(
        translation_key=demo.CLOSED_KEY, locale__language_code=language
    )
    context = browser.new_context(java_script_enabled=False, locale=language)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/{language}/results/")
        page.locator(f"a[href='/{language}/results/issues/{issue.pk}/']").first.click()
        page.wait_for_url(f"**/{language}/results/issues/{issue.pk}/")
        assert page.locator("h1").inner_text() == issue.title
        assert issue.what_we_will_do[:20] in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_outcome_page_is_axe_clean(demo_site, live_server, browser_page, language):
    from tawasul.discussions import demo
    from tawasul.discussions.models import DiscussionIssue

    issue = DiscussionIssue.objects.get(
        translation_key=demo.CLOSED_KEY, locale__language_code=language
    )
    page = browser_page
    page.goto(f"{live_server.url}/{language}/results/issues/{issue.pk}/")
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    self_contained(page, live_server)


def test_an_analyst_requests_a_report_and_downloads_it_without_javascript(
    demo_site, live_server, browser
):
    from conftest import PASSWORD, UserFactory

    UserFactory(email="analyst@example.org", roles=["analyst"])
    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("#id_username").fill("analyst@example.org")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("button[type=submit]").first.click()
        page.wait_for_url(f"{live_server.url}/admin/")
        page.goto(f"{live_server.url}/admin/insights/reports/")
        assert page.get_attribute("html", "dir") == "rtl"
        page.locator("input[name=kind][value=period]").check()
        page.locator("button[type=submit].button").last.click()
        page.wait_for_url("**/admin/insights/reports/**")
        link = page.locator("a[href$='/pdf/']").first
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename.startswith("report-period-")
        assert download.suggested_filename.endswith("-ar.pdf")
    finally:
        context.close()


def test_the_reports_screen_with_javascript_is_self_contained(demo_site, live_server, browser_page):
    from conftest import PASSWORD, UserFactory

    UserFactory(email="analyst@example.org", roles=["analyst"])
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("analyst@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/insights/reports/")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "dir") == "rtl"
    # Before the error: Wagtail's message banner fades in, and axe may catch it half drawn.
    assert axe_violations(page) == []
    page.locator("input[name=kind][value=poll]").check()
    with page.expect_navigation():
        page.locator("button[type=submit].button").last.click()  # no poll chosen
    page.locator(".error-message").first.wait_for()
    assert page.locator(".error-message").count() == 1
    self_contained(page, live_server)
