"""Demo issue for `tawasul demo`: one open issue for discussion in Arabic and English, with
seed statements and the votes of 36 pseudonymous demo participants (in three camps), so
the report page shows an opinion map at once.

Idempotent: the issue has a fixed translation key; a second run finds it and changes
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


def load(home, locales, translate) -> None:
    if DiscussionIssue.objects.filter(translation_key=KEY).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        arabic = DiscussionIssue.objects.create(
            translation_key=KEY,
            locale=locales["ar"],
            status=DiscussionIssue.Status.OPEN,
            voters=DiscussionIssue.Voters.ANYONE,
            opens_at=now - dt.timedelta(days=7),
            closes_at=now + dt.timedelta(days=60),
            **ARABIC,
        )
        english = arabic.copy_for_translation(locales["en"])
        for name, value in ENGLISH.items():
            setattr(english, name, value)
        english.save()
        statements = [services.statement_seed(issue=arabic, text=text) for text in SEEDS]
        votes = []
        for n in range(36):
            camp = CAMPS[n % 3]
            participant = Participant.objects.create(
                issue_key=KEY,
                identity=f"demo:{n}",
                created_at=now - dt.timedelta(days=6 - n % 6),
            )
            for i, statement in enumerate(statements):
                if (n + i) % 5 == 0:
                    continue  # not everyone sees everything
                value = camp[i] if (n * 7 + i) % 9 else -camp[i] or 1
                votes.append(
                    Vote(
                        issue_key=KEY,
                        participant=participant,
                        statement=statement,
                        value=value,
                        created_at=participant.created_at,
                    )
                )
        Vote.objects.bulk_create(votes)
    services.analysis_compute(issue_key=KEY)
