"""The building blocks of an article body."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from tawasul.core.models import RICH_TEXT_FEATURES

VIDEO_HOSTS = {
    "www.youtube.com": "YouTube",
    "youtube.com": "YouTube",
    "m.youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "vimeo.com": "Vimeo",
    "www.vimeo.com": "Vimeo",
}
# The players a visitor may choose to load (also the CSP's frame-src): YouTube's
# no-cookie host and Vimeo's player with "do not track".
PLAYER_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")


def video_provider(url: str) -> str | None:
    return VIDEO_HOSTS.get(urlsplit(url).hostname or "")


def youtube_id(url: str) -> str | None:
    parts = urlsplit(url)
    candidate = None
    if parts.hostname == "youtu.be":
        candidate = parts.path.strip("/")
    elif parts.hostname and parts.hostname.endswith("youtube.com"):
        segments = [segment for segment in parts.path.split("/") if segment]
        if segments[:1] == ["watch"]:
            candidate = parse_qs(parts.query).get("v", [None])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
            candidate = segments[1]
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def vimeo_id(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.hostname not in ("vimeo.com", "www.vimeo.com"):
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    return segments[0] if len(segments) == 1 and _VIMEO_ID.match(segments[0]) else None


def embed_url(url: str) -> str | None:
    """The player address a visitor's click loads, or None for an address we cannot embed."""
    if identifier := youtube_id(url):
        return f"{PLAYER_ORIGINS[0]}/embed/{identifier}?autoplay=1&rel=0"
    if identifier := vimeo_id(url):
        return f"{PLAYER_ORIGINS[1]}/video/{identifier}?autoplay=1&dnt=1"
    return None


def clean_video_url(url: str) -> None:
    """Raise ValidationError unless ``url`` is a YouTube or Vimeo video we can embed."""
    if not video_provider(url) or not embed_url(url):
        raise ValidationError(_("Use the address of a YouTube or Vimeo video."))


class VideoBlock(blocks.StructBlock):
    """A video on another site that loads nothing from it until the visitor asks.

    The page shows a poster image kept on this site, a link to the video and (with
    JavaScript) a play button that only then loads the host's player; nothing is
    requested from the video host while the page is read.
    """

    url = blocks.URLBlock(label=_("video address"), help_text=_("A YouTube or Vimeo address."))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    poster = ImageChooserBlock(label=_("poster image"), required=False)

    def clean(self, value):
        value = super().clean(value)
        try:
            clean_video_url(value["url"])
        except ValidationError as error:
            raise blocks.StructBlockValidationError(block_errors={"url": error}) from None
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["video"] = {
            "url": value["url"],
            "title": value["title"],
            "poster": value["poster"],
            "provider": video_provider(value["url"]),
            "embed": embed_url(value["url"]),
        }
        return context

    class Meta:
        icon = "media"
        template = "news/blocks/video.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("said by"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "news/blocks/figure.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "news/blocks/document.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("heading"),
        max_length=200,
        form_classname="title",
        template="news/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(label=_("paragraph"), features=RICH_TEXT_FEATURES)
    image = FigureBlock()
    quote = QuoteBlock()
    document = DocumentBlock()
    video = VideoBlock()
