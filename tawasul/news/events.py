"""Activities and events: an index per language (upcoming and past), event pages, and
iCalendar (.ics) for each event and for the whole calendar.

Imported by ``news/models.py``, so these are models of the ``news`` app.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from tawasul.news.blocks import ArticleBodyBlock

PAST_PAGE_SIZE = 12
# The calendar feed carries every upcoming event and those of the last months, so a
# subscribed calendar keeps recent history without growing for ever.
FEED_PAST_DAYS = 180


def _validate_https(value: str) -> None:
    if value and not value.startswith("https://"):
        raise ValidationError(_("Use a secure address that starts with https://"))


class EventIndexPage(RoutablePageMixin, Page):
    """The activities and events of one language: upcoming first, past on their own page."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["news.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("events index")

    def events(self):
        """Live events under this index, ready for a list (no N+1)."""
        return (
            EventPage.objects.child_of(self)
            .live()
            .public()
            .select_related("lead_image", "department")
            .defer_streamfields()
        )

    def upcoming(self, now: dt.datetime | None = None):
        """Events that have not ended yet, soonest first."""
        now = now or timezone.now()
        return self.events().filter(end_at__gte=now).order_by("start_at", "pk")

    def past(self, now: dt.datetime | None = None):
        """Events that have ended, most recent first."""
        now = now or timezone.now()
        return self.events().filter(end_at__lt=now).order_by("-start_at", "-pk")

    @path("")
    def upcoming_route(self, request):
        return self.render(
            request, context_overrides={"listing": "upcoming", "events": list(self.upcoming())}
        )

    @path("past/", name="past")
    def past_route(self, request):
        paginator = Paginator(self.past(), PAST_PAGE_SIZE)
        try:
            events = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            events = paginator.page(1)
        except EmptyPage:
            events = paginator.page(paginator.num_pages)
        return self.render(request, context_overrides={"listing": "past", "events": events})

    def calendar_events(self):
        """What the calendar feed carries: every upcoming event and those of recent months."""
        since = timezone.now() - dt.timedelta(days=FEED_PAST_DAYS)
        return self.events().filter(end_at__gte=since).order_by("start_at", "pk")


class EventPage(Page):
    """One activity or event: when, where (a place, a link, or both), what."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    summary = models.TextField(
        _("summary"), max_length=600, blank=True, help_text=_("Shown in lists and calendars.")
    )
    start_at = models.DateTimeField(_("starts"), db_index=True)
    end_at = models.DateTimeField(_("ends"), db_index=True)
    all_day = models.BooleanField(
        _("all day"), default=False, help_text=_("Show dates only, without times.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    location_name = models.CharField(_("place"), max_length=200, blank=True)
    location_address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        validators=[_validate_https],
        help_text=_("For an event that can be followed online."),
    )
    registration_url = models.URLField(
        _("registration link"), blank=True, validators=[_validate_https]
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("organised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_alt = models.CharField(
        _("lead image text alternative"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")]),
                FieldPanel("all_day"),
                FieldPanel("status"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("location_name"),
                FieldPanel("location_address"),
                FieldPanel("online_url"),
                FieldPanel("registration_url"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("department"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_alt")], heading=_("Lead image")
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("location_name"),
        index.SearchField("body"),
        index.FilterField("start_at"),
    ]
    parent_page_types = ["news.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        if self.start_at and self.end_at and self.end_at < self.start_at:
            errors["end_at"] = _("The event cannot end before it starts.")
        if not (self.location_name or self.online_url) and self.status != self.Status.CANCELLED:
            errors["location_name"] = _("Give a place, an online link, or both.")
        if self.lead_image_id and not self.lead_image_alt:
            errors["lead_image_alt"] = _("Describe the image for people who cannot see it.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return self.end_at < timezone.now()

    @property
    def attendance(self) -> str:
        """offline, online or mixed (schema.org's three attendance modes)."""
        if self.online_url and self.location_name:
            return "mixed"
        return "online" if self.online_url else "offline"

    def ics_url(self) -> str:
        from django.urls import reverse
        from django.utils import translation

        with translation.override(self.locale.language_code):
            return reverse("news:event_ics", kwargs={"pk": self.pk})

    def structured_data(self, request) -> dict:
        """schema.org Event, for search engines (JSON-LD)."""
        home = self.get_parent().get_parent().specific
        agency = getattr(home, "agency_name", "") or self.get_site().site_name
        status = {
            self.Status.SCHEDULED: "EventScheduled",
            self.Status.POSTPONED: "EventPostponed",
            self.Status.CANCELLED: "EventCancelled",
        }[self.status]
        mode = {
            "offline": "OfflineEventAttendanceMode",
            "online": "OnlineEventAttendanceMode",
            "mixed": "MixedEventAttendanceMode",
        }[self.attendance]
        locations = []
        if self.location_name:
            place = {"@type": "Place", "name": self.location_name}
            if self.location_address:
                place["address"] = self.location_address
            locations.append(place)
        if self.online_url:
            locations.append({"@type": "VirtualLocation", "url": self.online_url})
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "inLanguage": self.locale.language_code,
            "url": request.build_absolute_uri(self.get_url(request)),
            "eventStatus": f"https://schema.org/{status}",
            "eventAttendanceMode": f"https://schema.org/{mode}",
            "organizer": {"@type": "GovernmentOrganization", "name": agency},
        }
        if self.all_day:
            data["startDate"] = timezone.localdate(self.start_at).isoformat()
            data["endDate"] = timezone.localdate(self.end_at).isoformat()
        else:
            data["startDate"] = timezone.localtime(self.start_at).isoformat()
            data["endDate"] = timezone.localtime(self.end_at).isoformat()
        if locations:
            data["location"] = locations[0] if len(locations) == 1 else locations
        if self.summary:
            data["description"] = self.summary
        if self.lead_image:
            rendition = self.lead_image.get_rendition("fill-1200x630")
            data["image"] = [request.build_absolute_uri(rendition.url)]
        return data
