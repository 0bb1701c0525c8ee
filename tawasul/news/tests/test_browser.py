"""News pages in a real browser: axe-core clean, direction right, nothing from another host."""

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
        "/ar/news/",
        "/en/news/",
        "/ar/news/ministry-on-social-media/",
        "/en/news/ministry-on-social-media/",
        "/ar/news/?category=awareness",
    ],
)
def test_news_pages_are_accessible_and_self_contained(demo_site, live_server, browser_page, path):
    page = browser_page
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    language = path.split("/")[1]
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert axe_violations(page) == []
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []


def test_reader_goes_from_the_list_to_an_article_and_back(demo_site, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/ar/")
    page.get_by_role("navigation", name="القائمة الرئيسية").get_by_role(
        "link", name="الأخبار"
    ).click()
    page.wait_for_url(f"{live_server.url}/ar/news/")
    page.get_by_role("link", name="الداخلية تتواصل مع الجمهور على شبكات التواصل الاجتماعي").click()
    page.wait_for_url("**/ar/news/ministry-on-social-media/")
    assert "21 سبتمبر 2011" in page.locator(".article__date").inner_text()
    page.get_by_role("link", name="#يوتيوب").click()
    page.wait_for_url("**/ar/news/?tag=*")
    assert page.locator(".article-card").count() == 1
