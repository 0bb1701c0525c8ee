"""The polls API: list, one poll, and voting with the same rules as the poll page, not
forgeable from another site.

Every test runs through both entrances: Django's test client (the full stack) and the
application a server runs (``tawasul.wsgi``), where anonymous votes take the lane
(``polls/lane.py``) and everything else the full stack. The answers must be the same."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from conftest import ServedClient
from tawasul.core import antibot
from tawasul.polls.models import Poll, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["full stack", "served"])
def entrance(request, monkeypatch):
    chosen = Client if request.param == "full stack" else ServedClient
    monkeypatch.setitem(globals(), "Client", chosen)
    return chosen


@pytest.fixture
def anonymous(entrance):
    return entrance()


def votes(poll):
    return Vote.objects.filter(poll_key=poll.translation_key)


def solved(client=None) -> str:
    challenge = (client or Client()).get("/api/v1/challenge", {"scope": "polls:vote"}).json()
    return antibot.solve(challenge)


def post_vote(client, poll, body, **headers):
    return client.post(
        f"/api/v1/polls/{poll.pk}/votes",
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )


def first_choice(poll) -> int:
    return poll.choices.first().pk


def test_list_gives_open_and_closed_polls_with_public_results_only(demo_site, anonymous):
    body = anonymous.get("/api/v1/polls", {"lang": "ar"}).json()
    assert body["count"] == 2
    by_state = {poll["state"]: poll for poll in body["results"]}
    assert by_state["open"]["results"] is None  # results after voting
    closed = by_state["closed"]
    assert closed["results"]["voters"] == 240
    assert closed["kind"] == "multiple" and closed["most_choices"] == 2
    assert closed["translations"][0]["lang"] == "en"
    assert {a["id"] for a in closed["results"]["answers"]} == {c["id"] for c in closed["choices"]}
    assert "أي الخدمات" in anonymous.get("/api/v1/polls", {"state": "closed"}).content.decode()


def test_list_needs_a_fixed_number_of_queries(
    demo_site, anonymous, poll_factory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        anonymous.get("/api/v1/polls")
    for n in range(4):
        poll_factory(question=f"q{n}", results_visibility=Poll.Visibility.ALWAYS)
    with django_assert_max_num_queries(len(few)):
        assert anonymous.get("/api/v1/polls").json()["count"] == 8


@pytest.mark.parametrize("query", [{"lang": "fr"}, {"state": "draft"}, {"page_size": 500}])
def test_list_refuses_odd_filters(anonymous, query):
    assert anonymous.get("/api/v1/polls", query).status_code == 422


def test_draft_polls_are_not_in_the_api(poll_factory, anonymous):
    draft = poll_factory(status=Poll.Status.DRAFT)
    assert anonymous.get(f"/api/v1/polls/{draft.pk}").status_code == 404
    assert post_vote(anonymous, draft, {"choices": [first_choice(draft)]}).status_code == 404


def test_anonymous_vote_with_proof_of_work_then_results_after_voting(poll_factory, anonymous):
    poll = poll_factory()
    assert anonymous.get(f"/api/v1/polls/{poll.pk}").json()["results"] is None
    response = post_vote(anonymous, poll, {"choices": [first_choice(poll)], "altcha": solved()})
    assert response.status_code == 201, response.content
    assert response.json() == {"poll": poll.pk, "changed": False, "results_visible": True}
    results = anonymous.get(f"/api/v1/polls/{poll.pk}").json()["results"]
    assert results["voters"] == 1 and results["answers"][0]["votes"] == 1
    # The cookie now names this client: a second vote is a duplicate.
    again = post_vote(anonymous, poll, {"choices": [first_choice(poll)], "altcha": solved()})
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    assert votes(poll).count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"choices": []}, "invalid_ballot"),
        ({"choices": [999_999]}, "invalid_ballot"),
        ({"choices": ["first", "second"]}, "invalid_ballot"),
        ({"choices": ["first"], "other": "x"}, "invalid_ballot"),
        ({"choices": ["first"], "altcha": None}, "human_check"),
        ({"choices": ["first"], "altcha": "bm90IGEgc29sdXRpb24="}, "human_check"),
    ],
)
def test_bad_votes_are_refused_with_a_code_and_count_nothing(poll_factory, anonymous, body, code):
    poll = poll_factory()
    ids = [c.pk for c in poll.choices.all()]
    body = {
        "altcha": solved(),
        **body,
        "choices": [
            ids[0] if c == "first" else ids[1] if c == "second" else c for c in body["choices"]
        ],
    }
    response = post_vote(anonymous, poll, body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not votes(poll).exists()


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        '{"choices": "1"}',
        '{"choices": [1.5]}',
        '{"choices": [1], "other": "' + "x" * 1000 + '"}',
        '{"choices": [' + ",".join(["1"] * 50) + "]}",
    ],
)
def test_malformed_bodies_are_refused(poll_factory, anonymous, raw):
    poll = poll_factory()
    response = anonymous.post(
        f"/api/v1/polls/{poll.pk}/votes", data=raw, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert not votes(poll).exists()


def test_a_replayed_proof_of_work_is_refused(poll_factory):
    poll = poll_factory()
    payload = solved()
    body = {"choices": [first_choice(poll)], "altcha": payload}
    assert post_vote(Client(), poll, body).status_code == 201
    replay = post_vote(Client(), poll, body)  # another client, the same solution
    assert replay.status_code == 400 and replay.json()["code"] == "human_check"
    assert votes(poll).count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
    ],
)
def test_a_vote_sent_from_another_sites_page_is_refused(poll_factory, anonymous, headers):
    poll = poll_factory()
    body = {"choices": [first_choice(poll)], "altcha": solved()}
    response = post_vote(anonymous, poll, body, **headers)
    assert response.status_code == 403 and response.json()["code"] == "cross_site"
    assert not votes(poll).exists()


def test_a_vote_from_the_sites_own_pages_is_accepted(poll_factory, anonymous):
    poll = poll_factory()
    body = {"choices": [first_choice(poll)], "altcha": solved()}
    response = post_vote(
        anonymous, poll, body, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 201


def test_signed_in_votes_need_the_csrf_token(poll_factory, citizen):
    poll = poll_factory(electorate=Poll.Electorate.CITIZENS)
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen.user)
    body = {"choices": [first_choice(poll)]}
    refused = post_vote(client, poll, body)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf"
    page = client.get(f"/en/polls/{poll.pk}/")
    token = page.context["csrf_token"]
    accepted = post_vote(client, poll, body, HTTP_X_CSRFTOKEN=str(token))
    assert accepted.status_code == 201, accepted.content
    assert votes(poll).get().user == citizen.user


def test_citizens_only_polls_refuse_anonymous_api_votes(poll_factory, anonymous):
    poll = poll_factory(electorate=Poll.Electorate.CITIZENS)
    body = {"choices": [first_choice(poll)], "altcha": solved()}
    response = post_vote(anonymous, poll, body)
    assert response.status_code == 403 and response.json()["code"] == "sign_in_required"


def test_voting_in_a_closed_poll_is_refused(poll_factory, anonymous):
    poll = poll_factory(closes_at=timezone.now() - dt.timedelta(seconds=1))
    body = {"choices": [first_choice(poll)], "altcha": solved()}
    response = post_vote(anonymous, poll, body)
    assert response.status_code == 409 and response.json()["code"] == "poll_not_open"


def test_results_speak_the_polls_language(poll_factory, anonymous):
    poll = poll_factory(
        english=("Your view?", ("Yes", "No", "Maybe")),
        allow_other=True,
        results_visibility=Poll.Visibility.ALWAYS,
    )
    english = Poll.objects.get(translation_key=poll.translation_key, locale__language_code="en")
    answers = anonymous.get(f"/api/v1/polls/{english.pk}").json()["results"]["answers"]
    assert [a["label"] for a in answers] == ["Yes", "No", "Maybe", "Other"]
    arabic = anonymous.get(f"/api/v1/polls/{poll.pk}").json()["results"]["answers"]
    assert arabic[-1]["label"] == "أخرى"


def test_changing_a_vote_answers_200(poll_factory, anonymous):
    poll = poll_factory(allow_change=True, kind=Poll.Kind.MULTIPLE, allow_other=True)
    ids = [c.pk for c in poll.choices.all()]
    assert post_vote(anonymous, poll, {"choices": [ids[0]], "altcha": solved()}).status_code == 201
    changed = post_vote(
        anonymous, poll, {"choices": [ids[1], ids[2]], "other": "رأي آخر", "altcha": solved()}
    )
    assert changed.status_code == 200 and changed.json()["changed"] is True
    vote = votes(poll).get()
    assert vote.other_text == "رأي آخر"


def test_api_votes_are_rate_limited(poll_factory, settings):
    settings.POLL_VOTES_PER_IP = 1
    poll = poll_factory()
    body = {"choices": [first_choice(poll)]}
    assert post_vote(Client(), poll, {**body, "altcha": solved()}).status_code == 201
    limited = post_vote(Client(), poll, {**body, "altcha": solved()})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_poll_answers_are_never_kept_by_shared_caches(poll_factory, anonymous):
    poll = poll_factory()
    assert "private" in anonymous.get(f"/api/v1/polls/{poll.pk}")["Cache-Control"]
    assert "no-cache" in anonymous.get("/api/v1/polls")["Cache-Control"]


def test_the_endpoints_are_in_the_openapi_document(anonymous):
    paths = anonymous.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/polls", "/api/v1/polls/{poll_id}", "/api/v1/polls/{poll_id}/votes"} <= set(
        paths
    )


def test_a_replayed_proof_is_refused_even_when_the_cache_forgot_it(poll_factory):
    """Several server processes without a shared cache: the database still knows."""
    from django.core.cache import cache

    poll = poll_factory()
    body = {"choices": [first_choice(poll)], "altcha": solved()}
    assert post_vote(Client(), poll, body).status_code == 201
    cache.clear()  # what another process's memory would look like
    replay = post_vote(Client(), poll, body)
    assert replay.status_code == 400 and replay.json()["code"] == "human_check"
    assert votes(poll).count() == 1
