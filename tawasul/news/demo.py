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
    _load_events(home, locales, translate)
    _load_awareness(home, locales, translate)


# ---------------------------------------------------------------- events
def _from_now(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A time some days ahead of the first demo load (later loads keep the events as they are)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_default_timezone())


def _events() -> list[dict]:
    return [
        {
            "slug": "new-media-workshop",
            "start_at": _when(2011, 9, 14, 9),
            "end_at": _when(2011, 9, 14, 13),
            "location_name": "قاعة المحاضرات — مبنى الوزارة",
            "ar": {
                "title": "ورشة عمل: الإعلام الجديد والتوعية الأمنية",
                "summary": "ورشة مع مختصين في الإعلام والأمن حول استخدام شبكات التواصل "
                "الاجتماعي في نشر الوعي الأمني والتعرّف على آراء الجمهور.",
                "location_name": "قاعة المحاضرات — مبنى الوزارة",
            },
            "en": {
                "title": "Workshop: new media and security awareness",
                "summary": "A workshop with media and security specialists on using social "
                "networks to spread security awareness and learn the public's views.",
                "location_name": "Lecture hall — ministry building",
            },
        },
        {
            "slug": "online-fraud-lecture",
            "start_at": _from_now(10, 18),
            "end_at": _from_now(10, 19, 30),
            "location_name": "مركز الشباب",
            "online_url": "https://meet.example.org/tawasul-fraud-lecture",
            "ar": {
                "title": "محاضرة توعوية: كيف تحمي نفسك من الاحتيال الإلكتروني",
                "summary": "محاضرة مفتوحة للجمهور عن أساليب الاحتيال الإلكتروني الشائعة "
                "وطرق الوقاية منها، تُبث مباشرة عبر الإنترنت.",
                "location_name": "مركز الشباب",
                "location_address": "شارع الكورنيش",
            },
            "en": {
                "title": "Awareness lecture: protect yourself from online fraud",
                "summary": "An open lecture on common online fraud and how to avoid it, "
                "also streamed live.",
                "location_name": "Youth centre",
                "location_address": "Corniche Street",
            },
        },
        {
            "slug": "open-meeting-online",
            "start_at": _from_now(20, 20),
            "end_at": _from_now(20, 21),
            "online_url": "https://meet.example.org/tawasul-open-meeting",
            "ar": {
                "title": "لقاء مفتوح مع الجمهور عبر الإنترنت",
                "summary": "يجيب فيه مسؤولو الوزارة عن أسئلة الجمهور حول الخدمات الإلكترونية.",
            },
            "en": {
                "title": "Open online meeting with the public",
                "summary": "Ministry officials answer the public's questions about the e-services.",
            },
        },
        {
            "slug": "traffic-safety-exhibition",
            "start_at": _from_now(30, 0),
            "end_at": _from_now(32, 0),
            "all_day": True,
            "location_name": "مركز المعارض",
            "ar": {
                "title": "معرض السلامة المرورية",
                "summary": "معرض توعوي على مدى ثلاثة أيام بمشاركة الإدارة العامة للمرور.",
                "location_name": "مركز المعارض",
            },
            "en": {
                "title": "Traffic safety exhibition",
                "summary": "A three-day awareness exhibition with the General Traffic Department.",
                "location_name": "Exhibition centre",
            },
        },
    ]


def _load_events(home, locales, translate) -> None:
    from tawasul.news.models import EventIndexPage, EventPage

    index = EventIndexPage.objects.child_of(home).first()
    if index is None:
        index = EventIndexPage(
            title="الأنشطة والفعاليات",
            slug="events",
            intro="أنشطة الوزارة وفعالياتها القادمة والسابقة.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    translate(
        index,
        locales["en"],
        {"title": "Activities and events", "intro": "The ministry's coming and past events."},
    )
    for spec in _events():
        event = EventPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if event is None:
            event = EventPage(
                slug=spec["slug"],
                start_at=spec["start_at"],
                end_at=spec["end_at"],
                all_day=spec.get("all_day", False),
                online_url=spec.get("online_url", ""),
                **spec["ar"],
            )
            index.add_child(instance=event)
            event.save_revision().publish()
        translate(event, locales["en"], spec["en"])


# ---------------------------------------------------------------- awareness material
CAMPAIGNS = [
    (
        "phishing",
        ("التصيّد الاحتيالي", "كيف تتعرّف على الرسائل والروابط المزيفة."),
        ("Phishing", "How to recognise fake messages and links."),
    ),
    (
        "home-safety",
        ("سلامة المنازل", "خطوات بسيطة تحمي منزلك."),
        ("Home safety", "Simple steps that protect your home."),
    ),
    (
        "digital-safety",
        ("الأمان الرقمي", "حماية الأسرة على الإنترنت."),
        ("Digital safety", "Keeping the family safe online."),
    ),
]

