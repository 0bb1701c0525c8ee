"""Demo issues for `tawasul demo`: one open issue for discussion in Arabic and English, with
seed statements and the votes of 36 pseudonymous demo participants (in three camps), so
the report page shows an opinion map at once; and one closed issue with its outcome
("what we heard", "what we will do"), so the public results page has something to show.

Idempotent: each issue has a fixed translation key; a second run finds it and changes
nothing. The demo votes are written as history, like an import, not through the vote path.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from tawasul.discussions import services
from tawasul.discussions.models import DiscussionIssue, Participant, Vote

KEY = uuid.UUID("6a1d3f2e-9b7c-4d0e-8f21-3c5b7a9e0d14")

ARABIC = {
    "title": "مستقبل السلامة المرورية قرب المدارس",
    "question": "ما الذي يجعل الطريق إلى المدرسة أكثر أمانًا لأبنائنا؟",
    "background": "تدرس الوزارة إجراءات جديدة حول المدارس: السرعة، والعبور، ومواقف السيارات. "
    "صوّت على آراء غيرك، وأضف رأيك في جملة قصيرة.",
}
ENGLISH = {
    "title": "The future of road safety near schools",
    "question": "What would make the way to school safer for our children?",
    "background": "The ministry is studying new measures around schools: speed, crossings and "
    "parking. Vote on other people's statements, and add your own in one short sentence.",
}
SEEDS = [
    "يجب خفض السرعة إلى ٣٠ كم/س قرب كل مدرسة",
    "نحتاج مراقبين للعبور عند بوابات المدارس",
    "كاميرات السرعة أفضل من الدوريات",
    "يجب منع الوقوف المزدوج وقت الانصراف",
    "الحافلات المدرسية المجانية تحل المشكلة",
    "المخالفات الحالية كافية ولا نحتاج قوانين جديدة",
    "Safe cycling lanes to schools should come first",
    "Parents should walk their children to school more",
]
# three camps: their stance on each seed (1 agree, -1 disagree, 0 pass)
CAMPS = [
    [1, 1, 1, 1, -1, -1, 1, 0],
    [-1, 1, -1, 1, 1, 1, 0, 1],
    [1, 0, -1, -1, 1, -1, 1, -1],
]


CLOSED_KEY = uuid.UUID("3f0c2b7a-5d41-4e8b-9a6c-1e2d3c4b5a69")
CLOSED_ARABIC = {
    "title": "ساعات عمل مراكز الخدمة في رمضان",
    "question": "ما أنسب ساعات عمل مراكز الخدمة خلال شهر رمضان؟",
    "background": "استطلعت الوزارة آراء المراجعين في ساعات عمل مراكز الخدمة خلال شهر رمضان.",
    "what_we_heard": "شارك أكثر من ثلاثين مواطنًا. اتفق أغلبهم على أن الدوام المسائي بعد "
    "الإفطار يخدم الموظفين، وأن حجز المواعيد مسبقًا يقلّل الانتظار.",
    "what_we_will_do": "ستفتح الوزارة مراكز الخدمة الرئيسة مساءً من التاسعة حتى منتصف الليل "
    "طوال شهر رمضان القادم، وستتيح حجز المواعيد عبر البوابة.",
}
CLOSED_ENGLISH = {
    "title": "Opening hours of service centres in Ramadan",
    "question": "Which opening hours of the service centres suit you best during Ramadan?",
    "background": "The ministry asked visitors about the opening hours of its service "
    "centres during the month of Ramadan.",
    "what_we_heard": "More than thirty citizens took part. Most agreed that evening hours "
    "after iftar suit working people, and that booking ahead shortens the wait.",
    "what_we_will_do": "The main service centres will open in the evening from nine until "
    "midnight throughout next Ramadan, and appointments can be booked on the portal.",
}
CLOSED_SEEDS = [
    "الدوام المسائي بعد الإفطار أنسب للموظفين",
    "يجب أن يبقى الدوام الصباحي كما هو",
    "حجز المواعيد مسبقًا يقلّل الانتظار",
    "Centres should stay open until midnight",
    "الخدمات الإلكترونية تغني عن زيارة المراكز",
]
CLOSED_CAMPS = [[1, -1, 1, 1, 0], [-1, 1, 1, -1, 1], [1, 0, 1, 1, -1]]


def load(home, locales, translate) -> None:
    _load_open(locales)
    _load_closed(locales)


def _make(locales, key, arabic_fields, english_fields, **fields) -> DiscussionIssue:
    arabic = DiscussionIssue.objects.create(
        translation_key=key, locale=locales["ar"], **fields, **arabic_fields
    )
    english = arabic.copy_for_translation(locales["en"])
    for name, value in english_fields.items():
        setattr(english, name, value)
    english.save()
    return arabic


def _vote(key, arabic, seeds, camps, start) -> None:
    """The seed statements and 36 demo participants in three camps, who joined over six
    days from ``start`` and voted on most statements."""
    statements = [services.statement_seed(issue=arabic, text=text) for text in seeds]
    votes = []
    for n in range(36):
        camp = camps[n % 3]
        participant = Participant.objects.create(
            issue_key=key, identity=f"demo:{n}", created_at=start + dt.timedelta(days=n % 6)
        )
        for i, statement in enumerate(statements):
            if (n + i) % 5 == 0:
                continue  # not everyone sees everything
            value = camp[i] if (n * 7 + i) % 9 else -camp[i] or 1
            votes.append(
                Vote(
                    issue_key=key,
                    participant=participant,
                    statement=statement,
                    value=value,
                    created_at=participant.created_at,
                )
            )
    Vote.objects.bulk_create(votes)


def _load_closed(locales) -> None:
    if DiscussionIssue.objects.filter(translation_key=CLOSED_KEY).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        arabic = _make(
            locales,
            CLOSED_KEY,
            CLOSED_ARABIC,
            CLOSED_ENGLISH,
            status=DiscussionIssue.Status.CLOSED,
            voters=DiscussionIssue.Voters.ANYONE,
            opens_at=now - dt.timedelta(days=90),
            closes_at=now - dt.timedelta(days=30),
        )
        _vote(CLOSED_KEY, arabic, CLOSED_SEEDS, CLOSED_CAMPS, now - dt.timedelta(days=80))
    services.analysis_compute(issue_key=CLOSED_KEY)


def _load_open(locales) -> None:
    if DiscussionIssue.objects.filter(translation_key=KEY).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        arabic = _make(
            locales,
            KEY,
            ARABIC,
            ENGLISH,
            status=DiscussionIssue.Status.OPEN,
            voters=DiscussionIssue.Voters.ANYONE,
            opens_at=now - dt.timedelta(days=7),
            closes_at=now + dt.timedelta(days=60),
        )
        _vote(KEY, arabic, SEEDS, CAMPS, now - dt.timedelta(days=6))
    services.analysis_compute(issue_key=KEY)
