"""The analysts' dashboard: who may open it, what bad input does, the exports, and the
texts behind a term (inquiry texts only for desk staff)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from tawasul.insights import services

URL = "/admin/insights/"


def persona(request, name):
    return request.getfixturevalue(name)


def in_english(client):
    """The admin follows each person's chosen language (Arabic by default)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(client.user)
    profile.preferred_language = "en"
    profile.save()
    return client


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("editor", False),
        ("moderator", False),
        ("agent", False),
        ("analyst", True),
        ("admin", True),
    ],
)
def test_only_analysts_and_administrators_open_the_dashboard(request, demo_site, name, allowed):
    client = persona(request, name)
    response = client.get(URL)
    if allowed:
        assert response.status_code == 200
        assert "Insights" in response.content.decode() or "رؤى" in response.content.decode()
    elif name in ("anonymous", "citizen"):  # no admin access at all: to the sign-in
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:  # staff without the dashboard permission
        assert response.status_code == 403
    export = client.get(reverse("insights_admin:export", args=["totals", "csv"]))
    assert (export.status_code == 200) is allowed


@pytest.mark.parametrize("name", ["analyst", "admin"])
def test_the_menu_shows_insights_to_those_who_may_open_it(request, demo_site, name):
    client = persona(request, name)
    page = client.get("/admin/").content.decode()
    assert reverse("insights_admin:dashboard") in page


