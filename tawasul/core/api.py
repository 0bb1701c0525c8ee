"""The human check for API clients: a proof-of-work challenge to solve before a write."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from tawasul.core import antibot

router = Router(tags=["human check"])


class ChallengeOut(Schema):
    algorithm: str
    challenge: str
    maxNumber: int  # the ALTCHA format's own field name
    salt: str
    signature: str


class ChallengeQuery(Schema):
    scope: str = Field(..., min_length=1, max_length=60, pattern=r"^[a-z0-9:_-]+$")


@router.get("", response=ChallengeOut, summary="A proof-of-work challenge")
def challenge(request, query: Query[ChallengeQuery]):
    """An ALTCHA (v1, SHA-256) challenge for one write of `scope` (e.g. `polls:vote`).

    Find the `number` (0 to `maxNumber`) for which SHA-256(`salt` + number), in hex,
    equals `challenge`; send base64(JSON {algorithm, challenge, number, salt, signature})
    as the write's `altcha` field. A challenge is valid for 30 minutes and only once.
    """
    return antibot.challenge_new(scope=query.scope)


# ---------------------------------------------------------------- helpers for page APIs
class TranslationOut(Schema):
    lang: str
    url: str


class ImageOut(Schema):
    url: str
    alt: str
    width: int
    height: int


class Paginated(Schema):
    count: int
    page: int
    page_size: int


def page_translations(request, model, pages) -> dict:
    """For each page, its live translations as API objects, in one query for all pages.

    Reads the base page rows only (an address needs nothing of the specific page)."""
    from wagtail.models import Page

    partners: dict = {}
    for other in (
        Page.objects.live()
        .public()
        .type(model)
        .filter(translation_key__in={page.translation_key for page in pages})
        .select_related("locale")
        .only("id", "path", "depth", "url_path", "translation_key", "locale__language_code")
    ):
        partners.setdefault(other.translation_key, []).append(other)
    return {
        page.pk: [
            {
                "lang": other.locale.language_code,
                "url": request.build_absolute_uri(other.get_url(request)),
            }
            for other in partners.get(page.translation_key, [])
            if other.pk != page.pk
        ]
        for page in pages
    }


def image_out(request, image, alt: str, spec: str = "width-1200") -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return {
        "url": request.build_absolute_uri(rendition.url),
        "alt": alt,
        "width": rendition.width,
        "height": rendition.height,
    }


def page_slice(queryset, page: int, page_size: int) -> tuple[int, list]:
    """The total and one page of ``queryset``."""
    start = (page - 1) * page_size
    return queryset.count(), list(queryset[start : start + page_size])
