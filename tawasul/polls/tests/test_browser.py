"""Polls in a real browser: voting in both languages with and without JavaScript (with it,
without a reload, also from the home page widget), axe-core on every poll page, and no
request to another host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tawasul.core.tests.test_browser import answer_to, axe_violations
from tawasul.polls.models import Poll, Vote

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def quick_proof(settings):
    settings.TAWASUL_POW_MAX_NUMBER = 5_000  # the browser's proof of work stays short


def demo_poll(language: str, *, open_: bool) -> Poll:
    now = timezone.now()
    polls = Poll.objects.filter(locale__language_code=language)
    return polls.get(closes_at__gt=now) if open_ else polls.get(closes_at__lte=now)


def votes(poll: Poll) -> int:
    return Vote.objects.filter(poll_key=poll.translation_key).count()


def self_contained(page, live_server) -> None:
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []
    assert [e for e in page.watch.console_errors if "Content Security Policy" in e] == []


@pytest.mark.parametrize(
    ("language", "thanks"), [("ar", "شكرًا"), ("en", "Thank you: your vote is counted.")]
)
def test_with_javascript_a_vote_is_counted_without_reloading_the_page(
    demo_site, live_server, browser_page, quick_proof, language, thanks
):
    page = browser_page
    poll = demo_poll(language, open_=True)
    before = votes(poll)
    page.goto(f"{live_server.url}/{language}/polls/{poll.pk}/")
    assert page.locator("svg.poll-chart").count() == 0  # results after voting
    page.evaluate("window.stillTheSamePage = true")
    page.locator(".poll-option label").nth(1).click()
    # The proof of work is solved in the background; the question goes away.
    page.locator(".human-check__question").wait_for(state="hidden")
    page.locator("form.poll-form button[type=submit]").click()
    page.locator("[data-poll-status]").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    status = page.locator("[data-poll-status]").inner_text()
    assert thanks in status
    assert page.locator("svg.poll-chart").count() == 1
    assert page.locator("table.poll-table").count() == 1
    assert page.locator(".poll-results__title").inner_text().strip() != ""
    assert votes(poll) == before + 1
    assert page.evaluate("document.activeElement.hasAttribute('data-poll-status')")
    assert axe_violations(page) == []
    self_contained(page, live_server)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_without_javascript_a_vote_is_counted_after_answering_the_question(
    demo_site, live_server, browser, language
):
    poll = demo_poll(language, open_=True)
    before = votes(poll)
    context = browser.new_context(java_script_enabled=False, locale=language)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/{language}/polls/{poll.pk}/")
        page.locator(".poll-option label").first.click()
        page.locator("#id_human_answer").fill(answer_to(page.locator("label[for=id_human_answer]")))
        page.locator("form.poll-form button[type=submit]").click()
        page.wait_for_url(f"**/{language}/polls/{poll.pk}/")
        assert page.locator(".message--success").count() == 1
        assert page.locator("table.poll-table").count() == 1
        assert votes(poll) == before + 1
        # A second try from the same browser changes the vote (this poll allows it).
        page.locator(".poll-option label").nth(2).click()
        page.locator("#id_human_answer").fill(answer_to(page.locator("label[for=id_human_answer]")))
        page.locator("form.poll-form button[type=submit]").click()
        page.wait_for_url(f"**/{language}/polls/{poll.pk}/")
        assert votes(poll) == before + 1
    finally:
        context.close()


def test_without_javascript_a_wrong_answer_is_explained_and_nothing_counted(
    demo_site, live_server, browser
):
    poll = demo_poll("en", open_=True)
    before = votes(poll)
    context = browser.new_context(java_script_enabled=False, locale="en")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/polls/{poll.pk}/")
        page.locator(".poll-option label").first.click()
        page.locator("#id_human_answer").fill("1000")
        page.locator("form.poll-form button[type=submit]").click()
        assert "not right" in page.locator(".form-errors").inner_text()
        assert votes(poll) == before
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_voting_from_the_home_page_widget(
    demo_site, live_server, browser_page, quick_proof, language
):
    page = browser_page
    poll = demo_poll(language, open_=True)
    before = votes(poll)
    page.goto(f"{live_server.url}/{language}/")
    widget = page.locator(".home-poll")
    # The cached page has no form; the script fetches the live one into the widget.
    widget.locator("form.poll-form").wait_for()
    page.evaluate("window.stillTheSamePage = true")
    widget.locator(".poll-option label").first.click()
    widget.locator(".human-check__question").wait_for(state="hidden")
    widget.locator("button[type=submit]").click()
    widget.locator("[data-poll-status]").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert widget.locator("svg.poll-chart").count() == 1
    assert votes(poll) == before + 1
    assert axe_violations(page) == []
    self_contained(page, live_server)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_poll_pages_are_accessible_and_self_contained(
    demo_site, live_server, browser_page, language
):
    page = browser_page
    direction = "rtl" if language == "ar" else "ltr"
    paths = [
        f"/{language}/polls/",
        f"/{language}/polls/{demo_poll(language, open_=True).pk}/",
        f"/{language}/polls/{demo_poll(language, open_=False).pk}/",
        f"/{language}/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.get_attribute("html", "dir") == direction
        assert axe_violations(page) == [], path
    # The closed poll's chart is drawn for the page's direction.
    page.goto(f"{live_server.url}{paths[2]}")
    assert page.get_attribute("svg.poll-chart", "direction") == direction
    self_contained(page, live_server)


def test_the_poll_page_fits_a_phone(demo_site, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 800})
    for open_ in (True, False):
        page.goto(f"{live_server.url}/ar/polls/{demo_poll('ar', open_=open_).pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_staff_edit_a_poll_and_see_its_results_in_the_arabic_admin(
    demo_site, live_server, browser_page
):
    from conftest import PASSWORD
    from tawasul.accounts.models import User

    User.objects.create_superuser(email="staff@example.org", password=PASSWORD)
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("staff@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")
    poll = demo_poll("ar", open_=True)
    page.goto(f"{live_server.url}/admin/snippets/polls/poll/edit/{poll.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("#id_question").input_value() == poll.question
    # The choices' inline panel works: started by Tawasul's script, not an inline one.
    labels = page.locator("input[name^=choices-][name$=-label]")
    assert labels.count() == poll.choices.count()
    assert labels.first.input_value() == poll.choices.first().label
    page.locator("#id_choices-ADD").click()
    assert labels.count() == poll.choices.count() + 1
    page.goto(f"{live_server.url}/admin/polls_admin/results/{demo_poll('ar', open_=False).pk}/")
    assert page.locator("svg.poll-chart").count() == 1
    self_contained(page, live_server)