def test_the_menu_hides_insights_from_editors(editor, demo_site):
    assert reverse("insights_admin:dashboard") not in editor.get("/admin/").content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-05-01&to=2026-04-01", "after its end"),
        ("from=yesterday&to=2026-13-40", "YYYY-MM-DD"),
        ("granularity=hour", "Unknown granularity"),
        ("language=fr", "Unknown language"),
        ("from=1900-01-01&to=2026-01-01", "shortened"),
    ],
)
def test_bad_filters_give_a_clear_message_not_an_error(analyst, demo_site, query, message):
    response = in_english(analyst).get(f"{URL}?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_year_with_no_data_shows_an_empty_state(analyst, demo_site):
    response = analyst.get(f"{URL}?from=2001-01-01&to=2001-12-31&granularity=month")
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-insights-empty" in body
    assert body.count("<polyline") >= 1


def test_the_dashboard_shows_counts_and_terms_from_the_rollups(analyst, make):
    day = dt.date(2019, 3, 4)
    for _ in range(2):
        make.comment(day, "حديقة الحي جميلة")
    services.rollup_day(day=day)
    response = analyst.get(f"{URL}?from=2019-03-01&to=2019-03-10&granularity=day")
    body = response.content.decode()
    assert "data-insights-empty" not in body
    assert "حديقه" in body  # the normalised form, linked to its texts
    assert reverse("insights_admin:texts") in body
    assert 'direction="rtl"' in body  # Arabic is the default language


def test_the_chart_runs_from_the_right_in_arabic_and_from_the_left_in_english(analyst, make):
    day = dt.date(2019, 3, 4)
    make.comment(day)
    services.rollup_day(day=day)
    query = "from=2019-03-04&to=2019-03-10&granularity=day"
    arabic = analyst.get(f"{URL}?{query}").content.decode()
    english = in_english(analyst).get(f"{URL}?{query}").content.decode()
    assert 'direction="rtl"' in arabic and 'direction="ltr"' in english
    # the first day (with the comment) is drawn at the right edge in Arabic
    assert 'points="680.0,' in arabic and 'points="40.0,' in english


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_downloads_as_csv_and_xlsx(analyst, make, fmt):
    from openpyxl import load_workbook

    day = dt.date(2019, 3, 4)
    make.comment(day, "حديقة الحي")
    services.rollup_day(day=day)
    query = "from=2019-03-01&to=2019-03-10"
    page = analyst.get(f"{URL}?{query}").content.decode()
    tables = [
        "participation",
        "totals",
        "most-discussed",
        "comments-by-category",
        "inquiries-by-department",
        "terms-comments-words",
        "rising-comments",
    ]
    for table in tables:
        url = reverse("insights_admin:export", args=[table, fmt])
        assert url in page
        response = analyst.get(f"{url}?{query}")
        assert response.status_code == 200, table
        if fmt == "csv":
            text = b"".join(response.streaming_content).decode("utf-8-sig")
            assert text.splitlines()[0]
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            assert sheet.max_row >= 1
    words = analyst.get(
        reverse("insights_admin:export", args=["terms-comments-words", "csv"]) + f"?{query}"
    )
    assert "حديقه" in b"".join(words.streaming_content).decode("utf-8-sig")


def test_an_unknown_table_or_format_is_not_found(analyst, demo_site):
    assert analyst.get(reverse("insights_admin:export", args=["nothing", "csv"])).status_code == 404
    assert analyst.get(reverse("insights_admin:export", args=["totals", "pdf"])).status_code == 404


def test_the_texts_of_a_term_list_comments_without_their_authors(analyst, make):
    day = dt.date(2019, 3, 4)
    comment = make.comment(day, "الحديقة مغلقة منذ شهر")
    make.comment(day, "الطريق مزدحم")
    response = analyst.get(
        reverse("insights_admin:texts"),
        {"source": "comments", "term": "الحديقه", "from": "2019-03-01", "to": "2019-03-10"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "الحديقة مغلقة" in body and "الطريق مزدحم" not in body
    assert f"#comment-{comment.pk}" in body
    assert comment.author.email not in body


def test_an_analyst_without_a_desk_gets_no_inquiry_texts(analyst, make):
    make.case(dt.date(2019, 3, 4), "انقطاع الكهرباء")
    response = analyst.get(
        reverse("insights_admin:texts"),
        {"source": "inquiries", "term": "الكهرباء", "from": "2019-03-01", "to": "2019-03-10"},
    )
    assert response.status_code == 403


def test_inquiry_figures_are_shown_to_analysts_but_never_names(analyst, make):
    day = dt.date(2019, 3, 4)
    for _ in range(3):
        make.case(day, "انقطاع الكهرباء", name="Huda Karim")
    services.rollup_day(day=day)
    body = analyst.get(f"{URL}?from=2019-03-01&to=2019-03-10").content.decode()
    assert "table-inquiries-by-department" in body and "table-terms-inquiries-words" in body
    assert "Huda" not in body and "huda.karim" not in body


def test_desk_staff_with_reports_see_only_their_departments_inquiries(make, user_factory):
    from django.contrib.auth.models import Permission
    from django.test import Client

    from tawasul.inquiries.models import DeskMember
    from tawasul.insights import selectors

    day = dt.date(2019, 3, 4)
    case = make.case(day)
    services.rollup_day(day=day)
    user = user_factory(email="desk@example.org", roles=["agent"])
    user.user_permissions.add(
        Permission.objects.get(codename="view_dashboard"),
        Permission.objects.get(codename="view_reports", content_type__app_label="inquiries"),
    )
    user = type(user).objects.get(pk=user.pk)
    assert selectors.participation(day, day, user=user).totals["inquiries"] == 0
    DeskMember.objects.create(user=user, department=case.department)
    user = type(user).objects.get(pk=user.pk)
    assert selectors.participation(day, day, user=user).totals["inquiries"] == 1
    client = Client()
    client.force_login(user)
    texts = client.get(
        reverse("insights_admin:texts"),
        {"source": "inquiries", "term": "الخدمه", "from": "2019-03-01", "to": "2019-03-10"},
    )
    assert texts.status_code == 200
    assert reverse("inquiries_admin:case", args=[case.pk]) in texts.content.decode()


def test_poll_and_opinion_trends_are_drawn_with_their_tables(analyst, make, poll_factory):
    from tawasul.discussions.models import DiscussionIssue

    poll = poll_factory()
    monday = dt.date(2019, 9, 2)
    make.poll_vote(monday, poll, 0)
    make.poll_vote(monday + dt.timedelta(days=7), poll, 1)
    services.rollup_days(start=monday, end=monday + dt.timedelta(days=13))
    issue = DiscussionIssue.objects.filter(locale__language_code="ar").last()
    statement = make.statement(monday, "رأي", issue=issue)
    make.discussion_vote(monday, statement)
    services.opinion_snapshots(issue_key=issue.translation_key)
    body = analyst.get(f"{URL}?from=2019-09-01&to=2019-09-15").content.decode()
    assert f'id="chart-poll-{poll.translation_key}-title"' in body
    assert f'id="table-opinion-{issue.translation_key}"' in body
    assert f'id="chart-opinion-{issue.translation_key}-title"' in body


def test_the_texts_of_an_unknown_source_are_not_found_and_an_empty_term_finds_nothing(
    analyst, demo_site
):
    url = reverse("insights_admin:texts")
    assert analyst.get(url, {"source": "emails", "term": "x"}).status_code == 404
    response = analyst.get(url, {"source": "comments", "term": "  "})
    assert response.status_code == 200
    assert response.context["found"] == []


def test_chart_coordinates_keep_a_decimal_point_in_the_arabic_admin(make, user_factory, client):
    """Arabic number formatting writes 680,0; in SVG that is two coordinates, which
    scattered every label's letters and bent every line."""
    from wagtail.users.models import UserProfile

    analyst = user_factory(roles=["analyst"])
    profile = UserProfile.get_for_user(analyst)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(analyst)
    day = dt.date(2019, 3, 4)
    make.comment(day)
    services.rollup_day(day=day)
    body = client.get(f"{URL}?from=2019-03-04&to=2019-03-10&granularity=day").content.decode()
    start = body.index('<figure class="insights-chart">')
    svg = body[start : body.index("</figure>", start)]
    assert re.search(r'points="\d+\.\d,\d+\.\d ', svg)
    assert not re.search(r'[xy]\d?="\d+,\d', svg)
