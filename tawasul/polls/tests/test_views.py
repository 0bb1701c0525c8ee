"""The public poll pages: index, poll page, voting with and without JavaScript, the home
page widget and the page cache."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from conftest import human_check
from tawasul.core import identity
from tawasul.polls.models import Poll, Vote

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_X_TAWASUL_FRAGMENT": "1"}


def votes(poll):
    return Vote.objects.filter(poll_key=poll.translation_key)


def vote_data(poll, *indexes, **extra):
    choices = list(poll.choices.all())
    answer = [str(choices[i].pk) for i in indexes]
    data = {"answer": answer if poll.is_multiple else (answer[0] if answer else "")}
    data.update(human_check("polls:vote"))
    data.update(extra)
    return data


def test_index_lists_open_and_past_polls_of_the_language(demo_site, anonymous):
    page = anonymous.get("/ar/polls/").content.decode()
    assert "ما الطريقة التي تفضّلها" in page  # open
    assert "أي الخدمات الإلكترونية" in page  # closed, with its voters
    assert "How would you rather" not in page
    english = anonymous.get("/en/polls/").content.decode()
    assert "How would you rather" in english and "Which e-services" in english


def test_index_needs_a_fixed_number_of_queries(
    demo_site, anonymous, poll_factory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as few:
        anonymous.get("/ar/polls/")
    for n in range(5):
        poll_factory(question=f"سؤال {n}")
        poll_factory(
            question=f"سؤال مغلق {n}",
            opens_at=timezone.now() - dt.timedelta(days=3),
            closes_at=timezone.now() - dt.timedelta(days=1),
        )
    with django_assert_max_num_queries(len(few)):
        response = anonymous.get("/ar/polls/")
    assert "سؤال مغلق 4" in response.content.decode()


def test_draft_and_scheduled_polls_are_not_public(poll_factory, anonymous):
    draft = poll_factory(status=Poll.Status.DRAFT)
    scheduled = poll_factory(opens_at=timezone.now() + dt.timedelta(days=1))
    for poll in (draft, scheduled):
        assert anonymous.get(f"/ar/polls/{poll.pk}/").status_code == 404
        assert anonymous.post(f"/ar/polls/{poll.pk}/vote/", vote_data(poll, 0)).status_code == 404
        assert poll.question not in anonymous.get("/ar/polls/").content.decode()


def test_poll_page_states_the_rules_before_voting(poll_factory, anonymous):
    poll = poll_factory(results_visibility=Poll.Visibility.AFTER_CLOSING)
    page = anonymous.get(f"/en/polls/{poll.pk}/", follow=True).content.decode()
    assert "Anyone may vote, one vote per browser." in page
    assert "A vote cannot be changed once it is cast." in page
    assert "Nobody sees the results before the poll closes" in page
    assert "staff do not see the results either" in page
    assert 'name="answer"' in page and "human-check" in page


def test_poll_page_follows_the_language_of_the_address(poll_factory, anonymous):
    poll = poll_factory(english=("Your view?", ("Yes", "No", "Maybe")))
    english = Poll.objects.get(translation_key=poll.translation_key, locale__language_code="en")
    response = anonymous.get(f"/en/polls/{poll.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/en/polls/{english.pk}/"


def test_anonymous_vote_without_javascript_is_counted_and_remembered(poll_factory, anonymous):
    poll = poll_factory(results_visibility=Poll.Visibility.AFTER_VOTING)
    response = anonymous.post(f"/ar/polls/{poll.pk}/vote/", vote_data(poll, 1))
    assert response.status_code == 302
    assert identity.COOKIE in response.cookies
    assert votes(poll).count() == 1
    page = anonymous.get(response["Location"]).content.decode()
    assert "صوتك" in page or "Your vote" in page
    assert "poll-chart" in page  # results after voting
    assert 'name="answer"' not in page  # no second vote
    again = anonymous.post(f"/ar/polls/{poll.pk}/vote/", vote_data(poll, 2))
    assert again.status_code == 409
    assert votes(poll).count() == 1


def test_without_javascript_the_human_check_is_a_question(poll_factory, anonymous):
    from tawasul.core import antibot

    poll = poll_factory()
    question = antibot.question_new(scope="polls:vote")
    first, second = (int(n) for n in re.findall(r"\d+", question["text"]))
    data = {
        "answer": str(poll.choices.first().pk),
        "human_token": question["token"],
        "human_answer": str(first + second),
    }
    assert anonymous.post(f"/en/polls/{poll.pk}/vote/", data).status_code == 302
    assert votes(poll).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"answer": ""}, "Please choose an answer."),
        ({"answer": "999999"}, "not an answer of this poll"),
        ({"altcha": ""}, "Please answer the question"),
        ({"altcha": "forged"}, "Please answer the question"),
        ({"website": "http://spam.example"}, "leave this field empty"),
    ],
)
def test_bad_votes_get_a_clear_message_and_count_nothing(poll_factory, anonymous, data, message):
    poll = poll_factory()
    response = anonymous.post(f"/en/polls/{poll.pk}/vote/", {**vote_data(poll, 0), **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not votes(poll).exists()


def test_a_replayed_proof_of_work_is_refused(poll_factory):
    poll = poll_factory()
    data = vote_data(poll, 0)
    assert Client().post(f"/en/polls/{poll.pk}/vote/", data).status_code == 302
    replay = Client().post(f"/en/polls/{poll.pk}/vote/", data)  # a new browser, same payload
    assert replay.status_code == 400
    assert votes(poll).count() == 1


def test_voting_in_a_closed_poll_is_refused(poll_factory, anonymous):
    poll = poll_factory(
        opens_at=timezone.now() - dt.timedelta(days=2),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    response = anonymous.post(f"/en/polls/{poll.pk}/vote/", vote_data(poll, 0))
    assert response.status_code == 409
    assert "not open for voting" in response.content.decode()
    assert not votes(poll).exists()


def test_citizens_only_polls_ask_anonymous_visitors_to_sign_in(poll_factory, anonymous, citizen):
    poll = poll_factory(electorate=Poll.Electorate.CITIZENS)
    page = anonymous.get(f"/en/polls/{poll.pk}/").content.decode()
    assert "Sign in to vote" in page and 'name="answer"' not in page
    assert anonymous.post(f"/en/polls/{poll.pk}/vote/", vote_data(poll, 0)).status_code == 403
    # Signed in: no human check, one vote per account.
    data = {"answer": str(poll.choices.first().pk)}
    assert citizen.post(f"/en/polls/{poll.pk}/vote/", data).status_code == 302
    assert citizen.post(f"/en/polls/{poll.pk}/vote/", data).status_code == 409
    assert votes(poll).get().user == citizen.user


def test_forged_cross_site_form_post_is_refused(poll_factory, citizen):
    poll = poll_factory(electorate=Poll.Electorate.CITIZENS)
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(citizen.user)
    response = forger.post(
        f"/en/polls/{poll.pk}/vote/",
        {"answer": str(poll.choices.first().pk)},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not votes(poll).exists()


def test_voting_with_javascript_answers_with_the_panel_fragment(poll_factory, anonymous):
    poll = poll_factory(results_visibility=Poll.Visibility.ALWAYS)
    response = anonymous.post(
        f"/ar/polls/{poll.pk}/vote/?compact=1", vote_data(poll, 0), **FRAGMENT
    )
    assert response.status_code == 200
    assert response["X-Tawasul-Fragment"] == "1"
    body = response.content.decode()
    assert "<html" not in body and "data-poll-status" in body and "poll-chart" in body
    assert "<h3" in body  # headings fit the home page widget
    bad = anonymous.post(f"/ar/polls/{poll.pk}/vote/", {"answer": ""}, **FRAGMENT)
    assert bad.status_code in (400, 409) and bad["X-Tawasul-Fragment"] == "1"


def test_changing_a_vote_where_allowed(poll_factory, anonymous):
    poll = poll_factory(allow_change=True)
    anonymous.post(f"/en/polls/{poll.pk}/vote/", vote_data(poll, 0))
    page = anonymous.get(f"/en/polls/{poll.pk}/").content.decode()
    assert "Change my vote" in page
    response = anonymous.post(f"/en/polls/{poll.pk}/vote/", vote_data(poll, 2), **FRAGMENT)
    assert "Your vote is changed." in response.content.decode()
    vote = votes(poll).get()
    assert vote.changed_at is not None


def test_votes_are_rate_limited_per_address(poll_factory, settings):
    settings.POLL_VOTES_PER_IP = 2
    poll = poll_factory()
    statuses = [
        Client().post(f"/en/polls/{poll.pk}/vote/", vote_data(poll, 0)).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert votes(poll).count() == 2


def test_results_after_closing_are_hidden_until_then(poll_factory, anonymous):
    poll = poll_factory(results_visibility=Poll.Visibility.AFTER_CLOSING)
    anonymous.post(f"/en/polls/{poll.pk}/vote/", vote_data(poll, 0))
    page = anonymous.get(f"/en/polls/{poll.pk}/").content.decode()
    assert "poll-chart" not in page and "published when the poll closes" in page
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    page = anonymous.get(f"/en/polls/{poll.pk}/").content.decode()
    assert "poll-chart" in page and "<table" in page


def test_chart_grows_from_the_right_in_arabic(demo_site, anonymous):
    closed = Poll.objects.get(locale__language_code="ar", closes_at__lt=timezone.now())
    page = anonymous.get(f"/ar/polls/{closed.pk}/").content.decode()
    assert 'direction="rtl"' in page
    bars = re.findall(r'class="poll-chart__bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', page)
    assert bars and all(abs(float(x) + float(w) - 632) < 0.2 for x, w in bars)
    english = Poll.objects.get(locale__language_code="en", closes_at__lt=timezone.now())
    page = anonymous.get(f"/en/polls/{english.pk}/").content.decode()
    bars = re.findall(r'class="poll-chart__bar" x="([\d.]+)"', page)
    assert bars and all(float(x) == 8 for x in bars)


# ---------------------------------------------------------------- home page and cache
def test_home_page_widget_has_no_form_and_stays_cacheable(demo_site, settings, anonymous):
    settings.PAGE_CACHE_SECONDS = 300
    first = anonymous.get("/ar/")
    body = first.content.decode()
    assert "home-poll" in body and "csrfmiddlewaretoken" not in body
    assert "data-poll-panel-url" in body
    assert first["X-Tawasul-Cache"] == "miss"
    assert anonymous.get("/ar/")["X-Tawasul-Cache"] == "hit"


def test_poll_pages_and_panels_are_never_stored_by_the_page_cache(
    demo_site, settings, anonymous, poll_factory
):
    settings.PAGE_CACHE_SECONDS = 300
    poll = poll_factory()
    for path in (f"/ar/polls/{poll.pk}/", f"/ar/polls/{poll.pk}/panel/"):
        anonymous.get(path)
        response = anonymous.get(path)
        assert "X-Tawasul-Cache" not in response
        assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_panel_is_a_fragment_with_the_form(poll_factory, anonymous):
    poll = poll_factory()
    response = anonymous.get(f"/ar/polls/{poll.pk}/panel/?compact=1")
    assert response["X-Tawasul-Fragment"] == "1"
    body = response.content.decode()
    assert "<html" not in body and "csrfmiddlewaretoken" in body and "data-altcha-challenge" in body


def test_home_widget_shows_the_newest_open_poll_of_the_language(demo_site, anonymous):
    arabic = anonymous.get("/ar/").content.decode()
    assert "ما الطريقة التي تفضّلها" in arabic
    assert "How would you rather" in anonymous.get("/en/").content.decode()


def test_main_navigation_links_to_polls_in_each_language(demo_site, anonymous):
    for language, label in (("en", "Polls"), ("ar", "استطلاعات الرأي")):
        html = anonymous.get(f"/{language}/news/").content.decode()
        nav = html.split('class="main-nav__list"', 1)[1].split("</ul>", 1)[0]
        assert f'<a href="/{language}/polls/">{label}</a>' in nav


def test_a_replayed_question_answer_is_refused_even_when_the_cache_forgot_it(poll_factory):
    from django.core.cache import cache

    from tawasul.core import antibot

    poll = poll_factory()
    question = antibot.question_new(scope="polls:vote")
    first, second = (int(n) for n in re.findall(r"\d+", question["text"]))
    data = {
        "answer": str(poll.choices.first().pk),
        "human_token": question["token"],
        "human_answer": str(first + second),
    }
    assert Client().post(f"/en/polls/{poll.pk}/vote/", data).status_code == 302
    cache.clear()
    assert Client().post(f"/en/polls/{poll.pk}/vote/", data).status_code == 400
    assert votes(poll).count() == 1


def test_publishing_a_poll_refreshes_the_cached_home_page(demo_site, settings, anonymous):
    settings.PAGE_CACHE_SECONDS = 300
    anonymous.get("/ar/")
    assert anonymous.get("/ar/")["X-Tawasul-Cache"] == "hit"
    from conftest import make_poll

    make_poll(question="سؤال جديد على الصفحة الرئيسية", opens_at=timezone.now())
    response = anonymous.get("/ar/")
    assert response["X-Tawasul-Cache"] == "miss"
    assert "سؤال جديد على الصفحة الرئيسية" in response.content.decode()


def test_a_vote_does_not_empty_the_page_cache(demo_site, settings, anonymous, poll_factory):
    settings.PAGE_CACHE_SECONDS = 300
    poll = poll_factory()
    anonymous.get("/en/polls/")
    Client().post(f"/en/polls/{poll.pk}/vote/", vote_data(poll, 0))
    assert anonymous.get("/en/polls/")["X-Tawasul-Cache"] == "hit"
