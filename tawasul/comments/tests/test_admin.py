"""The moderation queue, decisions, bulk actions, blocked authors and exports in the admin."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from tawasul.comments import services
from tawasul.comments.models import AuthorBlock, Comment, CommentSettings
from tawasul.comments.tests.conftest import article_of, make_comment, post

pytestmark = pytest.mark.django_db
State = Comment.State
QUEUE = "/admin/comments/"


def waiting(citizen, article, body="رأي ينتظر المراجعة"):
    post(citizen, article, body)
    return Comment.objects.filter(author=citizen.user).latest("pk")


# ---------------------------------------------------------------- the queue
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("moderator", True), ("admin", True), ("editor", False), ("analyst", False), ("agent", False)],
)
def test_the_queue_is_for_moderators(demo_site, request, persona, allowed):
    client = request.getfixturevalue(persona)
    response = client.get(QUEUE)
    assert (response.status_code == 200) == allowed
    if not allowed:
        assert response.status_code in (302, 403)


def test_citizens_never_reach_the_queue(demo_site, citizen, anonymous):
    assert citizen.get(QUEUE).status_code == 302
    assert anonymous.get(QUEUE).status_code == 302


def test_the_queue_shows_what_needs_review_first(seed_article, moderator):
    html = moderator.get(QUEUE).content.decode()
    assert "وصلتني رسالة من رقم غريب" in html  # the demo's waiting comment
    assert "خطوة موفقة من الوزارة" not in html  # published: not waiting
    published = moderator.get(QUEUE, {"state": "published"}).content.decode()
    assert "خطوة موفقة من الوزارة" in published
    assert "وصلتني رسالة" not in published


def test_the_queue_filters_by_article_reports_and_screening(
    article, seed_article, citizen, other_citizen, moderator
):
    waiting(citizen, article, "رأي على خبر النافذة")
    flagged = waiting(other_citizen, seed_article, "أنت حمار")
    by_article = moderator.get(QUEUE, {"article": article.pk}).content.decode()
    assert "رأي على خبر النافذة" in by_article and "وصلتني رسالة" not in by_article
    screened = moderator.get(QUEUE, {"screened": "yes"}).content.decode()
    assert "أنت حمار" in screened and "رأي على خبر النافذة" not in screened
    assert "يحتوي على كلمة محظورة: حمار" in screened
    published = Comment.objects.get(body__startswith="خطوة موفقة")
    services.comment_report(comment_id=published.pk, reporter=citizen.user, reason="spam")
    reported = moderator.get(QUEUE, {"state": "all", "reports": "yes"}).content.decode()
    assert "خطوة موفقة" in reported and "أنت حمار" not in reported
    assert flagged.pk


def test_comments_hidden_by_reports_come_back_to_the_queue(seed_article, user_factory, moderator):
    comment = Comment.objects.get(body__startswith="خطوة موفقة")
    for _ in range(3):
        services.comment_report(comment_id=comment.pk, reporter=user_factory(), reason="abusive")
    html = moderator.get(QUEUE).content.decode()
    assert "خطوة موفقة" in html
    assert "مخفي بعد بلاغات، بانتظار المراجعة" in html


# ---------------------------------------------------------------- single decisions
def test_the_moderation_page_shows_the_comment_and_its_context(seed_article, citizen, moderator):
    comment = waiting(
        citizen, seed_article, "رأي فيه رابطان http://a.example http://b.example http://c.example"
    )
    html = moderator.get(f"/admin/comments/moderate/{comment.pk}/").content.decode()
    assert "رأي فيه رابطان" in html
    assert "روابط أكثر من المسموح: 3" in html
    assert seed_article.title in html
    assert '<a href="http://a.example' not in html  # links are not clickable for moderators


def test_a_moderator_approves_a_comment_and_the_author_is_told(article, citizen, moderator, commit):
    comment = waiting(citizen, article)
    mail.outbox.clear()
    with commit():
        response = moderator.post(
            f"/admin/comments/moderate/{comment.pk}/", {"action": "approve", "note": ""}
        )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == State.PUBLISHED
    assert [m.to for m in mail.outbox] == [["citizen@example.org"]]
    entry = ModelLogEntry.objects.for_instance(comment).get(action="comments.approve")
    assert entry.user == moderator.user


def test_rejecting_needs_a_reason(article, citizen, moderator):
    comment = waiting(citizen, article)
    response = moderator.post(f"/admin/comments/moderate/{comment.pk}/", {"action": "reject"})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.state == State.PENDING
    moderator.post(
        f"/admin/comments/moderate/{comment.pk}/",
        {"action": "reject", "reason": "other", "note": ""},
    )
    comment.refresh_from_db()
    assert comment.state == State.PENDING
    moderator.post(
        f"/admin/comments/moderate/{comment.pk}/",
        {"action": "reject", "reason": "spam", "note": "إعلان"},
    )
    comment.refresh_from_db()
    assert (comment.state, comment.reason, comment.moderator_note) == ("rejected", "spam", "إعلان")


def test_a_moderator_hides_and_blocks_from_the_comment_page(seed_article, moderator):
    comment = Comment.objects.get(body__startswith="خطوة موفقة")
    moderator.post(f"/admin/comments/moderate/{comment.pk}/", {"action": "hide", "reason": ""})
    comment.refresh_from_db()
    assert comment.state == State.HIDDEN
    moderator.post(
        f"/admin/comments/moderate/{comment.pk}/", {"action": "block", "reason": "abusive"}
    )
    assert AuthorBlock.objects.filter(user=comment.author).exists()


def test_the_comment_page_lists_every_decision_with_who_and_why(article, citizen, moderator):
    comment = waiting(citizen, article)
    services.comment_reject(
        comment_ids=[comment.pk], moderator=moderator.user, reason="off_topic", note="سبب إضافي"
    )
    services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    html = moderator.get(f"/admin/comments/moderate/{comment.pk}/").content.decode()
    assert html.count("moderator@example.org") >= 2
    assert "لا يتعلق بالموضوع المطروح" in html and "سبب إضافي" in html
    assert "اعتماد تعليق" in html and "رفض تعليق" in html
    history = moderator.get(f"/admin/comments/history/{comment.pk}/")
    assert history.status_code == 200
    assert "اعتُمد التعليق" in history.content.decode()


def test_editors_cannot_decide(article, citizen, editor):
    comment = waiting(citizen, article)
    response = editor.post(f"/admin/comments/moderate/{comment.pk}/", {"action": "approve"})
    assert response.status_code in (302, 403)
    comment.refresh_from_db()
    assert comment.state == State.PENDING


# ---------------------------------------------------------------- bulk decisions
def test_bulk_approve_asks_then_publishes_all(article, user_factory, moderator):
    ids = []
    for n in range(3):
        person = user_factory()
        ids.append(make_comment(person, article, body=f"رأي {n}", publish=False).pk)
    url = "/admin/bulk/comments/comment/approve/?" + "&".join(f"id={pk}" for pk in ids)
    confirm = moderator.get(url)
    assert confirm.status_code == 200
    assert "رأي 1" in confirm.content.decode()
    response = moderator.post(url, {"note": ""})
    assert response.status_code == 302
    assert set(Comment.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"published"}


def test_bulk_reject_needs_a_reason_and_tells_each_author(article, user_factory, moderator, commit):
    people = [user_factory() for _ in range(2)]
    ids = [make_comment(p, article, body=f"رأي {p.pk}", publish=False).pk for p in people]
    url = "/admin/bulk/comments/comment/reject/?" + "&".join(f"id={pk}" for pk in ids)
    assert moderator.post(url, {"reason": ""}).status_code == 200  # the form again, with an error
    assert set(Comment.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"pending"}
    mail.outbox.clear()
    with commit():
        moderator.post(url, {"reason": "duplicate", "note": ""})
    assert set(Comment.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"rejected"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_bulk_block_blocks_each_author_once(article, user_factory, moderator):
    person = user_factory()
    ids = [make_comment(person, article, body=f"رأي {n}", publish=False).pk for n in range(2)]
    url = "/admin/bulk/comments/comment/block_authors/?" + "&".join(f"id={pk}" for pk in ids)
    moderator.post(url, {"reason": "spam"})
    assert AuthorBlock.objects.filter(user=person).count() == 1
    assert set(Comment.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"hidden"}


def test_bulk_actions_do_nothing_for_editors(article, user_factory, editor):
    comment = make_comment(user_factory(), article, publish=False)
    editor.post(f"/admin/bulk/comments/comment/approve/?id={comment.pk}", {"note": ""})
    comment.refresh_from_db()
    assert comment.state == State.PENDING


# ---------------------------------------------------------------- blocked authors
def test_blocked_authors_are_listed_and_can_be_unblocked(seed_article, moderator):
    comment = Comment.objects.get(body__startswith="خطوة موفقة")
    services.author_block(user_ids=[comment.author_id], moderator=moderator.user, reason="spam")
    block = AuthorBlock.objects.get(user_id=comment.author_id)
    html = moderator.get("/admin/comments/blocked/").content.decode()
    assert "سارة أحمد" in html
    page = moderator.get(f"/admin/comments/blocked/unblock/{block.pk}/").content.decode()
    assert "ويعيد تعليقًا واحدًا" in page
    moderator.post(f"/admin/comments/blocked/unblock/{block.pk}/", {"note": "خطأ"})
    assert not AuthorBlock.objects.exists()
    comment.refresh_from_db()
    assert comment.state == State.PUBLISHED


# ---------------------------------------------------------------- settings and dashboard
def test_administrators_choose_the_moderation_mode(demo_site, admin, moderator):
    url = admin.get("/admin/settings/comments/commentsettings/")["Location"]
    assert admin.get(url).status_code == 200
    assert moderator.get(url).status_code in (302, 403)
    response = admin.post(
        url,
        {
            "news_moderation": "post",
            "discussions_moderation": "pre",
            "report_threshold": 5,
            "max_links": 1,
            "blocked_terms": "كلمة",
        },
    )
    assert response.status_code == 302
    comment_settings = CommentSettings.load()
    assert (comment_settings.news_moderation, comment_settings.report_threshold) == ("post", 5)


def test_the_admin_home_tells_moderators_what_waits(demo_site, moderator, editor):
    assert "بانتظار المشرف" in moderator.get("/admin/").content.decode()
    assert "بانتظار المشرف" not in editor.get("/admin/").content.decode()


# ---------------------------------------------------------------- export
def test_analysts_export_an_articles_comments_as_csv(seed_article, analyst):
    response = analyst.get(
        "/admin/comments/export/",
        {"article": seed_article.pk, "state": "published", "file_format": "csv"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 + 3
    assert rows[0][0] == "التعليق"
    bodies = {row[9] for row in rows[1:]}
    assert "هل ستُنشر الإعلانات المهمة على تويتر أولاً أم على موقع الوزارة؟" in bodies
    assert "demo.sara" not in text  # no email addresses
    assert all(len(row[7]) == 12 for row in rows[1:])  # a pseudonymous reference


def test_text_that_looks_like_a_formula_stays_text(article, citizen, moderator, analyst):
    make_comment(
        citizen.user,
        article,
        body='=HYPERLINK("http://evil.example","x")',
        moderator=moderator.user,
    )
    csv_text = b"".join(
        analyst.get(
            "/admin/comments/export/", {"article": article.pk, "state": "all", "file_format": "csv"}
        ).streaming_content
    ).decode()
    assert "'=HYPERLINK" in csv_text
    from openpyxl import load_workbook

    response = analyst.get(
        "/admin/comments/export/", {"article": article.pk, "state": "all", "file_format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(row[9] for row in sheet.iter_rows(min_row=2))
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def test_exports_by_date_range_and_state(seed_article, analyst):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = analyst.get(
        "/admin/comments/export/",
        {"date_from": today, "date_to": today, "state": "all", "file_format": "xlsx"},
    )
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    states = {row[8] for row in rows[1:]}
    assert "منشور" in states and "بانتظار المراجعة" in states
    assert len(rows) - 1 == Comment.objects.count()
    empty = analyst.get(
        "/admin/comments/export/",
        {"date_from": "2001-01-01", "date_to": "2001-01-02", "state": "all", "file_format": "xlsx"},
    )
    assert len(list(load_workbook(io.BytesIO(empty.content)).active.iter_rows())) == 1


def test_a_bad_date_range_is_a_form_error(demo_site, analyst):
    response = analyst.get(
        "/admin/comments/export/",
        {"date_from": "2026-02-01", "date_to": "2026-01-01", "file_format": "csv", "state": "all"},
    )
    assert response.status_code == 200
    assert "تاريخ النهاية قبل تاريخ البداية" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("analyst", True), ("moderator", True), ("editor", False), ("agent", False)],
)
def test_exports_are_for_analysts_and_moderators(demo_site, request, persona, allowed):
    response = request.getfixturevalue(persona).get("/admin/comments/export/")
    assert (response.status_code == 200) == allowed


def test_english_articles_are_exported_too(demo_site, analyst):
    english = article_of("ministry-on-social-media", "en")
    response = analyst.get(
        "/admin/comments/export/",
        {"article": english.pk, "state": "published", "file_format": "csv"},
    )
    text = b"".join(response.streaming_content).decode()
    assert "Will the pages also answer" in text
    assert ",en," in text
