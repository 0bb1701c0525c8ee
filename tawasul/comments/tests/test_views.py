"""Comments on the public pages: reading, posting with and without JavaScript, bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tawasul.comments import selectors, services
from tawasul.comments.models import Comment, Report, Thread
from tawasul.comments.tests.conftest import article_of, make_comment, post

pytestmark = pytest.mark.django_db
State = Comment.State
EMPTY_AR = "لا يوجد تعليقات على الخبر"
EMPTY_EN = "There are no comments on this news item yet"


def comments_area(response) -> str:
    html = response.content.decode()
    start = html.index('id="comments"')
    return html[start : html.index("</section>", start)]


# ---------------------------------------------------------------- reading
def test_an_article_without_comments_shows_the_seeds_empty_state(
    article, english_article, anonymous
):
    assert EMPTY_AR in comments_area(anonymous.get(article.url))
    assert EMPTY_EN in comments_area(anonymous.get(english_article.url))


def test_readers_see_published_comments_and_replies_but_not_waiting_ones(seed_article, anonymous):
    area = comments_area(anonymous.get(seed_article.url))
    assert "خطوة موفقة من الوزارة" in area
    assert 'class="comment comment--reply"' in area
    assert "(3)" in area
    assert EMPTY_AR not in area
    waiting = comments_area(anonymous.get(article_of("phishing-awareness-campaign").url))
    assert "وصلتني رسالة من رقم غريب" not in waiting
    assert EMPTY_AR in waiting


def test_each_comment_finds_its_own_direction(english_article, anonymous, citizen, moderator):
    make_comment(
        citizen.user, english_article, body="رأيي: the pages are useful", moderator=moderator.user
    )
    area = comments_area(anonymous.get(english_article.url))
    assert '<div class="comment__body" dir="auto">رأيي: the pages are useful</div>' in area
    assert "<bdi>سارة</bdi>" in area


def test_anonymous_readers_get_a_sign_in_link_and_no_form(seed_article, anonymous):
    response = anonymous.get(seed_article.url)
    area = comments_area(response)
    assert "<form" not in area and "csrfmiddlewaretoken" not in response.content.decode()
    assert 'href="/ar/accounts/login/?next=/ar/news/ministry-on-social-media/%23comments"' in area


def test_article_pages_with_comments_stay_cacheable_for_anonymous_readers(
    seed_article, anonymous, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    assert anonymous.get(seed_article.url)["X-Tawasul-Cache"] == "miss"
    assert anonymous.get(seed_article.url)["X-Tawasul-Cache"] == "hit"


def test_a_newly_approved_comment_shows_to_anonymous_readers_at_once(
    article, anonymous, citizen, moderator, settings, commit
):
    settings.PAGE_CACHE_SECONDS = 300
    comment = services.comment_create(
        author=citizen.user,
        target=article,
        body="رأي ينتظر الاعتماد",
        idempotency_key=selectors.new_form_key(),
    ).comment
    assert "رأي ينتظر الاعتماد" not in comments_area(anonymous.get(article.url))
    assert anonymous.get(article.url)["X-Tawasul-Cache"] == "hit"
    with commit():
        services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    response = anonymous.get(article.url)
    assert response["X-Tawasul-Cache"] == "miss"
    assert "رأي ينتظر الاعتماد" in comments_area(response)


def test_signed_in_citizens_get_the_form_with_a_counter(article, citizen):
    area = comments_area(citizen.get(article.url))
    assert 'class="comment-form"' in area
    assert 'maxlength="2000"' in area
    assert "data-counter" in area
    assert 'name="website"' in area  # the honeypot
    assert re.search(r'name="key" value="[A-Za-z0-9_-]{32}"', area)


def test_comments_come_newest_first_or_oldest_first(article, citizen, moderator, anonymous):
    for n in range(3):
        make_comment(citizen.user, article, body=f"التعليق رقم {n}", moderator=moderator.user)
    newest = comments_area(anonymous.get(article.url))
    oldest = comments_area(anonymous.get(article.url, {"order": "oldest"}))
    assert newest.index("رقم 2") < newest.index("رقم 0")
    assert oldest.index("رقم 0") < oldest.index("رقم 2")
    assert (
        comments_area(anonymous.get(article.url, {"order": "<script>"})).index("رقم 2")
        < newest.index("رقم 0") + 10_000
    )


def test_long_threads_are_paginated(article, user_factory, moderator, anonymous):
    people = [user_factory() for _ in range(25)]
    ids = []
    for n, person in enumerate(people):
        ids.append(make_comment(person, article, body=f"رأي المواطن {n:02d}", publish=False).pk)
    services.comment_approve(comment_ids=ids, moderator=moderator.user)
    first = anonymous.get(article.url)
    assert first.context["comments"].paginator.num_pages == 2
    assert comments_area(first).count('class="comment"') == 20
    second = comments_area(anonymous.get(article.url, {"cpage": 2}))
    assert second.count('class="comment"') == 5
    assert "رأي المواطن 00" in second
    assert (
        comments_area(anonymous.get(article.url, {"cpage": "999x"})).count('class="comment"') == 20
    )


def test_the_article_page_queries_do_not_grow_with_comments(
    article, user_factory, moderator, anonymous, django_assert_max_num_queries, settings
):
    settings.COMMENTS_PER_MINUTE = 1000
    people = [user_factory() for _ in range(4)]
    root = make_comment(people[0], article, moderator=moderator.user)
    make_comment(people[1], article, parent=root, moderator=moderator.user)
    anonymous.get(article.url)
    with django_assert_max_num_queries(60) as few:
        anonymous.get(article.url)
    for n in range(30):
        parent = make_comment(people[n % 4], article, body=f"رأي {n}", moderator=moderator.user)
        make_comment(
            people[(n + 1) % 4], article, body=f"رد {n}", parent=parent, moderator=moderator.user
        )
    with django_assert_max_num_queries(len(few)):
        anonymous.get(article.url)


def test_article_lists_show_comment_counts_in_constant_queries(
    seed_article, user_factory, moderator, anonymous, django_assert_max_num_queries
):
    response = anonymous.get("/ar/news/")
    assert "3 تعليقات" in response.content.decode()
    assert "لا تعليقات" in response.content.decode()
    with django_assert_max_num_queries(60) as few:
        anonymous.get("/ar/news/")
    people = [user_factory() for _ in range(3)]
    for slug in ("interactive-links-window", "phishing-awareness-campaign"):
        for person in people:
            make_comment(
                person, article_of(slug), body=f"رأي {person.pk}", moderator=moderator.user
            )
    with django_assert_max_num_queries(len(few)):
        html = anonymous.get("/ar/news/").content.decode()
    assert html.count("3 تعليقات") == 3
    english = anonymous.get("/en/news/").content.decode()
    assert "2 comments" in english


# ---------------------------------------------------------------- posting
def test_without_javascript_a_post_returns_to_the_comment_with_a_message(article, citizen):
    response = post(citizen, article, "رأيي في هذا الخبر")
    comment = Comment.objects.get(author=citizen.user)
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}#comment-{comment.pk}"
    page = citizen.get(response["Location"])
    html = page.content.decode()
    assert "سيظهر تعليقك بعد أن يقرأه مشرف" in html
    area = comments_area(page)
    assert "رأيي في هذا الخبر" in area
    assert 'comment__state--pending">بانتظار المراجعة<' in area


def test_a_waiting_comment_is_seen_only_by_its_author(article, citizen, other_citizen):
    post(citizen, article, "رأي خاص بانتظار المراجعة")
    assert "رأي خاص بانتظار المراجعة" not in comments_area(other_citizen.get(article.url))


def test_with_javascript_the_post_answers_json_with_the_rendered_comment(article, citizen):
    response = post(citizen, article, "رأي <b>عريض</b>", json=True)
    data = response.json()
    assert response.status_code == 201
    assert data["ok"] and data["created"] and data["state"] == "pending"
    assert f'id="comment-{data["id"]}"' in data["html"]
    assert "رأي &lt;b&gt;عريض&lt;/b&gt;" in data["html"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", data["key"])


def test_a_double_click_makes_one_comment(article, citizen):
    first = post(citizen, article, "نقرة مزدوجة", key="d" * 32, json=True)
    second = post(citizen, article, "نقرة مزدوجة", key="d" * 32, json=True)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert not second.json()["created"]
    assert Comment.objects.filter(author=citizen.user).count() == 1


def test_a_reply_is_posted_under_its_comment(seed_article, citizen):
    parent = Comment.objects.get(body__startswith="خطوة موفقة")
    response = post(citizen, seed_article, "أتفق مع ما قلتِ", parent=parent.pk, json=True)
    assert response.json()["parent"] == parent.pk
    assert Comment.objects.get(pk=response.json()["id"]).parent_id == parent.pk


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "يرجى كتابة تعليقك أولًا."),
        ("   \n  ", "يرجى كتابة تعليقك أولًا."),
        ("ك" * 2001, "2,001"),
    ],
)
def test_bad_text_gets_a_clear_message_and_keeps_the_text(article, citizen, body, message):
    response = post(citizen, article, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if body.strip():
        assert body in html  # nothing typed is lost
    assert not Comment.objects.exists() or not Comment.objects.filter(author=citizen.user).exists()
    data = post(citizen, article, body, json=True)
    assert data.status_code == 400 and message in " ".join(data.json()["errors"]["body"])


def test_script_tags_and_sql_are_stored_as_text_and_shown_as_text(
    article, citizen, moderator, anonymous
):
    payload = "<script>alert('x')</script>'; DROP TABLE comments_comment; --"
    post(citizen, article, payload)
    comment = Comment.objects.get(author=citizen.user)
    assert comment.body == payload
    services.comment_approve(comment_ids=[comment.pk], moderator=moderator.user)
    area = comments_area(anonymous.get(article.url))
    assert "<script>alert" not in area
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&#x27;; DROP TABLE" in area
    assert Comment.objects.count() >= 1


def test_posting_without_a_csrf_token_is_refused(article, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen.user)
    response = post(client, article, "بلا رمز")
    assert response.status_code == 403
    assert not Comment.objects.filter(author=citizen.user).exists()


def test_a_signed_out_post_keeps_the_text_and_asks_to_sign_in(article, anonymous):
    response = post(anonymous, article, "نص كتبته قبل انتهاء الجلسة")
    assert response.status_code == 401
    html = response.content.decode()
    assert "نص كتبته قبل انتهاء الجلسة" in html
    assert "انتهت جلستك" in html
    assert not Comment.objects.filter(body__contains="قبل انتهاء الجلسة").exists()
    assert post(anonymous, article, "x", json=True).status_code == 401


def test_a_comment_on_an_unpublished_or_unknown_article_is_a_404(article, citizen):
    article.unpublish()
    assert post(citizen, article).status_code == 404
    assert citizen.post("/ar/comments/article/999999/", {"body": "x"}).status_code == 404
    assert citizen.post("/ar/comments/poll/1/", {"body": "x"}).status_code == 404
    assert not Thread.objects.filter(article=article).exists()


def test_a_missing_form_key_is_a_clear_error(article, citizen):
    response = citizen.post(f"/ar/comments/article/{article.pk}/", {"body": "نص"})
    assert response.status_code == 400
    assert "النموذج ناقص" in response.content.decode()


def test_fifty_comments_in_a_minute_are_held_then_refused(article, citizen):
    codes = [post(citizen, article, f"تعليق متكرر {n}").status_code for n in range(50)]
    assert codes[:10] == [302] * 10
    assert set(codes[10:]) == {429}
    assert Comment.objects.filter(author=citizen.user).count() == 10
    held = Comment.objects.filter(author=citizen.user).exclude(screening=[]).count()
    assert held == 5
    response = post(citizen, article, "واحد آخر", json=True)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "يرجى الانتظار" in response.json()["message"]


def test_a_reply_to_a_deleted_comment_is_refused_with_a_message(
    article, citizen, other_citizen, moderator
):
    parent = make_comment(citizen.user, article, moderator=moderator.user)
    services.comment_delete(comment_id=parent.pk, user=citizen.user)
    response = post(other_citizen, article, "رد متأخر", parent=parent.pk)
    assert response.status_code == 403
    assert "التعليق الذي ترد عليه لم يعد متاحًا" in response.content.decode()
    assert "رد متأخر" in response.content.decode()


def test_a_blocked_author_sees_why_instead_of_the_form(article, citizen, moderator):
    services.author_block(user_ids=[citizen.user.pk], moderator=moderator.user, reason="spam")
    area = comments_area(citizen.get(article.url))
    assert "<form" not in area
    assert "لم يعد بإمكان حسابك نشر التعليقات" in area


# ---------------------------------------------------------------- edit, delete, report
def test_the_author_edits_a_comment_on_its_own_page(article, citizen, post_moderation):
    post(citizen, article, "نص أول")
    comment = Comment.objects.get(author=citizen.user)
    assert "نص أول" in citizen.get(f"/ar/comments/{comment.pk}/edit/").content.decode()
    response = citizen.post(f"/ar/comments/{comment.pk}/edit/", {"body": "نص معدّل"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "نص معدّل"
    assert "(معدَّل)" in comments_area(citizen.get(article.url))


def test_editing_late_or_someone_elses_comment_is_refused(article, citizen, other_citizen):
    post(citizen, article, "نص أول")
    comment = Comment.objects.get(author=citizen.user)
    assert other_citizen.get(f"/ar/comments/{comment.pk}/edit/").status_code == 403
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = citizen.post(f"/ar/comments/{comment.pk}/edit/", {"body": "متأخر"})
    assert response.status_code == 403
    assert "15 دقيقة" in response.content.decode()


def test_the_author_deletes_a_comment_and_its_replies_stay(seed_article, anonymous):
    from django.test import Client

    parent = Comment.objects.get(body__startswith="هل ستُنشر")
    client = Client()
    client.force_login(parent.author)
    assert "لا يمكن التراجع" in client.get(f"/ar/comments/{parent.pk}/delete/").content.decode()
    assert client.post(f"/ar/comments/{parent.pk}/delete/").status_code == 302
    area = comments_area(anonymous.get(seed_article.url))
    assert "حُذف هذا التعليق." in area
    assert "هل ستُنشر" not in area
    assert "حسب ما جاء في الخبر" in area


def test_a_signed_in_reader_reports_a_comment(seed_article, citizen):
    comment = Comment.objects.get(body__startswith="خطوة موفقة")
    area = comments_area(citizen.get(seed_article.url))
    assert f'href="/ar/comments/{comment.pk}/report/"' in area
    assert citizen.post(f"/ar/comments/{comment.pk}/report/", {}).status_code == 400
    response = citizen.post(f"/ar/comments/{comment.pk}/report/", {"reason": "off_topic"})
    assert response.status_code == 302
    assert Report.objects.filter(comment=comment, reporter=citizen.user).exists()
    assert "أبلغت عن هذا التعليق" in comments_area(citizen.get(seed_article.url))


def test_anonymous_readers_are_sent_to_sign_in_to_report(seed_article, anonymous):
    comment = Comment.objects.get(body__startswith="خطوة موفقة")
    response = anonymous.get(f"/ar/comments/{comment.pk}/report/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_comments_address_leads_to_its_page_of_the_thread(
    article, user_factory, moderator, anonymous
):
    people = [user_factory() for _ in range(22)]
    ids = [
        make_comment(p, article, body=f"رأي {n}", publish=False).pk for n, p in enumerate(people)
    ]
    services.comment_approve(comment_ids=ids, moderator=moderator.user)
    response = anonymous.get(f"/ar/comments/{ids[0]}/")
    assert response["Location"] == f"{article.url}?cpage=2#comment-{ids[0]}"
    waiting = make_comment(people[0], article, body="ينتظر", publish=False)
    assert anonymous.get(f"/ar/comments/{waiting.pk}/").status_code == 404


def test_citizens_see_their_own_comments_and_their_state(article, citizen, moderator):
    post(citizen, article, "رأي سيُرفض")
    comment = Comment.objects.get(author=citizen.user)
    services.comment_reject(comment_ids=[comment.pk], moderator=moderator.user, reason="off_topic")
    html = citizen.get("/ar/comments/mine/").content.decode()
    assert "رأي سيُرفض" in html
    assert "مرفوض" in html and "لا يتعلق بالموضوع المطروح" in html
    area = comments_area(citizen.get(article.url))
    assert "لم يُنشر." in area


def test_citizens_choose_their_comment_emails(citizen):
    from tawasul.comments.models import NotificationPreference

    assert citizen.get("/ar/comments/notifications/").status_code == 200
    citizen.post("/ar/comments/notifications/", {"on_moderation": "on"})
    preference = NotificationPreference.objects.get(user=citizen.user)
    assert preference.on_moderation and not preference.on_reply
    assert (
        'href="/ar/comments/notifications/"'
        in citizen.get("/ar/accounts/profile/").content.decode()
    )


def test_an_answered_comment_edited_in_pre_moderation_keeps_its_replies_in_place(
    article, citizen, other_citizen, moderator, anonymous
):
    parent = make_comment(citizen.user, article, body="النص الأول", moderator=moderator.user)
    make_comment(
        other_citizen.user, article, body="رد على النص", parent=parent, moderator=moderator.user
    )
    citizen.post(f"/ar/comments/{parent.pk}/edit/", {"body": "النص بعد التعديل"})
    area = comments_area(anonymous.get(article.url))
    assert "عُدّل هذا التعليق وهو بانتظار مشرف." in area
    assert "النص بعد التعديل" not in area and "النص الأول" not in area
    assert "رد على النص" in area
    assert "النص بعد التعديل" in comments_area(citizen.get(article.url))
