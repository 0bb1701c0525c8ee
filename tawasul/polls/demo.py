"""Demo polls for `tawasul demo`: one open poll anyone may vote in, and one closed poll
with its results, each in Arabic and English.

Idempotent: the polls and their choices have fixed translation keys, so a second run
finds them and changes nothing. Their past votes are written as history (each inside
the poll's period), the way an import of earlier results would be, not through the
vote path, which only accepts votes while a poll is open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

from django.db import transaction
from django.utils import timezone

from tawasul.polls.models import Poll, PollChoice, Vote, VoteChoice

NAMESPACE = uuid.UUID("5f0b6a52-3d0c-4a53-9c55-0d7f6c1f7a11")


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _when(year, month, day, hour=9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=timezone.get_default_timezone())


POLLS = [
    {
        "name": "awareness-channels",
        "open": True,
        "settings": {
            "kind": Poll.Kind.SINGLE,
            "allow_other": True,
            "electorate": Poll.Electorate.ANYONE,
            "results_visibility": Poll.Visibility.AFTER_VOTING,
            "staff_see_live_results": True,
            "allow_change": True,
        },
        "ar": {
            "question": "ما الطريقة التي تفضّلها لتصلك مواد التوعية الأمنية من الوزارة؟",
            "description": "نسعى إلى إيصال رسائل التوعية بالطريقة الأقرب إليكم، ورأيكم يحدد "
            "أولوياتنا في العام القادم.",
            "choices": [
                "البريد الإلكتروني (النشرة التوعوية)",
                "صفحات الوزارة على شبكات التواصل الاجتماعي",
                "الرسائل النصية القصيرة",
                "موقع الوزارة الإلكتروني",
            ],
        },
        "en": {
            "question": "How would you rather receive the ministry's security-awareness material?",
            "description": "We want awareness messages to reach you the way that suits you "
            "best; your answers set our priorities for next year.",
            "choices": [
                "Email (the awareness newsletter)",
                "The ministry's social media pages",
                "Text messages (SMS)",
                "The ministry's website",
            ],
        },
        "weights": [34, 41, 16, 9],
        "voters": 57,
        "others": ["تطبيق على الهاتف", "محاضرات في المدارس", "In the mosque after Friday prayer"],
    },
    {
        "name": "eservices-priorities",
        "open": False,
        "opens_at": _when(2026, 9, 1),
        "closes_at": _when(2026, 10, 1),
        "settings": {
            "kind": Poll.Kind.MULTIPLE,
            "max_choices": 2,
            "allow_other": False,
            "electorate": Poll.Electorate.ANYONE,
            "results_visibility": Poll.Visibility.AFTER_CLOSING,
            "staff_see_live_results": False,
            "allow_change": False,
        },
        "ar": {
            "question": "أي الخدمات الإلكترونية تريد أن تطوّرها الوزارة أولاً؟",
            "description": "اختر خدمتين على الأكثر.",
            "choices": [
                "تجديد الجوازات والإقامات",
                "دفع المخالفات المرورية",
                "حجز المواعيد",
                "شهادات حسن السيرة والسلوك",
            ],
        },
        "en": {
            "question": "Which e-services should the ministry improve first?",
            "description": "Choose two services at most.",
            "choices": [
                "Passport and residence renewal",
                "Paying traffic fines",
                "Booking appointments",
                "Certificates of good conduct",
            ],
        },
        "weights": [38, 27, 22, 13],
        "voters": 240,
        "others": [],
    },
]


def load(home, locales, translate) -> None:
    with transaction.atomic():
        for spec in POLLS:
            _poll(spec, locales)


def _poll(spec: dict, locales) -> None:
    key = _key(spec["name"])
    arabic = Poll.objects.filter(translation_key=key, locale=locales["ar"]).first()
    if arabic is None:
        now = timezone.now()
        arabic = Poll(
            translation_key=key,
            locale=locales["ar"],
            question=spec["ar"]["question"],
            description=spec["ar"]["description"],
            status=Poll.Status.PUBLISHED,
            opens_at=spec.get("opens_at") or now - dt.timedelta(days=7),
            closes_at=spec.get("closes_at") or now + dt.timedelta(days=365),
            **spec["settings"],
        )
        arabic.save()
        for order, label in enumerate(spec["ar"]["choices"]):
            PollChoice.objects.create(
                poll=arabic,
                label=label,
                sort_order=order,
                locale=locales["ar"],
                translation_key=_key(f"{spec['name']}:{order}"),
            )
        _history(arabic, spec)
    english = arabic.get_translation_or_none(locales["en"])
    if english is None:
        english = arabic.copy_for_translation(locales["en"])
        english.question = spec["en"]["question"]
        english.description = spec["en"]["description"]
        english.save()
        labels = dict(enumerate(spec["en"]["choices"]))
        for choice in PollChoice.objects.filter(poll=english):
            order = next(n for n in labels if _key(f"{spec['name']}:{n}") == choice.translation_key)
            choice.label = labels[order]
            choice.save(update_fields=["label"])


def _history(poll: Poll, spec: dict) -> None:
    """Votes cast earlier in the poll's period (a fixed, repeatable sample)."""
    rng = random.Random(spec["name"])  # noqa: S311 - demo data, not security
    choices = list(PollChoice.objects.filter(poll=poll).order_by("sort_order"))
    start = poll.opens_at
    end = min(poll.closes_at, timezone.now())
    span = (end - start).total_seconds()
    most = poll.most_choices(len(choices)) if poll.is_multiple else 1
    others = list(spec["others"])
    votes, selections = [], []
    for n in range(spec["voters"]):
        browser = hashlib.sha256(f"demo:{spec['name']}:{n}".encode()).hexdigest()[:32]
        cast_at = start + dt.timedelta(seconds=span * (n + 1) / (spec["voters"] + 1))
        other = others.pop() if others and n % 11 == 5 else ""
        if other:
            picked = []
        else:
            count = rng.randint(1, most)
            picked = []
            while len(picked) < count:
                choice = rng.choices(choices, weights=spec["weights"])[0]
                if choice not in picked:
                    picked.append(choice)
        vote = Vote(
            poll_key=poll.translation_key,
            voter=f"b:{browser}",
            browser=browser,
            language="ar" if n % 4 else "en",
            other_text=other,
            other_status=Vote.OtherStatus.PENDING if other else "",
            created_at=cast_at,
        )
        votes.append(vote)
        keys = [choice.translation_key for choice in picked]
        if other:
            keys.append(poll.translation_key)
        selections.append(keys)
    Vote.objects.bulk_create(votes)
    saved = dict(Vote.objects.filter(poll_key=poll.translation_key).values_list("voter", "pk"))
    VoteChoice.objects.bulk_create(
        [
            VoteChoice(vote_id=saved[vote.voter], poll_key=poll.translation_key, choice_key=key)
            for vote, keys in zip(votes, selections, strict=True)
            for key in keys
        ]
    )
