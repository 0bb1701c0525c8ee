"""Signed-in people manage their account; sign-in failures are throttled; roles exist."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from conftest import PASSWORD
from tawasul.accounts.models import User
from tawasul.accounts.roles import ROLES

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(citizen):
    assert citizen.user.password.startswith("argon2")


def test_citizen_downloads_their_data_as_json(citizen):
    response = citizen.get("/ar/accounts/profile/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "citizen@example.org"
    assert data["account"]["display_name"] == "سارة"


def test_deleting_the_account_needs_the_password(citizen):
    response = citizen.post("/ar/accounts/profile/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].has_error("password")
    assert User.objects.filter(pk=citizen.user.pk).exists()
    response = citizen.post("/ar/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.user.pk).exists()


def test_profile_refuses_a_bidi_override_in_the_name(citizen):
    response = citizen.post(
        "/ar/accounts/profile/", {"display_name": "a\u202eb", "preferred_language": "en"}
    )
    assert response.context["form"].has_error("display_name")
    citizen.user.refresh_from_db()
    assert citizen.user.display_name == "سارة"


def test_profile_changes_are_saved(citizen):
    citizen.post("/ar/accounts/profile/", {"display_name": "سارة أحمد", "preferred_language": "en"})
    citizen.user.refresh_from_db()
    assert (citizen.user.display_name, citizen.user.preferred_language) == ("سارة أحمد", "en")


def test_profile_needs_sign_in(anonymous):
    response = anonymous.get("/ar/accounts/profile/")
    assert response.status_code == 302
    assert "/ar/accounts/login/" in response["Location"]


def test_repeated_failed_sign_ins_lock_the_account(demo_site, user_factory, client, settings):
    user_factory(email="target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/ar/accounts/login/", {"username": "target@example.org", "password": "nope"})
    # Even the right password is refused during the cool-off.
    response = client.post(
        "/ar/accounts/login/", {"username": "target@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_from_one_address_lock_that_address(
    demo_site, user_factory, client, settings
):
    user_factory(email="victim@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/ar/accounts/login/", {"username": f"guess{n}@example.org", "password": "x"})
    response = client.post(
        "/ar/accounts/login/", {"username": "victim@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_password_reset_mail_leads_to_a_new_password(demo_site, citizen, client):
    client.post("/ar/accounts/password/reset/", {"email": "citizen@example.org"})
    assert len(mail.outbox) == 1
    path = "/ar/" + mail.outbox[0].body.split("/ar/", 1)[1].split()[0]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    new_password = "another-Long-passphrase-77"
    form_path = response.redirect_chain[-1][0]
    client.post(form_path, {"new_password1": new_password, "new_password2": new_password})
    user = User.objects.get(pk=citizen.user.pk)
    assert user.check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing(demo_site, client):
    response = client.post("/ar/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not mail.outbox


def test_staff_roles_exist_as_groups_with_admin_access():
    for name in ROLES.values():
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), name
    assert Group.objects.get(name="Administrators").permissions.count() > 50


@pytest.mark.parametrize("persona", ["editor", "moderator", "agent", "analyst", "admin"])
def test_every_staff_role_reaches_the_admin(persona, request):
    client = request.getfixturevalue(persona)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "citizen"])
def test_citizens_do_not_reach_the_admin(persona, request):
    client = request.getfixturevalue(persona)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_signs_in_with_email_in_arabic(demo_site, client):
    User.objects.create_superuser(email="boss@example.org", password=PASSWORD)
    response = client.post(
        "/admin/login/", {"username": "boss@example.org", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    client.get("/admin/")


def test_behind_a_proxy_lockouts_follow_the_real_client(demo_site, user_factory, client, settings):
    """Many visitors share nginx's address; one attacker's failures lock only the attacker."""
    settings.TAWASUL_PROXY_COUNT = 1
    user_factory(email="victim@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/ar/accounts/login/",
            {"username": f"guess{n}@example.org", "password": "x"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            REMOTE_ADDR="127.0.0.1",
        )
    honest = client.post(
        "/ar/accounts/login/",
        {"username": "victim@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.20",
        REMOTE_ADDR="127.0.0.1",
    )
    assert honest.status_code == 302
