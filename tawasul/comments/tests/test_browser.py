"""Comments in a real browser: posting with and without JavaScript in both languages, the
moderation flow in the Wagtail admin, hostile text, and axe-core on every page that shows
comments."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import PASSWORD
from tawasul.comments import services
from tawasul.comments.models import Comment
from tawasul.comments.tests.conftest import article_of
from tawasul.core.tests.test_browser import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOSTILE = [
    "<script>window.__pwned = 1; alert('script')</script>",
    '<img src="x" onerror="window.__pwned = 1; alert(\'img\')">',
    "<svg onload=\"window.__pwned = 1\"><circle r='9'/></svg>",
    "javascript:window.__pwned=1;alert('js-url')",
    'https://example.org/"><script>window.__pwned=1</script>',
    '"><iframe src="javascript:alert(\'frame\')"></iframe>',
    "</textarea><script>window.__pwned=1</script><textarea>",
    "</style><style>body { display: none }</style>",
    "'; DROP TABLE comments_comment; --",
    "Robert'); DELETE FROM accounts_user WHERE ('1'='1",
    "\u202etxt.exe\u202c حساب \u202eevil\u2066 \u2067isolate\u2069 end",
    "ت\u200bو\u200cا\u200dص\ufeffل \u2060zero\u200bwidth",
    "كلمة" * 450,  # one 1,800-letter word
    "https://example.org/" + "a" * 1500,
    "وزارة Ministry of Interior ٢٠٢٦ 2026 (قسم) [section] «مرحبا» “hello” ؟?",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt; &#60;b&#62; &#x3C;i&#x3E; &nbsp;",
    "Z" + "\u0336\u0334\u0321\u0322\u031b\u0317\u0318\u0319\u031c\u031d" * 30 + "A",
    "سطر\n" * 150,
    "{{ 7*7 }} {% csrf_token %} %(count)s %s {0} ${alert(1)}",
    "\u2028line\u2029paragraph</script>",
    '<a href="http://evil.example" style="position:fixed;inset:0">click me</a>',
    "🇶🇦👨‍👩‍👧‍👦🏳️‍🌈 " * 40,
]


# The elements that stick out of a viewport of the given width (for the failure message).
WIDER_THAN = """(width) => Array.from(document.querySelectorAll('body *'))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.right > width + 1 || r.left < -1)
    .slice(0, 8)
    .map(([el, r]) => `${el.tagName}.${el.className} ${r.left | 0}..${r.right | 0}`)"""


def sign_in(page, base: str, email: str, language: str = "ar") -> None:
    page.goto(f"{base}/{language}/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/accounts/profile/")


def self_contained(page, live_server) -> None:
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []
    assert not [e for e in page.watch.console_errors if "Content Security Policy" in e]


@pytest.mark.parametrize(
    ("language", "slug", "button", "waiting"),
    [
        ("ar", "interactive-links-window", "نشر التعليق", "بانتظار المراجعة"),
        ("en", "interactive-links-window", "Post comment", "Awaiting review"),
    ],
)
def test_with_javascript_a_comment_is_posted_without_reloading_the_page(
    demo_site, live_server, browser_page, citizen, language, slug, button, waiting
):
    page = browser_page
    sign_in(page, live_server.url, "citizen@example.org", language)
    article = article_of(slug, language)
    page.goto(f"{live_server.url}{article.url}")
    form = page.locator("form.comment-form").first
    counter = form.locator("[data-counter]")
    assert re.search(r"0\D+2000", counter.inner_text())
    form.locator("textarea").fill("رأيي: the ministry's pages help 👍")
    assert re.search(r"33\D+2000", counter.inner_text())
    page.evaluate("window.__sameDocument = true")
    form.get_by_role("button", name=button).click()
    page.locator(".comment--new").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # no reload
    new = page.locator(".comment--new")
    assert "the ministry's pages help" in new.inner_text()
    assert waiting in new.locator(".comment__state").inner_text()
    assert new.locator(".comment__body").get_attribute("dir") == "auto"
    assert form.locator("textarea").input_value() == ""
    assert form.locator("[data-status]").inner_text()
    assert page.locator("[data-comments-empty]").count() == 0
    assert Comment.objects.filter(author=citizen.user, state="pending").count() == 1
    self_contained(page, live_server)


def test_with_javascript_a_reply_and_an_error_stay_on_the_page(
    demo_site, live_server, browser_page, citizen
):
    page = browser_page
    sign_in(page, live_server.url, "citizen@example.org")
    article = article_of("ministry-on-social-media")
    page.goto(f"{live_server.url}{article.url}")
    form = page.locator("form.comment-form").first
    form.get_by_role("button", name="نشر التعليق").click()
    status = form.locator("[data-status]")
    status.filter(has_text="يرجى كتابة تعليقك أولًا").wait_for()
    parent = Comment.objects.get(body__startswith="خطوة موفقة")
    item = page.locator(f"#comment-{parent.pk}")
    item.locator("summary", has_text="رد").click()
    reply_form = item.locator("form.comment-form")
    reply_form.locator("textarea").fill("أتفق معكِ تمامًا")
    page.evaluate("window.__sameDocument = true")
    reply_form.get_by_role("button", name="نشر الرد").click()
    item.locator(".comment-replies .comment--new").wait_for()
    assert page.evaluate("window.__sameDocument") is True
    assert Comment.objects.get(body="أتفق معكِ تمامًا").parent_id == parent.pk
    self_contained(page, live_server)


@pytest.mark.parametrize(
    ("language", "button", "thanks"),
    [
        ("ar", "نشر التعليق", "سيظهر تعليقك بعد أن يقرأه مشرف"),
        ("en", "Post comment", "Your comment will appear once a moderator has read it"),
    ],
)
def test_without_javascript_a_comment_is_posted_the_same_way(
    demo_site, live_server, browser, citizen, language, button, thanks
):
    context = browser.new_context(java_script_enabled=False, locale=language)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "citizen@example.org", language)
        article = article_of("interactive-links-window", language)
        page.goto(f"{live_server.url}{article.url}")
        page.locator("form.comment-form textarea").first.fill("رأي بلا جافاسكربت\nسطر ثانٍ")
        page.get_by_role("button", name=button).first.click()
        page.wait_for_url(re.compile(r".*#comment-\d+$"))
        assert thanks in page.locator(".messages").inner_text()
        comment = Comment.objects.get(author=citizen.user)
        item = page.locator(f"#comment-{comment.pk}")
        assert item.locator(".comment__body br").count() == 1
        assert comment.body == "رأي بلا جافاسكربت\nسطر ثانٍ"
    finally:
        context.close()


def test_a_moderator_walks_the_queue_in_the_wagtail_admin(
    demo_site, live_server, browser_page, moderator, user_factory
):
    article = article_of("interactive-links-window")
    from tawasul.comments import selectors

    authors = [user_factory(display_name=f"كاتب {n}") for n in range(3)]
    waiting = [
        services.comment_create(
            author=person,
            target=article,
            body=f"رأي ينتظر رقم {n}",
            idempotency_key=selectors.new_form_key(),
        ).comment
        for n, person in enumerate(authors)
    ]
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("moderator@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert "بانتظار المشرف" in page.content()

    # The queue: two comments approved in bulk.
    page.goto(f"{live_server.url}/admin/comments/")
    for comment in waiting[:2]:
        page.locator(f'input[data-object-id="{comment.pk}"]').check()
    page.locator("[data-bulk-action-footer] a", has_text="اعتماد").click()
    page.wait_for_url("**/admin/bulk/comments/comment/approve/**")
    assert "رأي ينتظر رقم 0" in page.content()
    page.locator("form button[type=submit]", has_text="اعتماد").click()
    page.wait_for_url("**/admin/comments/**")
    assert {c.state for c in Comment.objects.filter(pk__in=[w.pk for w in waiting[:2]])} == {
        "published"
    }

    # One comment rejected with a canned reason and a note.
    page.goto(f"{live_server.url}/admin/comments/moderate/{waiting[2].pk}/")
    reject = page.locator("form", has=page.locator("input[name=action][value=reject]"))
    reject.locator("select[name=reason]").select_option("off_topic")
    reject.locator("textarea[name=note]").fill("يرجى الالتزام بموضوع الخبر")
    reject.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/comments/")
    rejected = Comment.objects.get(pk=waiting[2].pk)
    assert (rejected.state, rejected.reason) == ("rejected", "off_topic")

    # The decision is in the comment's history, with who and why.
    page.goto(f"{live_server.url}/admin/comments/moderate/{waiting[2].pk}/")
    history = page.locator("table", has_text="moderator@example.org").last.inner_text()
    assert "لا يتعلق بالموضوع المطروح" in history and "يرجى الالتزام بموضوع الخبر" in history
    self_contained(page, live_server)

    # Readers see the approved comments at once.
    reader = page.context.browser.new_context(locale="ar")
    try:
        public = reader.new_page()
        public.goto(f"{live_server.url}{article.url}")
        text = public.locator("#comments").inner_text()
        assert "رأي ينتظر رقم 0" in text and "رأي ينتظر رقم 1" in text
        assert "رأي ينتظر رقم 2" not in text
    finally:
        reader.close()


def test_hostile_comments_posted_through_the_form_run_nothing_and_break_no_layout(
    demo_site, live_server, browser, citizen, moderator, settings
):
    settings.COMMENTS_PER_MINUTE = 1000
    article = article_of("interactive-links-window")
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    from conftest import PageWatch

    page.watch = PageWatch(page)
    try:
        sign_in(page, live_server.url, "citizen@example.org")
        page.goto(f"{live_server.url}{article.url}")
        form = page.locator("form.comment-form").first
        for n, payload in enumerate(HOSTILE):
            form.locator("textarea").fill(payload)
            form.get_by_role("button", name="نشر التعليق").click()
            page.locator(".comment--new").nth(n).wait_for()
        stored = Comment.objects.filter(author=citizen.user)
        assert stored.count() == len(HOSTILE)
        services.comment_approve(
            comment_ids=list(stored.values_list("pk", flat=True)), moderator=moderator.user
        )

        shown_to = [
            (page, article.url),  # the author, with the form
            (page, "/ar/comments/mine/"),
        ]
        reader = browser.new_context(locale="ar")
        anonymous = reader.new_page()
        anonymous.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        anonymous.watch = PageWatch(anonymous)
        shown_to.append((anonymous, f"{article.url}?cpage=2"))
        shown_to.append((anonymous, f"{article.url}?order=oldest"))
        for viewer, path in shown_to:
            for width in (360, 1280):
                viewer.set_viewport_size({"width": width, "height": 800})
                viewer.goto(f"{live_server.url}{path}")
                viewer.wait_for_load_state("networkidle")
                assert viewer.evaluate("window.__pwned") is None, path
                wide = viewer.evaluate(WIDER_THAN, width)
                assert viewer.evaluate("document.documentElement.scrollWidth") <= width, (
                    path,
                    wide,
                )
                boxes = viewer.evaluate(
                    """() => Array.from(document.querySelectorAll(
                        '.comment__box, .comment__body, .my-comment'
                    )).map(el => { const r = el.getBoundingClientRect();
                                   return [Math.floor(r.left), Math.ceil(r.right)]; })"""
                )
                assert boxes and all(left >= 0 and right <= width for left, right in boxes), path
            assert axe_violations(viewer) == [], path
            self_contained(viewer, live_server)
        text = anonymous.locator("#comments").inner_text()  # oldest first: the corpus in order
        assert "<script>window.__pwned = 1; alert('script')</script>" in text
        assert "DROP TABLE comments_comment" in text
        assert "\u202e" not in text and "\u200b" not in text
        assert anonymous.locator("#comments a[href^='javascript']").count() == 0
        assert anonymous.locator("#comments script, #comments img, #comments iframe").count() == 0
        reader.close()

        # The moderator's pages show the same text safely.
        admin_context = browser.new_context(locale="ar")
        admin_page = admin_context.new_page()
        admin_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        admin_page.goto(f"{live_server.url}/admin/login/")
        admin_page.locator("#id_username").fill("moderator@example.org")
        admin_page.locator("#id_password").fill(PASSWORD)
        admin_page.locator("button[type=submit]").first.click()
        admin_page.wait_for_url(f"{live_server.url}/admin/")
        for path in [
            "/admin/comments/?state=all",
            f"/admin/comments/moderate/{stored.first().pk}/",
        ]:
            admin_page.goto(f"{live_server.url}{path}")
            admin_page.wait_for_load_state("networkidle")
            assert admin_page.evaluate("window.__pwned") is None
        admin_context.close()
        assert dialogs == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_article_pages_with_comments_are_axe_clean(
    demo_site, live_server, browser_page, citizen, language, signed_in
):
    page = browser_page
    if signed_in:
        sign_in(page, live_server.url, "citizen@example.org", language)
    article = article_of("ministry-on-social-media", language)
    page.goto(f"{live_server.url}{article.url}")
    page.wait_for_load_state("networkidle")
    assert page.locator(".comment").count() >= 2
    if signed_in:
        page.locator(".comment__reply summary").first.click()
    assert axe_violations(page) == []
    self_contained(page, live_server)


def test_the_comment_pages_of_a_citizen_are_axe_clean(
    demo_site, live_server, browser_page, citizen
):
    page = browser_page
    sign_in(page, live_server.url, "citizen@example.org")
    article = article_of("ministry-on-social-media")
    comment = services.comment_create(
        author=citizen.user, target=article, body="رأيي", idempotency_key="axe-" + "k" * 20
    ).comment
    other = Comment.objects.get(body__startswith="خطوة موفقة")
    for path in [
        f"/ar/comments/{comment.pk}/edit/",
        f"/ar/comments/{comment.pk}/delete/",
        f"/ar/comments/{other.pk}/report/",
        "/ar/comments/mine/",
        "/ar/comments/notifications/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], path
    self_contained(page, live_server)
