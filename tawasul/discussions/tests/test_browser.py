"""The voting flow in a real browser, with and without JavaScript, in both languages; axe-core
on the issue, index and report pages; no request to another host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tawasul.core.tests.test_browser import answer_to, axe_violations
from tawasul.discussions import demo
from tawasul.discussions.models import DiscussionIssue, Vote

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def quick_proof(settings):
    settings.TAWASUL_POW_MAX_NUMBER = 5_000


def demo_issue(language: str) -> DiscussionIssue:
    return DiscussionIssue.objects.get(translation_key=demo.KEY, locale__language_code=language)


def votes() -> int:
    return Vote.objects.filter(issue_key=demo.KEY).count()


def shown(page) -> str:
    return page.locator("input[name=statement]").get_attribute("value")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_with_javascript_visitor_votes_one_statement_after_another(
    demo_site, live_server, browser_page, quick_proof, language
):
    page = browser_page
    issue = demo_issue(language)
    before = votes()
    page.goto(f"{live_server.url}/{language}/discussions/{issue.pk}/")
    assert axe_violations(page) == []
    first = shown(page)
    # Focusing the form starts the proof of work; once solved, the question goes away.
    page.locator("button[value=agree]").focus()
    page.locator(".human-check__question").wait_for(state="hidden")
    page.locator("button[value=agree]").click()
    page.locator(".message--success").wait_for()
    second = shown(page)
    assert second != first
    # the browser is a participant now: no second human check
    assert page.locator(".human-check").count() == 0
    with page.expect_navigation():
        page.locator("button[value=pass]").click()
    assert votes() == before + 2
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{language}/discussions/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{language}/discussions/{issue.pk}/report/")
    assert page.locator("svg.opinion-map__svg").count() == 1
    assert page.locator(".opinion-group").count() >= 2
    assert axe_violations(page) == []
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []


def test_without_javascript_the_question_replaces_the_proof_of_work(
    demo_site, live_server, browser
):
    issue = demo_issue("ar")
    before = votes()
    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/discussions/{issue.pk}/")
        page.locator("#id_human_answer").fill(answer_to(page.locator("label[for=id_human_answer]")))
        page.locator("button[value=disagree]").click()
        page.locator(".message--success").wait_for()
        assert votes() == before + 1
    finally:
        context.close()
