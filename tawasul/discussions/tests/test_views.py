"""The public pages: index, the issue page's one-statement-at-a-time voting flow without
JavaScript, adding a statement, the report page with its SVG map, and exports."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import human_check
from tawasul.discussions import selectors, services
from tawasul.discussions.models import DiscussionIssue, Participant, Statement, Vote

pytestmark = pytest.mark.django_db


def shown_statement(page: str) -> int:
    return int(re.search(r'name="statement" value="(\d+)"', page).group(1))


def test_index_lists_open_and_past_issues(issue, issue_factory, anonymous):
    issue_factory(title="قضية مغلقة", status=DiscussionIssue.Status.CLOSED)
    issue_factory(title="مسودة لا تظهر", status=DiscussionIssue.Status.DRAFT)
    page = anonymous.get("/ar/discussions/").content.decode()
    assert issue.title in page and "قضية مغلقة" in page
    assert "مسودة لا تظهر" not in page


def test_voting_flow_one_statement_at_a_time_without_javascript(issue, citizen):
    url = f"/ar/discussions/{issue.pk}/"
    seen = []
    for value in ("agree", "disagree", "pass"):
        page = citizen.get(url).content.decode()
        statement = shown_statement(page)
        assert statement not in seen
        seen.append(statement)
        response = citizen.post(
            f"{url}vote/", {"statement": statement, "value": value}, follow=True
        )
        assert response.status_code == 200
    page = citizen.get(url).content.decode()
    assert 'name="statement"' not in page  # every statement voted on
    assert Vote.objects.filter(issue_key=issue.key).count() == 3
    # change a vote
    citizen.post(f"{url}vote/", {"statement": seen[0], "value": "disagree"})
    assert Vote.objects.get(statement_id=seen[0]).value == -1


def test_vote_with_an_unknown_value_changes_nothing(issue, citizen):
    statement = selectors.votable_statements(issue.key).first()
    response = citizen.post(
        f"/ar/discussions/{issue.pk}/vote/", {"statement": statement.pk, "value": "maybe"}
    )
    assert response.status_code == 400
    assert not Vote.objects.filter(issue_key=issue.key).exists()


def test_anonymous_must_sign_in_by_default(issue, anonymous):
    page = anonymous.get(f"/ar/discussions/{issue.pk}/").content.decode()
    assert "/accounts/" in page and 'name="statement"' not in page
    statement = selectors.votable_statements(issue.key).first()
    response = anonymous.post(
        f"/ar/discussions/{issue.pk}/vote/", {"statement": statement.pk, "value": "agree"}
    )
    assert response.status_code == 403
    assert not Vote.objects.filter(issue_key=issue.key).exists()


def test_anyone_votes_with_a_browser_identity_after_one_human_check(issue_factory, anonymous):
    issue = issue_factory(voters=DiscussionIssue.Voters.ANYONE, seeds=("رأي أول", "رأي ثان"))
    url = f"/ar/discussions/{issue.pk}/"
    statement = shown_statement(anonymous.get(url).content.decode())
    refused = anonymous.post(f"{url}vote/", {"statement": statement, "value": "agree"})
    assert refused.status_code == 400  # no human check
    data = {"statement": statement, "value": "agree", **human_check("discussions:vote")}
    assert anonymous.post(f"{url}vote/", data).status_code == 302
    participant = Participant.objects.get(issue_key=issue.key)
    assert participant.identity.startswith("b:") and participant.user is None
    # the second vote of the same browser needs no new check
    second = shown_statement(anonymous.get(url).content.decode())
    assert anonymous.post(f"{url}vote/", {"statement": second, "value": "pass"}).status_code == 302
    assert Vote.objects.filter(participant=participant).count() == 2


def test_statement_submission_and_author_sees_its_state(issue, citizen):
    page = citizen.get(f"/ar/discussions/{issue.pk}/").content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    response = citizen.post(
        f"/ar/discussions/{issue.pk}/statements/",
        {"text": "<script>alert(1)</script> نريد مواقف آمنة", "key": key},
        follow=True,
    )
    page = response.content.decode()
    assert "بعد المراجعة" in page or "after review" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    statement = Statement.objects.get(issue_key=issue.key, origin="citizen")
    assert statement.state == "pending"


def test_too_long_statement_is_refused_with_a_message(issue, citizen):
    response = citizen.post(
        f"/ar/discussions/{issue.pk}/statements/", {"text": "ن" * 281, "key": "k" * 24}
    )
    assert response.status_code == 400
    assert "280" in response.content.decode()
    assert not Statement.objects.filter(origin="citizen").exists()


def test_report_page_draws_the_map_and_the_text_version(issue, user_factory, citizen):
    statements = list(selectors.votable_statements(issue.key))
    for n in range(20):
        who = services.Identity(user_id=user_factory().pk)
        for i, statement in enumerate(statements):
            value = 1 if (n % 2 == 0) == (i % 2 == 0) else -1
            services.vote_cast(issue=issue, statement_id=statement.pk, value=value, identity=who)
    me = services.Identity(user_id=citizen.user.pk)
    for statement in statements:
        services.vote_cast(issue=issue, statement_id=statement.pk, value=1, identity=me)
    services.analysis_compute(issue_key=issue.key)
    page = citizen.get(f"/ar/discussions/{issue.pk}/report/").content.decode()
    assert "<svg" in page and 'class="opinion-map__region' in page
    assert 'class="opinion-map__own"' in page
    assert page.count('class="opinion-group"') == 2
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "style=" not in svg
    # Coordinates keep their decimal point on Arabic pages (680,0 would be two numbers).
    assert re.search(r'<circle cx="\d+(\.\d+)?" cy="\d+(\.\d+)?"', svg)
    assert not re.search(r'(cx|cy|x|y)="\d+,\d', svg)


def test_exports_need_the_permission(issue, citizen, analyst, admin):
    url = f"/ar/discussions/{issue.pk}/export/statements.csv"
    assert citizen.get(url).status_code == 403
    response = admin.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "الحافلات يجب أن تكون مجانية" in body
    xlsx = admin.get(f"/ar/discussions/{issue.pk}/export/votes.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_home_page_shows_the_open_issue(issue, demo_site, anonymous):
    page = anonymous.get("/ar/").content.decode()
    assert issue.title in page


def test_issue_page_shows_the_issue_image_with_its_description(issue):
    from pathlib import Path

    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    lead = Path(__file__).parents[2] / "news" / "tests" / "data" / "lead.png"
    with lead.open("rb") as handle:
        image = get_image_model().objects.create(
            title="خريطة خطوط النقل",
            description="خريطة خطوط النقل المقترحة",
            file=ImageFile(handle, name="map.png"),
        )
    DiscussionIssue.objects.filter(translation_key=issue.translation_key).update(image=image)
    page = Client().get(f"/ar/discussions/{issue.pk}/").content.decode()
    assert re.search(r'<figure class="figure"><img [^>]*alt="خريطة خطوط النقل المقترحة"', page)
