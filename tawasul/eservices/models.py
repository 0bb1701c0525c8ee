"""The directory of the agency's e-services: what each is for, how to use it, where."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from tawasul.core.models import RICH_TEXT_FEATURES
from tawasul.eservices.blocks import ChannelsBlock, RequiredDocumentBlock, StepBlock


class _Term(TranslatableMixin, models.Model):
    """A translated name with a slug, for filtering the directory."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


@register_snippet
class ServiceCategory(_Term):
    class Meta(_Term.Meta):
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")


@register_snippet
class ServiceAudience(_Term):
    """Who a service is for: citizens, residents, visitors, companies, ..."""

    class Meta(_Term.Meta):
        verbose_name = _("service audience")
        verbose_name_plural = _("service audiences")


class ServiceIndexPage(Page):
    """The directory of one language, filterable by category, audience and department."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["eservices.ServicePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("e-services directory")

    def services(self):
        """Live services under this directory, ready for a list (no N+1)."""
        return (
            ServicePage.objects.child_of(self)
            .live()
            .public()
            .select_related("category", "department")
            .prefetch_related("audiences")
            .defer_streamfields()
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        from tawasul.core.models import Department

        context = super().get_context(request, *args, **kwargs)
        services = self.services()
        chosen = {}
        filters = (
            ("category", ServiceCategory, "category"),
            ("audience", ServiceAudience, "audiences"),
            ("department", Department, "department"),
        )
        for parameter, model, field in filters:
            slug = request.GET.get(parameter, "")[:80]
            if not slug:
                continue
            term = model.objects.filter(slug=slug, locale=self.locale).first()
            chosen[parameter] = term
            services = services.filter(**{field: term}) if term else services.none()
        services = list(services.distinct())
        context.update(
            services=services,
            chosen=chosen,
            categories=ServiceCategory.objects.filter(locale=self.locale),
            audiences=ServiceAudience.objects.filter(locale=self.locale),
            departments=Department.objects.filter(locale=self.locale),
            filtered=bool(chosen),
        )
        return context


class ServicePage(Page):
    """One e-service: who it is for, the steps, documents, fees, time and where to apply."""

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences: what the service does.")
    )
    description = RichTextField(_("description"), features=RICH_TEXT_FEATURES, blank=True)
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    audiences = ParentalManyToManyField(
        ServiceAudience, verbose_name=_("who it is for"), blank=True, related_name="services"
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    start_url = models.URLField(
        _("start the service at"),
        blank=True,
        help_text=_("Where the public starts the service online (https://...)."),
    )
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    required_documents = StreamField(
        [("document", RequiredDocumentBlock())], verbose_name=_("required documents"), blank=True
    )
    fees = models.CharField(
        _("fees"), max_length=200, blank=True, help_text=_('For example "100 riyals" or "Free".')
    )
    processing_time = models.CharField(
        _("processing time"),
        max_length=200,
        blank=True,
        help_text=_('For example "Immediately" or "3 working days".'),
    )
    channels = StreamField(ChannelsBlock(), verbose_name=_("where to apply"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("audiences"), FieldPanel("department")],
            heading=_("Classification"),
        ),
        FieldPanel("start_url"),
        FieldPanel("steps"),
        FieldPanel("required_documents"),
        MultiFieldPanel(
            [FieldPanel("fees"), FieldPanel("processing_time")], heading=_("Cost and time")
        ),
        FieldPanel("channels"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("steps"),
        index.SearchField("required_documents"),
    ]
    parent_page_types = ["eservices.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("e-service")
        verbose_name_plural = _("e-services")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start_url and not self.start_url.startswith("https://"):
            raise ValidationError(
                {"start_url": _("Use a secure address that starts with https://")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # By name, the same on every database (collations differ between engines).
        context["audience_list"] = sorted(self.audiences.all(), key=lambda audience: audience.name)
        return context

    def structured_data(self, request) -> dict:
        """schema.org GovernmentService, for search engines (JSON-LD)."""
        home = self.get_parent().get_parent().specific
        agency = getattr(home, "agency_name", "") or self.get_site().site_name
        provider = {"@type": "GovernmentOrganization", "name": agency}
        if self.department:
            provider["department"] = {
                "@type": "GovernmentOrganization",
                "name": self.department.localized.name,
            }
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": self.title,
            "description": self.summary,
            "inLanguage": self.locale.language_code,
            "url": request.build_absolute_uri(self.get_url(request)),
            "provider": provider,
        }
        if self.category:
            data["serviceType"] = self.category.localized.name
        audiences = [audience.localized.name for audience in self.audiences.all()]
        if audiences:
            data["audience"] = [{"@type": "Audience", "audienceType": name} for name in audiences]
        channels = []
        if self.start_url:
            channels.append({"@type": "ServiceChannel", "serviceUrl": self.start_url})
        for block in self.channels:
            value = block.value
            if block.block_type == "online":
                channels.append({"@type": "ServiceChannel", "serviceUrl": value["url"]})
            elif block.block_type == "centre":
                channel = {
                    "@type": "ServiceChannel",
                    "name": value["name"],
                    "serviceLocation": {"@type": "Place", "name": value["name"]},
                }
                if value.get("address"):
                    channel["serviceLocation"]["address"] = value["address"]
                if value.get("phone"):
                    channel["servicePhone"] = {
                        "@type": "ContactPoint",
                        "telephone": value["phone"],
                    }
                channels.append(channel)
        if channels:
            data["availableChannel"] = channels
        return data
