"""Searching in a real browser: from the header box, with and without JavaScript."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tawasul.core.tests.test_browser import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    "path",
    [
        "/ar/search/",
        "/ar/search/?q=%D8%AC%D9%88%D8%A7%D8%B2+%D8%A7%D9%84%D8%B3%D9%81%D8%B1",
        "/ar/search/?q=%D8%A7%D9%84%D8%AF%D8%AE%D9%84%D9%8A%D8%A9",
        "/en/search/?q=passport&lang=all",
    ],
)
@pytest.mark.parametrize("width", [360, 1280])
def test_search_pages_are_accessible_and_self_contained(
    demo_site, live_server, browser_page, path, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto(f"{live_server.url}{path}").status == 200
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "dir") == ("rtl" if path.startswith("/ar/") else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []


def test_a_mistyped_search_is_corrected_by_one_click(demo_site, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/")
        page.get_by_role("searchbox", name="البحث في الموقع").fill("الدخلية")
        page.get_by_role("search").get_by_role("button", name="بحث").click()
        page.wait_for_url("**/ar/search/?q=*")
        assert "إذا لم تجد ما تبحث عنه" in page.locator("main").inner_text()
        page.locator(".search-suggestion").get_by_role("link", name="الداخلية").click()
        page.wait_for_url("**/ar/search/?q=*")
        assert page.locator(".search-result").count() >= 2
        assert page.locator(".search-result mark").first.inner_text() == "الداخلية"
    finally:
        context.close()
