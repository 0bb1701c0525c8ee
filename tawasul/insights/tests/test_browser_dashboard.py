"""The dashboard in Chromium as an analyst, in Arabic and English: accessible (axe-core),
the right direction, the chart mirrored, the term links working, no request to another
host."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from conftest import PASSWORD
from tawasul.core.tests.test_browser import axe_violations
from tawasul.insights import services
from tawasul.insights.tests.conftest import Make

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_an_analyst_reads_the_dashboard_in_both_languages(
    demo_site, live_server, browser_page, user_factory, language, direction
):
    from wagtail.users.models import UserProfile

    analyst = user_factory(email="analyst@example.org", roles=["analyst"])
    profile = UserProfile.get_for_user(analyst)
    profile.preferred_language = language
    profile.save()
    make = Make()
    day = dt.date(2019, 3, 4)
    for _ in range(3):
        make.comment(day, "حديقة الحي تحتاج إلى صيانة")
    make.comment(day + dt.timedelta(days=1), "the park needs repairs", language="en")
    services.rollup_days(start=day, end=day + dt.timedelta(days=1))

    page = browser_page
    sign_in(page, live_server, "analyst@example.org")
    page.goto(f"{live_server.url}/admin/insights/?from=2019-03-01&to=2019-03-31&granularity=day")
    assert page.locator("html").get_attribute("dir") == direction
    chart = page.locator("figure.insights-chart svg").first
    assert chart.get_attribute("direction") == direction
    assert page.locator("#table-participation tbody tr").count() == 31
    assert axe_violations(page) == []
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []

    page.locator("#table-terms-comments-words a", has_text="حديقه").first.click()
    page.wait_for_load_state()
    assert page.locator("table.listing tbody tr").count() == 3
    assert axe_violations(page) == []
