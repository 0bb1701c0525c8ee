"""Demo topics of the inquiries desk, in Arabic and English, routed to the departments the
e-services demo creates. Idempotent (found by their Arabic name)."""

from __future__ import annotations

from tawasul.core.models import Department
from tawasul.inquiries.models import Topic

# Arabic name, English name, department slug (None: triage), working days, order
TOPICS = [
    ("الجوازات والإقامة", "Passports and residency", "passports", 5, 10),
    ("المرور والمركبات", "Traffic and vehicles", "traffic", 5, 20),
    ("الوثائق والشهادات", "Documents and certificates", "documents", 3, 30),
    ("موضوع آخر", "Something else", None, 5, 90),
]


def load(home, locales, translate) -> None:
    for name_ar, name_en, department_slug, days, order in TOPICS:
        department = None
        if department_slug:
            department = Department.objects.filter(
                slug=department_slug, locale=locales["ar"]
            ).first()
        topic = Topic.objects.filter(name=name_ar, locale=locales["ar"]).first()
        if topic is None:
            topic = Topic.objects.create(
                name=name_ar,
                locale=locales["ar"],
                department=department,
                response_days=days,
                sort_order=order,
            )
        if topic.get_translation_or_none(locales["en"]) is None:
            english = topic.copy_for_translation(locales["en"])
            english.name = name_en
            english.save()
