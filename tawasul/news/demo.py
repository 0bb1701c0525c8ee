"""Demo news for `tawasul demo`: the two texts the portal was started from, and more.

Called by the core demo_content command; idempotent (found by slug, never duplicated).
Text is kept as written, with its tatweel and typos: real Arabic text looks like this.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone
from django.utils.html import escape

from tawasul.news.models import NewsArticlePage, NewsCategory, NewsIndexPage

DATA = Path(__file__).resolve().parent / "demo_data"


def _paragraphs(text: str) -> list[dict]:
    return [
        {"type": "paragraph", "value": f"<p>{escape(line.strip())}</p>"}
        for line in text.splitlines()
        if line.strip()
    ]


def _when(year, month, day, hour=9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=timezone.get_default_timezone())


CATEGORIES = [
    ("media", "الإعلام الجديد", "New media"),
    ("awareness", "التوعية الأمنية", "Security awareness"),
    ("services", "الخدمات الإلكترونية", "E-services"),
]

ARTICLES = [
    {
        "slug": "ministry-on-social-media",
        "category": "media",
        "published_at": _when(2011, 9, 21, 0),
        "tags": ["فيسبوك", "تويتر", "يوتيوب"],
        "ar": {
            "title": "الداخلية تتواصل مع الجمهور على شبكات التواصل الاجتماعي",
            "subtitle": "دشنت صفحاتها على فيس بوك وتويتر ويوتيوب",
            "summary": "صفحات تفاعلية للوزارة على مواقع التواصل الاجتماعي لتكون نافذة للتعرّف "
            "على أنشطتها وفعالياتها وإبداء الرأي.",
            "body": _paragraphs((DATA / "seed-social-pages.ar.txt").read_text(encoding="utf-8")),
        },
        "en": {
            "title": "The ministry reaches out to the public on social networks",
            "subtitle": "It launched its pages on Facebook, Twitter and YouTube",
            "summary": "The ministry's interactive pages on social networks: a window on its "
            "activities and events, and a place for the public to give its opinion.",
            "body": _paragraphs(
                "The Ministry of Interior launched interactive pages on social networks "
                "(Facebook, Twitter, YouTube) as a window through which the public can learn "
                "about the ministry's activities and events and give its opinion.\n"
                "The step follows workshops and lectures on new media with media and security "
                "specialists. The pages also receive the public's opinions, questions and "
                "inquiries about the services of the ministry's departments.\n"
                "The ministry also uses email to spread security-awareness material, reaching "
                "more than 20,000 recipients."
            ),
        },
    },
    {
        "slug": "interactive-links-window",
        "category": "media",
        "published_at": _when(2014, 3, 10),
        "tags": ["قضايا للنقاش", "استطلاع الرأي", "إنستغرام"],
        "ar": {
            "title": "نافذة الروابط التفاعلية: قضايا للنقاش واستطلاع الرأي",
            "subtitle": "قسمان للتعرّف على آراء الجمهور ومقترحاته",
            "summary": "يتيح موقع الوزارة من خلال نافذة الروابط التفاعلية قسمين للتعرّف على "
            "آراء الجمهور: قضايا للنقاش، واستطلاع الرأي.",
            "body": _paragraphs(
                (DATA / "seed-interactive-window.ar.txt").read_text(encoding="utf-8")
            ),
        },
        "en": {
            "title": "The interactive links window: issues for discussion and opinion polls",
            "subtitle": "Two sections to learn the public's views and suggestions",
            "summary": "Through its interactive links window, the ministry's site offers two "
            "sections to learn the public's views: issues for discussion and opinion polls.",
            "body": _paragraphs(
                "The ministry's first website opened in March 2002 and is today a main source "
                "of information and services for a large part of society.\n"
                "Its interactive pages now include Instagram as well as Facebook, Twitter and "
                "YouTube.\n"
                "Through the interactive links window, the site offers two sections on issues "
                "that concern all of society: issues for discussion and the opinion poll, so "
                "that the public can express its opinion freely and the ministry can identify "
                "the trends of public opinion and use them to serve society."
            ),
        },
    },
    {
        "slug": "phishing-awareness-campaign",
        "category": "awareness",
        "published_at": _when(2026, 10, 5),
        "tags": ["التصيد الاحتيالي", "الأمن السيبراني"],
        "ar": {
            "title": "حملة توعوية للتحذير من رسائل التصيّد الاحتيالي",
            "subtitle": "لا تشارك رمز التحقق مع أحد",
            "summary": "تطلق الوزارة حملة توعوية تحذّر من الرسائل والروابط المزيفة التي تطلب "
            "بيانات شخصية أو رموز تحقق.",
            "body": _paragraphs(
                "أطلقت الوزارة حملة توعوية للتحذير من رسائل التصيّد الاحتيالي التي تنتحل صفة "
                "جهات رسمية وتطلب بيانات شخصية أو رموز تحقق.\n"
                "وتذكّر الوزارة بأنها لا تطلب رموز التحقق أو كلمات المرور عبر الهاتف أو "
                "الرسائل، وتدعو إلى الإبلاغ عن أي رسالة مشبوهة."
            ),
        },
        "en": {
            "title": "Awareness campaign warns of phishing messages",
            "subtitle": "Never share a verification code",
            "summary": "The ministry launches a campaign warning of fake messages and links "
            "that ask for personal data or verification codes.",
            "body": _paragraphs(
                "The ministry launched an awareness campaign warning of phishing messages that "
                "pretend to come from official bodies and ask for personal data or codes.\n"
                "The ministry never asks for verification codes or passwords by phone or "
                "message, and asks the public to report any suspicious message."
            ),
        },
    },
]


def load(home, locales, translate) -> None:
    """Create the news section in both languages. ``translate(page, locale, fields)``
    makes (or finds) a page's translation."""
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = NewsIndexPage(
            title="الأخبار", slug="news", intro="أخبار الوزارة وأنشطتها وفعالياتها."
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    translate(
        index, locales["en"], {"title": "News", "intro": "The ministry's news and activities."}
    )

    categories = {}
    for slug, name_ar, name_en in CATEGORIES:
        category = NewsCategory.objects.filter(slug=slug, locale=locales["ar"]).first()
        if category is None:
            category = NewsCategory.objects.create(slug=slug, name=name_ar, locale=locales["ar"])
        english = category.get_translation_or_none(locales["en"])
        if english is None:
            english = category.copy_for_translation(locales["en"])
            english.name = name_en
            english.save()
        categories[slug] = {"ar": category, "en": english}

    for spec in ARTICLES:
        article = NewsArticlePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if article is None:
            article = NewsArticlePage(
                slug=spec["slug"],
                published_at=spec["published_at"],
                category=categories[spec["category"]]["ar"],
                **spec["ar"],
            )
            index.add_child(instance=article)
            article.tags.add(*spec["tags"])
            article.save_revision().publish()
        translate(
            article, locales["en"], {**spec["en"], "category": categories[spec["category"]]["en"]}
        )
