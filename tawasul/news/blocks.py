"""The building blocks of an article body."""

from __future__ import annotations

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


def video_provider(url: str) -> str | None:
    return VIDEO_HOSTS.get(urlsplit(url).hostname or "")


def youtube_id(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.hostname == "youtu.be":
        return parts.path.strip("/") or None
    if parts.hostname and parts.hostname.endswith("youtube.com"):
        return parse_qs(parts.query).get("v", [None])[0]
    return None


class VideoBlock(blocks.StructBlock):
    """A video on another site that loads nothing from it until the visitor asks.

    The page shows a poster image kept on this site and a link to the video; nothing
    is requested from the video host while the page is read.
    """

    url = blocks.URLBlock(label=_("video address"), help_text=_("A YouTube or Vimeo address."))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    poster = ImageChooserBlock(label=_("poster image"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if not video_provider(value["url"]):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Use a YouTube or Vimeo address."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["provider"] = video_provider(value["url"])
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
