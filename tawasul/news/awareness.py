"""Awareness material: videos, posters and documents (PDF), grouped by campaign.

Each piece is a page, so it has a public address, translations, revisions and the
approval workflow like any other content; the newsletter composes campaigns from these
pages. Imported by ``news/models.py``, so these are models of the ``news`` app.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from tawasul.core.models import RICH_TEXT_FEATURES
from tawasul.news.blocks import clean_video_url, embed_url, video_provider


@register_snippet
class AwarenessCampaign(TranslatableMixin, models.Model):
    """A campaign or topic that awareness material is grouped under (e.g. "phishing")."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("awareness campaign")
        verbose_name_plural = _("awareness campaigns")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class AwarenessIndexPage(Page):
    """All awareness material of one language, grouped by campaign, filterable by kind."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["news.AwarenessMaterialPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("awareness index")

    def materials(self):
        return (
            AwarenessMaterialPage.objects.child_of(self)
            .live()
            .public()
            .select_related("image", "campaign", "document")
            .order_by("-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        materials = self.materials()
        kind = request.GET.get("kind", "")[:20]
        if kind in AwarenessMaterialPage.Kind.values:
            materials = materials.filter(kind=kind)
        else:
            kind = ""
        campaign_slug = request.GET.get("campaign", "")[:80]
        campaign = None
        if campaign_slug:
            campaign = AwarenessCampaign.objects.filter(
                slug=campaign_slug, locale=self.locale
            ).first()
            materials = materials.filter(campaign=campaign) if campaign else materials.none()
        groups: dict = {}
        for material in materials:
            groups.setdefault(material.campaign, []).append(material)
        # Campaigns by name; material without a campaign last.
        ordered = sorted(groups.items(), key=lambda item: (item[0] is None, str(item[0] or "")))
        context.update(
            groups=[{"campaign": key, "materials": value} for key, value in ordered],
            kind=kind,
            kinds=AwarenessMaterialPage.Kind.choices,
            campaign=campaign,
            campaigns=AwarenessCampaign.objects.filter(locale=self.locale),
        )
        return context


class AwarenessMaterialPage(Page):
    """One piece of awareness material: a video, a poster or a document."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        POSTER = "poster", _("Poster")
        DOCUMENT = "document", _("Document")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.TextField(
        _("summary"), max_length=600, blank=True, help_text=_("Shown in lists and newsletters.")
    )
    campaign = models.ForeignKey(
        AwarenessCampaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The poster itself, or the picture shown for a video or document."),
    )
    image_alt = models.CharField(
        _("image text alternative"),
        max_length=500,
        blank=True,
        help_text=_("What the image shows or says, for people who cannot see it."),
    )
    video_url = models.URLField(
        _("video address"), blank=True, help_text=_("A YouTube or Vimeo address.")
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("details"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("campaign"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt")], heading=_("Poster or picture")
        ),
        FieldPanel("video_url"),
        FieldPanel("document"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("image_alt"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]
    parent_page_types = ["news.AwarenessIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("awareness material")
        verbose_name_plural = _("awareness material")

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.VIDEO:
            if not self.video_url:
                errors["video_url"] = _("A video needs its address.")
            else:
                try:
                    clean_video_url(self.video_url)
                except ValidationError as error:
                    errors["video_url"] = error
        if self.kind == self.Kind.POSTER and not self.image_id:
            errors["image"] = _("A poster needs its image.")
        if self.kind == self.Kind.DOCUMENT and not self.document_id:
            errors["document"] = _("Choose the document to offer.")
        if self.image_id and not self.image_alt:
            errors["image_alt"] = _("Describe the image for people who cannot see it.")
        if errors:
            raise ValidationError(errors)

    def video(self) -> dict | None:
        if self.kind != self.Kind.VIDEO or not self.video_url:
            return None
        return {
            "url": self.video_url,
            "title": self.title,
            "poster": self.image,
            "provider": video_provider(self.video_url),
            "embed": embed_url(self.video_url),
        }

    @property
    def lead_image(self):
        """The picture that stands for this page in link previews (Open Graph)."""
        return self.image

    def structured_data(self, request) -> dict:
        """schema.org VideoObject, ImageObject or DigitalDocument (JSON-LD)."""
        kinds = {"video": "VideoObject", "poster": "ImageObject", "document": "DigitalDocument"}
        data = {
            "@context": "https://schema.org",
            "@type": kinds[self.kind],
            "name": self.title,
            "inLanguage": self.locale.language_code,
            "url": request.build_absolute_uri(self.get_url(request)),
        }
        if self.summary:
            data["description"] = self.summary
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.isoformat()
        if self.campaign:
            data["about"] = self.campaign.name
        if self.image:
            rendition = self.image.get_rendition("fill-1200x630")
            picture = request.build_absolute_uri(rendition.url)
            data["thumbnailUrl" if self.kind == self.Kind.VIDEO else "image"] = picture
            if self.kind == self.Kind.POSTER:
                data["contentUrl"] = request.build_absolute_uri(self.image.file.url)
        if self.kind == self.Kind.VIDEO:
            data["embedUrl"] = embed_url(self.video_url)
            data["contentUrl"] = self.video_url
            if self.first_published_at:
                data["uploadDate"] = self.first_published_at.isoformat()
        if self.kind == self.Kind.DOCUMENT and self.document:
            data["encodingFormat"] = self.document.content_type
            data["contentUrl"] = request.build_absolute_uri(self.document.url)
        return data
