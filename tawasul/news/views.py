"""Calendar downloads; every page of the news app is served by Wagtail itself."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from tawasul.news import ical
from tawasul.news.models import EventIndexPage, EventPage


@require_safe
def events_calendar(request):
    """The calendar feed of the current language: subscribe to it in any calendar app."""
    index = (
        EventIndexPage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .order_by("path")
        .first()
    )
    if index is None:
        raise Http404
    return ical.response(
        request, index.calendar_events(), name=ical.calendar_name(index), filename=None
    )


@require_safe
def event_ics(request, pk: int):
    """One event as a .ics file to add to a calendar."""
    event = get_object_or_404(EventPage.objects.live().public(), pk=pk)
    return ical.response(request, [event], name=event.title, filename=f"event-{pk}.ics")
