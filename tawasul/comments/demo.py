"""Demo comments for `tawasul demo`: a conversation under the seed article in Arabic and
under one English article, and one comment waiting in the moderation queue.

Called by the core demo_content command after the news demo; idempotent (each comment
has a fixed form key, so running it again finds it instead of posting it twice). The
demo people cannot sign in (no password) and get no email.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from tawasul.accounts.models import User
from tawasul.accounts.roles import ROLES
from tawasul.comments import services
from tawasul.comments.models import NotificationPreference
from tawasul.news.models import NewsArticlePage

PEOPLE = {
    "sara": ("demo.sara@tawasul.local", "سارة أحمد", "ar"),
    "mohammed": ("demo.mohammed@tawasul.local", "محمد العلي", "ar"),
    "layla": ("demo.layla@tawasul.local", "ليلى", "ar"),
    "noura": ("demo.noura@tawasul.local", "نورة", "ar"),
    "james": ("demo.james@tawasul.local", "James Carter", "en"),
    "amal": ("demo.amal@tawasul.local", "Amal", "en"),
}
MODERATOR = ("demo.moderator@tawasul.local", "مشرف التعليقات", "ar")

# (form key, person, article slug, language, text, reply to key, approved)
COMMENTS = [
    (
        "demo-comment-ar-0001",
        "sara",
        "ministry-on-social-media",
        "ar",
        "خطوة موفقة من الوزارة، فالتواصل عبر الشبكات الاجتماعية يقرّب المسافة بين الجمهور "
        "والجهات الرسمية. نتمنى أن تكون الردود على الاستفسارات سريعة.",
        None,
        True,
    ),
    (
        "demo-comment-ar-0002",
        "mohammed",
        "ministry-on-social-media",
        "ar",
        "هل ستُنشر الإعلانات المهمة على تويتر أولاً أم على موقع الوزارة؟",
        None,
        True,
    ),
    (
        "demo-comment-ar-0003",
        "layla",
        "ministry-on-social-media",
        "ar",
        "حسب ما جاء في الخبر تُنشر على الموقع والصفحات معاً، وقناة YouTube فيها المقاطع "
        "التوعوية: https://www.youtube.com/@tawasul-demo",
        "demo-comment-ar-0002",
        True,
    ),
    (
        "demo-comment-en-0001",
        "james",
        "ministry-on-social-media",
        "en",
        "Good to see the ministry on social networks. Will the pages also answer "
        "questions in English?",
        None,
        True,
    ),
    (
        "demo-comment-en-0002",
        "amal",
        "ministry-on-social-media",
        "en",
        "The awareness videos are short and clear. شكراً — please keep them coming.",
        None,
        True,
    ),
    (
        "demo-comment-ar-0004",
        "noura",
        "phishing-awareness-campaign",
        "ar",
        "وصلتني رسالة من رقم غريب تطلب رمز التحقق باسم الوزارة، كيف أبلغ عنها؟",
        None,
        False,
    ),
]


def _person(email: str, name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        from django.utils import timezone

        user = User.objects.create_user(
            email=email,
            password=None,
            display_name=name,
            preferred_language=language,
            email_verified_at=timezone.now(),
        )
        NotificationPreference.objects.get_or_create(
            user=user, defaults={"on_moderation": False, "on_reply": False}
        )
    return user


def _moderator() -> User:
    user = _person(*MODERATOR)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    group = Group.objects.filter(name=ROLES["moderator"]).first()
    if group is not None:
        user.groups.add(group)
    return user


def load(home, locales, translate) -> None:
    people = {key: _person(*spec) for key, spec in PEOPLE.items()}
    moderator = _moderator()
    posted = {}
    for key, person, slug, language, body, reply_to, approved in COMMENTS:
        article = NewsArticlePage.objects.filter(slug=slug, locale=locales[language]).first()
        if article is None:
            continue
        result = services.comment_create(
            author=people[person],
            target=article,
            body=body,
            idempotency_key=key,
            parent=posted.get(reply_to),
        )
        posted[key] = result.comment
        if approved and result.created:
            services.comment_approve(
                comment_ids=[result.comment.pk], moderator=moderator, note="demo"
            )
