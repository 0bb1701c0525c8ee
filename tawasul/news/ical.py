"""iCalendar (RFC 5545) for events: one event's .ics, and a language's calendar feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

PRODUCT_ID = "-//Tawasul//Events//EN"


def calendar_name(index) -> str:
    home = index.get_parent().specific
    agency = getattr(home, "agency_name", "")
    return f"{agency} — {index.title}" if agency else index.title


def uid(event_page, host: str) -> str:
    """Stable for the life of the page, so calendars update an event instead of adding it."""
    return f"event-{event_page.pk}@{host}"


def _event(page, request) -> Event:
    host = request.get_host().split(":")[0]
    url = request.build_absolute_uri(page.get_url(request))
    event = Event()
    event.add("uid", uid(page, host))
    event.add("dtstamp", (page.last_published_at or timezone.now()).astimezone(dt.UTC))
    if page.last_published_at:
        event.add("last-modified", page.last_published_at.astimezone(dt.UTC))
    if page.all_day:
        # DTEND of an all-day event is the day after the last day (RFC 5545, 3.6.1).
        event.add("dtstart", timezone.localdate(page.start_at))
        event.add("dtend", timezone.localdate(page.end_at) + dt.timedelta(days=1))
    else:
        event.add("dtstart", page.start_at.astimezone(dt.UTC))
        event.add("dtend", page.end_at.astimezone(dt.UTC))
    event.add("summary", page.title)
    description = "\n\n".join(part for part in (page.summary, url) if part)
    event.add("description", description)
    where = ", ".join(part for part in (page.location_name, page.location_address) if part)
    if where or page.online_url:
        event.add("location", where or page.online_url)
    event.add("url", url)
    event.add(
        "status",
        {"scheduled": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}[page.status],
    )
    return event


def build(request, events: Iterable, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for page in events:
        calendar.add_component(_event(page, request))
    return calendar.to_ical()


def response(request, events: Iterable, *, name: str, filename: str | None) -> HttpResponse:
    """The calendar as ``text/calendar``; a download when ``filename`` is given."""
    result = HttpResponse(
        build(request, events, name=name), content_type="text/calendar; charset=utf-8"
    )
    if filename:
        result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result
