"""Staff roles as a matrix: who may do what in the admin."""

from __future__ import annotations

import pytest

from tawasul.core.models import StandardPage

pytestmark = pytest.mark.django_db

CAN_EDIT_PAGES = {
    "editor": True,
    "moderator": True,
    "admin": True,
    "agent": False,
    "analyst": False,
}
CAN_MANAGE_USERS = {
    "editor": False,
    "moderator": False,
    "admin": True,
    "agent": False,
    "analyst": False,
}


@pytest.mark.parametrize(("persona", "allowed"), CAN_EDIT_PAGES.items())
def test_page_editing_by_role(demo_site, request, persona, allowed):
    client = request.getfixturevalue(persona)
    about = StandardPage.objects.get(slug="about", locale__language_code="ar")
    response = client.get(f"/admin/pages/{about.pk}/edit/")
    assert (response.status_code == 200) is allowed, response.status_code


@pytest.mark.parametrize(("persona", "allowed"), CAN_MANAGE_USERS.items())
def test_user_management_by_role(demo_site, request, persona, allowed):
    client = request.getfixturevalue(persona)
    assert (client.get("/admin/users/").status_code == 200) is allowed


def test_administrator_creates_a_staff_account_in_the_admin(demo_site, admin):
    from django.contrib.auth.models import Group

    from tawasul.accounts.models import User

    form = admin.get("/admin/users/new/")
    assert form.status_code == 200
    analysts = Group.objects.get(name="Analysts")
    response = admin.post(
        "/admin/users/new/",
        {
            "email": "New.Analyst@moi.example",
            "first_name": "نورة",
            "last_name": "السعدي",
            "password1": "a-Long-staff-passphrase-11",
            "password2": "a-Long-staff-passphrase-11",
            "is_active": "on",
            "groups": [analysts.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email__iexact="new.analyst@moi.example")
    assert list(created.groups.all()) == [analysts]


def test_staff_see_the_admin_in_english_when_they_choose_it(demo_site, editor):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor.user)
    profile.preferred_language = "en"
    profile.save()
    html = editor.get("/admin/").content.decode()
    assert 'lang="en"' in html and 'dir="ltr"' in html


def test_staff_see_the_admin_in_arabic_by_default(demo_site, editor):
    html = editor.get("/admin/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
