"""Rate limits, the honeypot, the human check and the browser identity, shared by every
public form."""

from __future__ import annotations

import base64
import json
import threading
import time

import pytest
from django import forms
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from conftest import unreachable_cache
from tawasul.core import antibot, identity, ratelimit


# ---------------------------------------------------------------- rate limits
def test_attempts_within_the_limit_pass_and_the_next_is_refused():
    for n in range(1, 4):
        assert ratelimit.hit("test:a", "10.0.0.1", limit=3, period=60) == n
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("test:a", "10.0.0.1", limit=3, period=60)
    assert 0 < refused.value.retry_after <= 60
    assert refused.value.minutes == 1


def test_limits_are_kept_apart_by_scope_and_key():
    for _ in range(3):
        ratelimit.hit("test:b", "10.0.0.1", limit=3, period=60)
    assert ratelimit.hit("test:b", "10.0.0.2", limit=3, period=60) == 1
    assert ratelimit.hit("test:c", "10.0.0.1", limit=3, period=60) == 1


def test_a_window_is_counted_where_count_and_reset_read_it_and_it_expires():
    for _ in range(3):
        ratelimit.hit("test:e", "10.0.0.5", limit=9, period=3600)
    assert ratelimit.count("test:e", "10.0.0.5", period=3600) == 3
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):  # Redis: the counter expires
        window = int(time.time() // 3600)
        key = client.make_key(ratelimit._key("test:e", "10.0.0.5", window))
        assert 0 < client.get_client().ttl(key) <= 3601
    ratelimit.reset("test:e", "10.0.0.5", period=3600)
    assert ratelimit.count("test:e", "10.0.0.5", period=3600) == 0


def test_a_request_without_an_address_is_not_limited():
    for _ in range(10):
        assert ratelimit.hit("test:d", None, limit=1, period=60) == 0


def test_simultaneous_attempts_cannot_slip_past_the_limit():
    """Twenty threads at once against a limit of five: exactly five get through."""
    barrier = threading.Barrier(20)
    passed, refused = [], []

    def attempt():
        barrier.wait()
        try:
            ratelimit.hit("test:race", "10.0.0.9", limit=5, period=60)
            passed.append(1)
        except ratelimit.RateLimited:
            refused.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert (len(passed), len(refused)) == (5, 15)


def test_reset_forgets_the_count():
    for _ in range(3):
        ratelimit.hit("test:e", "k", limit=3, period=60)
    ratelimit.reset("test:e", "k", period=60)
    assert ratelimit.hit("test:e", "k", limit=3, period=60) == 1


def test_with_the_cache_down_limits_step_aside():
    with unreachable_cache():
        for _ in range(3):
            assert ratelimit.hit("test:down", "k", limit=1, period=60) == 0


# ---------------------------------------------------------------- proof of work
def test_a_solved_challenge_is_accepted_once():
    payload = antibot.solve(antibot.challenge_new(scope="test:vote"))
    assert antibot.solution_valid(payload, scope="test:vote")
    assert not antibot.solution_valid(payload, scope="test:vote"), "a replay is refused"


def test_a_challenge_is_bound_to_its_purpose():
    payload = antibot.solve(antibot.challenge_new(scope="test:vote"))
    assert not antibot.solution_valid(payload, scope="test:inquiry")


def _tampered(payload: str, **changes) -> str:
    data = json.loads(base64.b64decode(payload))
    data.update(changes)
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: _tampered(p, number=-1),
        lambda p: _tampered(p, signature="0" * 64),
        lambda p: _tampered(p, algorithm="SHA-1"),
        lambda p: _tampered(p, salt="abc?scope=test:vote&"),
        lambda p: "not base64 at all <script>",
        lambda p: base64.b64encode(b"[1, 2, 3]").decode(),
        lambda p: "A" * 5000,
        lambda p: "",
    ],
)
def test_forged_or_malformed_solutions_are_refused(mangle):
    payload = antibot.solve(antibot.challenge_new(scope="test:vote"))
    assert not antibot.solution_valid(mangle(payload), scope="test:vote")


def test_an_expired_challenge_is_refused(monkeypatch):
    challenge = antibot.challenge_new(scope="test:vote")
    payload = antibot.solve(challenge)
    import time as time_module

    later = time_module.time() + antibot.CHALLENGE_MINUTES * 60 + 5
    monkeypatch.setattr("altcha.v1.time.time", lambda: later)
    assert not antibot.solution_valid(payload, scope="test:vote")


def test_a_challenge_from_another_installation_is_refused(settings):
    payload = antibot.solve(antibot.challenge_new(scope="test:vote"))
    settings.SECRET_KEY = "another-installation-" + "x" * 50
    assert not antibot.solution_valid(payload, scope="test:vote")


