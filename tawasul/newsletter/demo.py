"""Demo newsletter topics for `tawasul demo` (idempotent: found by their keys)."""

from __future__ import annotations

from tawasul.newsletter.models import Topic

TOPICS = [
    ("phishing", "التصيد الاحتيالي", "Phishing", 10),
    ("passwords", "كلمات المرور", "Passwords", 20),
    ("fraud", "الاحتيال الإلكتروني", "Online fraud", 30),
]


def load(home, locales, translate) -> None:
    for slug, name_ar, name_en, order in TOPICS:
        Topic.objects.get_or_create(
            slug=slug, defaults={"name_ar": name_ar, "name_en": name_en, "sort_order": order}
        )
