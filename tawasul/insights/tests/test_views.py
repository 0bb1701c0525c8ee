"""The public results page: closed polls with their results (as the public rule allows),
closed issues with what we heard and what we will do, empty states, and caching."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tawasul.discussions.models import DiscussionIssue
from tawasul.polls.models import Poll

pytestmark = pytest.mark.django_db

DEMO_CLOSED_POLL = "Which e-services should the ministry improve first?"


def test_the_results_page_shows_closed_polls_and_not_open_ones(demo_site, anonymous):
    response = anonymous.get("/en/results/")
    assert response.status_code == 200
    page = response.content.decode()
    assert DEMO_CLOSED_POLL in page
    assert 'class="poll-chart"' in page and 'class="poll-table"' in page
    closed = Poll.objects.get(question=DEMO_CLOSED_POLL)
    assert reverse("polls:detail", args=[closed.pk]) in page
    for poll in Poll.objects.filter(locale__language_code="en", closes_at__gt=timezone.now()):
        assert poll.question not in page


def test_a_poll_closed_in_the_future_or_a_draft_is_not_shown(demo_site, anonymous, poll_factory):
    now = timezone.now()
    poll_factory(question="استطلاع مفتوح", results_visibility=Poll.Visibility.ALWAYS)
    poll_factory(
        question="استطلاع مسودة",
        status=Poll.Status.DRAFT,
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1),
    )
    poll_factory(
        question="استطلاع انتهى",
        results_visibility=Poll.Visibility.AFTER_CLOSING,
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1),
    )
    page = anonymous.get("/ar/results/").content.decode()
    assert "استطلاع انتهى" in page  # closed: its results are public whatever the rule
    assert "استطلاع مفتوح" not in page  # open: its live results belong on its own page
    assert "استطلاع مسودة" not in page


def test_the_visibility_rule_is_asked_for_each_poll(
    demo_site, anonymous, poll_factory, monkeypatch
):
    from tawasul.polls import rules

    now = timezone.now()
    poll_factory(
        question="نتائج محجوبة",
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1),
    )
    asked = []
    original = rules.can_see_results

    def rule(user, poll, *, has_voted):
        asked.append(poll.question)
        return original(user, poll, has_voted=has_voted) and poll.question != "نتائج محجوبة"

    monkeypatch.setattr(rules, "can_see_results", rule)
    page = anonymous.get("/ar/results/").content.decode()
    assert "نتائج محجوبة" in asked
    assert "نتائج محجوبة" not in page


def test_a_closed_issue_shows_what_we_heard_and_what_we_will_do(closed_issue, anonymous):
    page = anonymous.get("/ar/results/").content.decode()
    issue = closed_issue["ar"]
    assert issue.title in page
    assert "ستفتح الوزارة مراكز الخدمة الرئيسة مساءً" in page
    assert "ما سمعناه" in page and "ما سنفعله" in page
    assert 'lang="ar" dir="rtl"' in page
    detail = anonymous.get(reverse("insights:issue", args=[issue.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert issue.what_we_heard.split("،")[0] in text
    assert reverse("discussions:report", args=[issue.pk]) in text


def test_an_open_issue_has_no_outcome_page(demo_site, anonymous):
    from tawasul.discussions import demo

    open_issue = DiscussionIssue.objects.get(translation_key=demo.KEY, locale__language_code="en")
    assert anonymous.get(reverse("insights:issue", args=[open_issue.pk])).status_code == 404
    assert open_issue.title not in anonymous.get("/en/results/").content.decode()
    assert anonymous.get("/en/results/issues/999999/").status_code == 404


def test_the_outcome_page_follows_the_language_of_the_address(closed_issue, anonymous):
    response = anonymous.get(f"/en/results/issues/{closed_issue['ar'].pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/results/issues/{closed_issue['en'].pk}/"


def test_an_issue_without_an_outcome_says_it_is_being_written(closed_issue, anonymous):
    issue = closed_issue["en"]
    issue.what_we_will_do = ""
    issue.save()
    page = anonymous.get(f"/en/results/issues/{issue.pk}/").content.decode()
    assert "has not published its response yet" in page


def test_with_nothing_closed_the_page_says_so(db, anonymous):
    Poll.objects.filter(closes_at__lte=timezone.now()).delete()
    DiscussionIssue.objects.exclude(status=DiscussionIssue.Status.OPEN).delete()
    response = anonymous.get("/en/results/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No poll has closed yet" in page
    assert "No discussion has closed yet" in page


def test_the_page_is_the_same_for_everyone_and_cacheable(demo_site, anonymous, settings):
    settings.PAGE_CACHE_SECONDS = 60
    anonymous.get("/ar/")  # the first visit remembers the language in a cookie
    first = anonymous.get("/ar/results/")
    assert "private" not in first.get("Cache-Control", "")
    assert first["X-Tawasul-Cache"] == "miss"
    again = anonymous.get("/ar/results/")
    assert again["X-Tawasul-Cache"] == "hit"
    assert again.content == first.content


def test_the_page_queries_do_not_grow_with_the_polls_and_issues(
    closed_issue, anonymous, poll_factory
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert anonymous.get("/ar/results/").status_code == 200
        return len(captured)

    anonymous.get("/ar/results/")  # navigation and settings cached
    before = queries()
    now = timezone.now()
    for n in range(5):
        poll_factory(
            question=f"استطلاع {n}",
            opens_at=now - dt.timedelta(days=9),
            closes_at=now - dt.timedelta(days=1),
        )
        copy = DiscussionIssue.objects.get(pk=closed_issue["ar"].pk)
        copy.pk = None
        copy.translation_key = uuid.uuid4()
        copy.save()
    anonymous.get("/ar/results/")  # the saves above emptied the navigation's cache
    assert queries() == before


def test_the_navigation_links_to_the_results(demo_site, anonymous):
    page = anonymous.get("/en/").content.decode()
    assert 'href="/en/results/"' in page