# ---------------------------------------------------------------- the question
def _answer(question: dict) -> str:
    import re

    first, second = (int(n) for n in re.findall(r"\d+", question["text"]))
    return str(first + second)


def test_the_right_answer_passes_once_and_in_arabic_digits_too():
    question = antibot.question_new(scope="test:vote")
    arabic = _answer(question).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert antibot.answer_valid(question["token"], f" {arabic} ", scope="test:vote")
    assert not antibot.answer_valid(question["token"], _answer(question), scope="test:vote")


@pytest.mark.parametrize("answer", ["", "99", "abc", "١٠٠٠", "<script>", "1e1"])
def test_wrong_answers_are_refused(answer):
    question = antibot.question_new(scope="test:vote")
    if answer == _answer(question):
        answer = "0"
    assert not antibot.answer_valid(question["token"], answer, scope="test:vote")


def test_a_question_token_is_bound_to_its_purpose_and_cannot_be_forged():
    question = antibot.question_new(scope="test:vote")
    assert not antibot.answer_valid(question["token"], _answer(question), scope="test:other")
    assert not antibot.answer_valid(question["token"] + "x", _answer(question), scope="test:vote")


# ---------------------------------------------------------------- forms
class VoteForm(antibot.HumanCheckForm, antibot.HoneypotForm):
    human_scope = "test:vote"
    choice = forms.CharField()


def test_form_passes_with_a_solved_challenge():
    payload = antibot.solve(antibot.challenge_new(scope="test:vote"))
    assert VoteForm({"choice": "a", "altcha": payload}).is_valid()


def test_form_passes_with_the_answer_instead():
    question = antibot.question_new(scope="test:vote")
    form = VoteForm(
        {"choice": "a", "human_token": question["token"], "human_answer": _answer(question)}
    )
    assert form.is_valid()


@translation.override("en")
def test_form_without_any_check_asks_for_the_answer():
    form = VoteForm({"choice": "a"})
    assert not form.is_valid()
    assert form.errors["human_answer"][0].startswith("Please answer the question")


@translation.override("en")
def test_form_with_a_wrong_answer_says_so():
    question = antibot.question_new(scope="test:vote")
    form = VoteForm({"choice": "a", "human_token": question["token"], "human_answer": "1000"})
    assert not form.is_valid()
    assert "not right" in form.errors["human_answer"][0]


def test_filled_honeypot_is_a_form_error():
    payload = antibot.solve(antibot.challenge_new(scope="test:vote"))
    form = VoteForm({"choice": "a", "altcha": payload, "website": "http://spam.example"})
    assert not form.is_valid()
    assert "website" in form.errors


def test_a_form_that_keeps_everything_only_notes_the_honeypot():
    class CommentForm(antibot.HoneypotForm):
        honeypot_rejects = False
        text = forms.CharField()

    form = CommentForm({"text": "hello", "website": "spam"})
    assert form.is_valid()
    assert form.honeypot_tripped


def test_the_check_can_be_skipped_for_signed_in_people():
    form = VoteForm({"choice": "a"})
    form.human_check_skipped = True
    assert form.is_valid()
    assert form.human_check() is None


def test_each_rendering_gives_a_fresh_challenge():
    form = VoteForm()
    first, second = form.human_check(), form.human_check()
    assert (
        json.loads(first["challenge_json"])["salt"] != json.loads(second["challenge_json"])["salt"]
    )
    assert first["token"] != second["token"]


# ---------------------------------------------------------------- API
@pytest.mark.django_db
def test_api_gives_a_challenge_that_a_client_can_solve(anonymous):
    response = anonymous.get("/api/v1/challenge", {"scope": "test:vote"})
    assert response.status_code == 200
    challenge = response.json()
    assert set(challenge) == {"algorithm", "challenge", "maxNumber", "salt", "signature"}
    assert antibot.solution_valid(antibot.solve(challenge), scope="test:vote")


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["", "UPPER", "a b", "x" * 61, "<script>"])
def test_api_refuses_an_odd_scope(anonymous, scope):
    assert anonymous.get("/api/v1/challenge", {"scope": scope}).status_code == 422


# ---------------------------------------------------------------- browser identity
def test_browser_identity_round_trips_through_its_signed_cookie():
    value = identity.browser_id_new()
    response = HttpResponse()
    identity.browser_id_remember(response, value)
    cookie = response.cookies[identity.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    request = RequestFactory().get("/", HTTP_COOKIE=f"{identity.COOKIE}={cookie.value}")
    assert identity.browser_id(request) == value


@pytest.mark.parametrize("value", ["", "forged", "0" * 32])
def test_forged_or_missing_identity_is_none(value):
    request = RequestFactory().get("/", HTTP_COOKIE=f"{identity.COOKIE}={value}")
    assert identity.browser_id(request) is None


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()
