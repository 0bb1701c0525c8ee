"""The portal's frame: home page, plain content pages and site settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.snippets.models import register_snippet

from tawasul.core import home

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class HomePage(Page):
    """The root of each language's tree: the agency's name and its welcome text.

    The agency name lives here, not in site settings, because it is translated
    with the page (Wagtail locales), never as per-language columns.
    """

    agency_name = models.CharField(_("agency name"), max_length=120)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("agency_name"),
        FieldPanel("tagline"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["today"] = timezone.localdate()
        context["home_blocks"] = home.blocks_for(request, self)
        return context


class StandardPage(Page):
    """A plain content page: about, privacy, terms, accessibility statement, contact."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["core.HomePage", "core.StandardPage"]

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")


def _validate_https(value: str) -> None:
    if value and not value.startswith("https://"):
        raise ValidationError(_("Use a secure address that starts with https://"))


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What editors set once per site: logo, social profiles, how numbers are written."""

    class Digits(models.TextChoices):
        WESTERN = "western", _("Western digits (0123456789)")
        ARABIC_INDIC = "arabic_indic", _("Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩)")

    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    arabic_digits = models.CharField(
        _("digits on Arabic pages"),
        max_length=20,
        choices=Digits.choices,
        default=Digits.WESTERN,
    )
    facebook_url = models.URLField(_("Facebook page"), blank=True, validators=[_validate_https])
    x_url = models.URLField(_("X (Twitter) account"), blank=True, validators=[_validate_https])
    youtube_url = models.URLField(_("YouTube channel"), blank=True, validators=[_validate_https])
    instagram_url = models.URLField(
        _("Instagram account"), blank=True, validators=[_validate_https]
    )

    panels = [
        FieldPanel("logo"),
        FieldPanel("arabic_digits"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
                FieldPanel("instagram_url"),
            ],
            heading=_("Social profiles"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    def social_profiles(self) -> list[dict]:
        """The profiles that are set, in the order the footer shows them."""
        profiles = [
            ("facebook", _("Facebook"), self.facebook_url),
            ("x", _("X"), self.x_url),
            ("youtube", _("YouTube"), self.youtube_url),
            ("instagram", _("Instagram"), self.instagram_url),
        ]
        return [{"key": key, "name": name, "url": url} for key, name, url in profiles if url]


@register_snippet
class Department(TranslatableMixin, models.Model):
    """One of the agency's departments: responsible for e-services, answers inquiries.

    Translated like pages are (one row per language, linked by ``translation_key``);
    other apps that need "the department" independent of language point at the row in
    the default language and show ``department.localized``.
    """

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    email = models.EmailField(
        _("public contact email"), blank=True, help_text=_("Shown to the public; optional.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("email"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name