MATERIALS = [
    {
        "slug": "never-share-your-code",
        "kind": "poster",
        "campaign": "phishing",
        "image": "poster-phishing",
        "ar": {
            "title": "ملصق: لا تشارك رمز التحقق مع أحد",
            "summary": "ثلاث نصائح للوقاية من رسائل التصيّد الاحتيالي.",
            "image_alt": "ملصق بعنوان «لا تشارك رمز التحقق مع أحد» وثلاث نصائح: الوزارة لا "
            "تطلب رمز التحقق أو كلمة المرور أبدًا، تحقّق من عنوان الموقع قبل إدخال بياناتك، "
            "أبلغ عن الرسائل المشبوهة ولا تضغط على روابطها.",
        },
        "en": {
            "title": "Poster: never share your verification code",
            "summary": "Three tips against phishing messages.",
            "image_alt": "Poster titled 'Never share your verification code' with three tips: "
            "the ministry never asks for codes or passwords; check the site's address before "
            "you type anything; report suspicious messages and do not open their links.",
        },
    },
    {
        "slug": "keep-your-home-safe",
        "kind": "poster",
        "campaign": "home-safety",
        "image": "poster-home-safety",
        "ar": {
            "title": "ملصق: بيتك أمانة",
            "summary": "خطوات بسيطة قبل السفر تحمي منزلك.",
            "image_alt": "ملصق بعنوان «بيتك أمانة» وثلاث نصائح قبل السفر: أغلق الأبواب "
            "والنوافذ وافصل الأجهزة، لا تعلن عن سفرك على مواقع التواصل، اطلب من جار موثوق "
            "متابعة المنزل.",
        },
        "en": {
            "title": "Poster: keep your home safe",
            "summary": "A few simple steps before you travel.",
            "image_alt": "Poster titled 'Keep your home safe' with three tips before "
            "travelling: lock doors and windows and unplug appliances; do not announce your "
            "trip on social media; ask a trusted neighbour to keep an eye on the house.",
        },
    },
    {
        "slug": "phishing-explained-video",
        "kind": "video",
        "campaign": "phishing",
        "image": "video-poster",
        "video_url": "https://www.youtube.com/watch?v=Tawasul0001",
        "ar": {
            "title": "فيديو: كيف تكشف رسالة احتيالية في دقيقة",
            "summary": "شرح مصوّر لعلامات الرسائل الاحتيالية.",
            "image_alt": "شعار التوعية الأمنية: درع عليه علامة صح",
        },
        "en": {
            "title": "Video: spot a scam message in one minute",
            "summary": "A short film on the signs of a scam message.",
            "image_alt": "The security-awareness emblem: a shield with a tick",
        },
    },
    {
        "slug": "family-digital-safety-guide",
        "kind": "document",
        "campaign": "digital-safety",
        "document": "digital-safety-guide",
        "ar": {
            "title": "دليل الأمان الرقمي للأسرة (PDF)",
            "summary": "نصائح عملية لكلمات المرور والرسائل المشبوهة وأمان الأطفال على الإنترنت.",
        },
        "en": {
            "title": "A family guide to digital safety (PDF)",
            "summary": "Practical advice on passwords, suspicious messages and children online.",
        },
    },
]


def _image_file(name: str, title: str):
    from tawasul.news.services import image_from_file

    return image_from_file(DATA / name, title)


def _document_file(name: str, title: str):
    from django.core.files import File
    from wagtail.documents import get_document_model

    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    with (DATA / name).open("rb") as handle:
        document = Document(title=title, file=File(handle, name=name))
        document.save()
    return document


def _load_awareness(home, locales, translate) -> None:
    from tawasul.news.models import AwarenessCampaign, AwarenessIndexPage, AwarenessMaterialPage

    index = AwarenessIndexPage.objects.child_of(home).first()
    if index is None:
        index = AwarenessIndexPage(
            title="مواد التوعية",
            slug="awareness",
            intro="ملصقات ومقاطع فيديو وأدلة للتوعية الأمنية، مجمّعة حسب الحملة.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    translate(
        index,
        locales["en"],
        {
            "title": "Awareness material",
            "intro": "Security-awareness posters, videos and guides, grouped by campaign.",
        },
    )
    campaigns = {}
    for slug, (name_ar, about_ar), (name_en, about_en) in CAMPAIGNS:
        campaign = AwarenessCampaign.objects.filter(slug=slug, locale=locales["ar"]).first()
        if campaign is None:
            campaign = AwarenessCampaign.objects.create(
                slug=slug, name=name_ar, description=about_ar, locale=locales["ar"]
            )
        english = campaign.get_translation_or_none(locales["en"])
        if english is None:
            english = campaign.copy_for_translation(locales["en"])
            english.name, english.description = name_en, about_en
            english.save()
        campaigns[slug] = {"ar": campaign, "en": english}

    for spec in MATERIALS:
        material = AwarenessMaterialPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        extra = {"ar": {}, "en": {}}
        for lang in ("ar", "en"):
            if spec.get("image") == "video-poster":
                extra[lang]["image"] = _image_file("video-poster.jpg", "video poster")
            elif spec.get("image"):
                name = f"{spec['image']}.{lang}.jpg"
                extra[lang]["image"] = _image_file(name, spec[lang]["title"])
            if spec.get("document"):
                name = f"{spec['document']}.{lang}.pdf"
                extra[lang]["document"] = _document_file(name, spec[lang]["title"])
        if material is None:
            material = AwarenessMaterialPage(
                slug=spec["slug"],
                kind=spec["kind"],
                video_url=spec.get("video_url", ""),
                campaign=campaigns[spec["campaign"]]["ar"],
                **spec["ar"],
                **extra["ar"],
            )
            index.add_child(instance=material)
            material.save_revision().publish()
        translate(
            material,
            locales["en"],
            {**spec["en"], **extra["en"], "campaign": campaigns[spec["campaign"]]["en"]},
        )
