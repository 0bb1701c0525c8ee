"""What the inquiries desk offers to search: the published FAQ entries (never a case)."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tawasul.inquiries.models import FaqEntry
from tawasul.search.registry import Document, Source


def _public():
    return FaqEntry.objects.filter(state=FaqEntry.State.PUBLISHED)


def _entry(entry: FaqEntry) -> Document | None:
    if entry.state != FaqEntry.State.PUBLISHED:
        return None
    with translation.override(entry.language):
        url = reverse("inquiries:faq") + f"#faq-{entry.pk}"
    return Document(
        title=entry.question,
        body=entry.answer,
        url=url,
        language=entry.language,
        published_at=entry.published_at,
    )


SOURCES = [Source("faq", _("Frequently asked questions"), FaqEntry, _public, _entry, 70)]
