"""Citizens sign up, confirm their address, sign in; bad input is refused clearly."""

from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.db import close_old_connections

from conftest import PASSWORD, human_check
from tawasul.accounts import services
from tawasul.accounts.models import User

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "Layla@Example.org",
    "display_name": "ليلى",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "website": "",
}


@pytest.fixture
def signup(django_capture_on_commit_callbacks):
    """Post the sign-up form; mail queued after commit is sent, as in production."""

    def post(client, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/ar/accounts/signup/", {**GOOD, **human_check("accounts:signup"), **changes}
            )

    return post


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_sends_a_verification_link_in_arabic(demo_site, anonymous, signup):
    response = signup(anonymous)
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/signup/done/"
    user = User.objects.get(email="layla@example.org")
    assert user.email == "layla@example.org"
    assert not user.email_verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["layla@example.org"]
    assert re.search("[\u0600-\u06ff]", mail.outbox[0].subject), "subject is in Arabic"


def test_citizen_cannot_sign_in_before_confirming(demo_site, anonymous, signup):
    signup(anonymous)
    response = anonymous.post(
        "/ar/accounts/login/", {"username": "layla@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in anonymous.session
    assert 'class="form-errors"' in response.content.decode()


def test_verification_link_confirms_and_then_sign_in_works(demo_site, anonymous, signup):
    signup(anonymous)
    path = link_in(mail.outbox[0]).split("127.0.0.1:8000", 1)[-1]
    response = anonymous.get(path)
    assert response.status_code == 302
    assert User.objects.get(email="layla@example.org").email_verified
    response = anonymous.post(
        "/ar/accounts/login/", {"username": "LAYLA@example.org ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(anonymous.session["_auth_user_id"]) == User.objects.get(email="layla@example.org").pk


def test_forged_verification_link_is_refused(demo_site, anonymous, signup):
    signup(anonymous)
    path = link_in(mail.outbox[0]).split("127.0.0.1:8000", 1)[-1]
    response = anonymous.get(path.replace("/verify/", "/verify/x"))
    assert response.status_code == 400
    assert not User.objects.get(email="layla@example.org").email_verified


def test_signup_with_an_existing_email_in_other_case_is_refused(
    demo_site, anonymous, citizen, signup
):
    response = signup(anonymous, email="CITIZEN@example.org")
    assert response.status_code == 200
    assert "يوجد حساب" in response.content.decode() or "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="citizen@example.org").count() == 1


def test_too_long_display_name_is_a_form_error(demo_site, anonymous, signup):
    response = signup(anonymous, display_name="ع" * 61)
    assert response.status_code == 200
    assert response.context["form"].has_error("display_name")
    assert not User.objects.filter(email__iexact="layla@example.org").exists()


@pytest.mark.parametrize(
    "name",
    ["evil\u202eexe.txt", "Ali\u200bBaba", "\u2067سارة\u2069", "ﻻ\ufeff"],
    ids=["bidi-override", "zero-width-space", "isolate", "bom"],
)
def test_hidden_characters_in_a_display_name_are_a_form_error(demo_site, anonymous, name, signup):
    response = signup(anonymous, display_name=name)
    assert response.status_code == 200
    assert response.context["form"].has_error("display_name", "hidden_characters")
    assert not User.objects.filter(email__iexact="layla@example.org").exists()


def test_script_tags_in_a_display_name_are_shown_as_text(demo_site, citizen):
    User.objects.filter(pk=citizen.user.pk).update(display_name="<script>alert(1)</script>")
    html = citizen.get("/ar/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_stored_hidden_characters_are_neutralised_when_shown(demo_site, citizen):
    User.objects.filter(pk=citizen.user.pk).update(display_name="Ali\u202eevil")
    html = citizen.get("/ar/").content.decode()
    assert "\u202e" not in html
    assert "Alievil" in html


def test_honeypot_filled_by_a_bot_creates_nothing(demo_site, anonymous, signup):
    response = signup(anonymous, website="http://spam.example")
    assert response.status_code == 200
    assert not User.objects.filter(email__iexact="layla@example.org").exists()
    assert not mail.outbox


def test_mismatched_and_weak_passwords_are_form_errors(demo_site, anonymous, signup):
    assert signup(anonymous, password2="different-pass-2026").context["form"].has_error("password2")
    weak = signup(anonymous, password1="12345678", password2="12345678")
    assert weak.context["form"].has_error("password1")
    assert not User.objects.filter(email__iexact="layla@example.org").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_signups_with_one_address_make_one_account(demo_site):
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def register(email: str) -> None:
        barrier.wait()
        try:
            services.user_register(email=email, password=PASSWORD, base_url="http://t")
            outcomes.append("created")
        except services.DuplicateEmail:
            outcomes.append("duplicate")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=register, args=(email,))
        for email in (
            "same@example.org",
            "SAME@example.org",
            "same@example.org",
            "Same@Example.org",
        )
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "duplicate", "duplicate", "duplicate"]
    assert User.objects.filter(email__iexact="same@example.org").count() == 1


def test_resend_gives_the_same_answer_for_unknown_addresses(demo_site, anonymous, signup):
    known = anonymous.post(
        "/ar/accounts/verify-again/", {"email": "nobody@example.org"}, follow=True
    )
    signup(anonymous)
    mail.outbox.clear()
    unknown = anonymous.post(
        "/ar/accounts/verify-again/", {"email": "layla@example.org"}, follow=True
    )
    assert known.status_code == unknown.status_code == 200
    assert [str(m) for m in known.context["messages"]] == [
        str(m) for m in unknown.context["messages"]
    ]
    assert len(mail.outbox) == 1
