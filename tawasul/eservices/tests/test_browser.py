"""The e-services directory in a real browser: filters without JavaScript, axe-core clean."""

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
        "/ar/eservices/",
        "/en/eservices/",
        "/ar/eservices/?audience=companies",
        "/ar/eservices/renew-passport/",
        "/en/eservices/renew-passport/",
    ],
)
@pytest.mark.parametrize("width", [360, 1280])
def test_service_pages_are_accessible_and_self_contained(
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


def test_citizen_finds_a_service_by_filtering_without_javascript(demo_site, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/eservices/")
        page.get_by_label("الفئات المستفيدة").select_option("visitors")
        page.get_by_label("الإدارة").select_option("passports")
        page.get_by_role("button", name="اعرض").click()
        page.wait_for_url("**/ar/eservices/?*audience=visitors*")
        assert page.get_by_role("status").inner_text() == "خدمة واحدة"
        page.get_by_role("link", name="طلب تأشيرة زيارة").click()
        page.wait_for_url("**/ar/eservices/visit-visa/")
        assert page.get_by_role("heading", level=1).inner_text() == "طلب تأشيرة زيارة"
    finally:
        context.close()
