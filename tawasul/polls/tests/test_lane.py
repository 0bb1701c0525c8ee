"""The lane for anonymous API votes: which requests take it, and that what they get is
what the full stack would give (the rules are tested through both entrances in
test_api.py)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client

from conftest import ServedClient
from tawasul.core import antibot
from tawasul.polls import lane
from tawasul.polls.models import Vote

pytestmark = pytest.mark.django_db


def environ(path="/api/v1/polls/7/votes", *, method="POST", body=b'{"choices": [1]}', **extra):
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **extra,
    }


def test_an_anonymous_json_vote_takes_the_lane():
    found = lane._read_vote(environ())
    assert found is not None
    poll_id, payload = found
    assert poll_id == 7 and payload.choices == [1]


@pytest.mark.parametrize(
    "request_environ",
    [
        environ(method="GET"),
        environ(path="/api/v1/polls/7/votes/"),
        environ(path="/api/v1/polls/seven/votes"),
        environ(path="/ar/polls/7/vote/"),
        environ(HTTP_COOKIE="sessionid=abc; tawasul_browser=x"),
        environ(CONTENT_TYPE="text/plain"),
        environ(body=b"not json"),
        environ(body=b'{"choices": "1"}'),
        environ(body=b'{"choices": [' + b",".join([b"1"] * 50) + b"]}"),
        environ(body=b" " * (lane.MAX_BODY + 1)),
        environ(body=b""),
        environ(CONTENT_LENGTH="many"),
    ],
    ids=[
        "a GET",
        "another path",
        "not a poll id",
        "the poll page's form",
        "a session (maybe signed in)",
        "not JSON",
        "malformed JSON",
        "a body that does not validate",
        "too many choices",
        "too large",
        "empty",
        "a bad length",
    ],
)
def test_anything_else_goes_to_the_full_stack_with_its_body_intact(request_environ):
    before = request_environ["wsgi.input"].getvalue()
    assert lane._read_vote(request_environ) is None
    assert request_environ["wsgi.input"].read() == before


def test_anonymous_votes_are_answered_by_the_lane(poll_factory, monkeypatch):
    served = []
    cast = lane.VoteLane.cast

    def counted(request):
        served.append(request.path)
        return cast(request)

    monkeypatch.setattr(lane.VoteLane, "cast", staticmethod(counted))
    lane_app = lane.with_vote_lane(lambda environ, start_response: None)
    monkeypatch.setattr("tawasul.wsgi.application", lane_app)
    poll = poll_factory()
    challenge = antibot.challenge_new(scope="polls:vote")
    body = {"choices": [poll.choices.first().pk], "altcha": antibot.solve(challenge)}
    response = ServedClient().post(
        f"/api/v1/polls/{poll.pk}/votes", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert served == [f"/api/v1/polls/{poll.pk}/votes"]
    assert Vote.objects.filter(poll_key=poll.translation_key).count() == 1


def test_the_lane_answers_with_the_headers_every_response_gets(poll_factory):
    poll = poll_factory()
    body = json.dumps({"choices": [poll.choices.first().pk]})  # no proof of work: 400
    answers = [
        client.post(f"/api/v1/polls/{poll.pk}/votes", data=body, content_type="application/json")
        for client in (Client(), ServedClient())
    ]
    full, served = answers
    assert full.status_code == served.status_code == 400
    assert full.json() == served.json()
    for name in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Request-ID",
        "Vary",
    ):
        assert served[name] == full[name] or name == "X-Request-ID", name
    assert served["Content-Length"] == str(len(served.content))


def test_a_new_voter_gets_the_browser_cookie_and_cannot_vote_twice(poll_factory):
    poll = poll_factory()
    client = ServedClient()
    for expected in (201, 409):
        challenge = antibot.challenge_new(scope="polls:vote")
        body = {"choices": [poll.choices.first().pk], "altcha": antibot.solve(challenge)}
        response = client.post(
            f"/api/v1/polls/{poll.pk}/votes", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code == expected, response.content
    cookie = response.client.cookies["tawasul_browser"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert Vote.objects.filter(poll_key=poll.translation_key).count() == 1


def test_an_unknown_host_is_refused_by_the_lane_too(poll_factory):
    poll = poll_factory()
    response = ServedClient().post(
        f"/api/v1/polls/{poll.pk}/votes",
        data=json.dumps({"choices": [poll.choices.first().pk]}),
        content_type="application/json",
        HTTP_HOST="evil.example",
    )
    assert response.status_code == 400
    assert not Vote.objects.filter(poll_key=poll.translation_key).exists()


def test_lane_votes_are_in_the_request_log(poll_factory, caplog):
    poll = poll_factory()
    with caplog.at_level(logging.INFO, logger="tawasul.request"):
        response = ServedClient().post(
            f"/api/v1/polls/{poll.pk}/votes",
            data=json.dumps({"choices": [poll.choices.first().pk]}),
            content_type="application/json",
            HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef",
        )
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    (record,) = [r for r in caplog.records if r.name == "tawasul.request"]
    assert record.path == f"/api/v1/polls/{poll.pk}/votes" and record.status == 400
