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
        "/ar/events/",
        "/en/events/",
        "/ar/events/past/",
        "/ar/events/online-fraud-lecture/",
        "/en/events/traffic-safety-exhibition/",
        "/ar/awareness/",
        "/en/awareness/?kind=poster",
        "/ar/awareness/never-share-your-code/",
        "/ar/awareness/phishing-explained-video/",
        "/en/awareness/family-digital-safety-guide/",
    ],
)
@pytest.mark.parametrize("width", [360, 1280])
def test_news_pages_are_accessible_and_self_contained(
    demo_site, live_server, browser_page, path, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    language = path.split("/")[1]
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []
    assert not [e for e in page.watch.console_errors if "Content Security Policy" in e]


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


def test_a_video_loads_its_player_only_when_the_visitor_presses_play(
    demo_site, live_server, browser_page
):
    page = browser_page
    page.goto(f"{live_server.url}/ar/awareness/phishing-explained-video/")
    page.wait_for_load_state("networkidle")
    host = urlsplit(live_server.url).hostname
    assert page.watch.foreign_requests(host) == []
    assert page.locator("iframe").count() == 0
    page.get_by_role("button", name="شغّل هنا (يُحمَّل من YouTube)").click()
    player = page.locator("iframe.video__player")
    player.wait_for(state="attached")
    assert player.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    assert player.get_attribute("title") == "فيديو: كيف تكشف رسالة احتيالية في دقيقة"
    # The only other host ever asked is the player's, and only after the click.
    assert {urlsplit(url).hostname for url in page.watch.foreign_requests(host)} <= {
        "www.youtube-nocookie.com"
    }


def test_without_javascript_a_video_is_a_link_to_watch_it(demo_site, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/awareness/phishing-explained-video/")
        assert page.get_by_role("button", name="شغّل هنا (يُحمَّل من YouTube)").count() == 0
        link = page.get_by_role("link", name="شاهد على YouTube (يفتح في نافذة جديدة)")
        assert link.get_attribute("href") == "https://www.youtube.com/watch?v=Tawasul0001"
    finally:
        context.close()


def test_visitor_adds_an_event_to_the_calendar(demo_site, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Awareness lecture: protect yourself from online fraud").click()
    page.wait_for_url("**/en/events/online-fraud-lecture/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert "BEGIN:VEVENT" in download.value.path().read_text(encoding="utf-8")
