"""Activities and events: upcoming and past lists, event pages, iCalendar, JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import Locale

from tawasul.news.models import EventIndexPage, EventPage

pytestmark = pytest.mark.django_db


def _index(language: str = "ar") -> EventIndexPage:
    return EventIndexPage.objects.get(locale=Locale.objects.get(language_code=language))


def _event(slug: str, language: str = "ar") -> EventPage:
    return EventPage.objects.get(slug=slug, locale__language_code=language)


def add_event(slug: str, start: dt.datetime, hours: int = 2, **fields) -> EventPage:
    event = EventPage(
        title=fields.pop("title", f"فعالية {slug}"),
        slug=slug,
        start_at=start,
        end_at=start + dt.timedelta(hours=hours),
        location_name=fields.pop("location_name", "القاعة الكبرى"),
        **fields,
    )
    _index().add_child(instance=event)
    event.save_revision().publish()
    return event


def test_events_are_in_the_main_navigation(demo_site, anonymous):
    assert 'href="/ar/events/"' in anonymous.get("/ar/").content.decode()
    assert 'href="/en/events/"' in anonymous.get("/en/").content.decode()


def test_upcoming_lists_events_not_yet_over_soonest_first(demo_site, anonymous):
    events = anonymous.get("/ar/events/").context["events"]
    assert [event.slug for event in events] == [
        "online-fraud-lecture",
        "open-meeting-online",
        "traffic-safety-exhibition",
    ]


def test_an_event_under_way_is_still_upcoming(demo_site, anonymous):
    add_event("now-running", timezone.now() - dt.timedelta(hours=1), hours=3)
    events = anonymous.get("/ar/events/").context["events"]
    assert events[0].slug == "now-running"


def test_past_events_have_their_own_page_newest_first(demo_site, anonymous):
    add_event("last-month", timezone.now() - dt.timedelta(days=30))
    response = anonymous.get("/ar/events/past/")
    assert response.status_code == 200
    assert [event.slug for event in response.context["events"]] == [
        "last-month",
        "new-media-workshop",
    ]
    assert 'aria-current="page">السابقة<' in response.content.decode()


@pytest.mark.parametrize("query", [{"page": "999"}, {"page": "x"}, {"page": "<script>"}])
def test_odd_past_pages_give_a_page_not_an_error(demo_site, anonymous, query):
    assert anonymous.get("/ar/events/past/", query).status_code == 200


def test_event_page_shows_when_with_hijri_where_and_calendar_link(demo_site, anonymous):
    html = anonymous.get("/ar/events/new-media-workshop/").content.decode()
    assert "الأربعاء، 14 سبتمبر 2011، 9:00 ص" in html
    assert "1:00 م" in html
    assert "هـ" in html  # the Hijri date beside it
    assert "قاعة المحاضرات — مبنى الوزارة" in html
    assert f'href="/ar/calendar/event-{_event("new-media-workshop").pk}.ics"' in html


def test_an_all_day_event_over_several_days_shows_both_dates_without_times(demo_site, anonymous):
    html = anonymous.get("/ar/events/traffic-safety-exhibition/").content.decode()
    when = re.search(r"<dd><time.*?</dd>", html, re.S).group(0)
    assert when.count("<time") == 2
    assert " ص" not in when and " م<" not in when


def test_english_event_is_in_english_with_its_own_place(demo_site, anonymous):
    html = anonymous.get("/en/events/new-media-workshop/").content.decode()
    assert "Wednesday, 14 September 2011, 9:00 AM" in html
    assert "Lecture hall — ministry building" in html


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_each_event_has_an_ics_file_a_calendar_can_import(demo_site, anonymous):
    page = _event("online-fraud-lecture")
    response = anonymous.get(f"/ar/calendar/event-{page.pk}.ics")
    assert "attachment" in response["Content-Disposition"]
    calendar = _calendar(response)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == page.title
    assert vevent.decoded("DTSTART") == page.start_at
    assert vevent.decoded("DTEND") == page.end_at
    assert str(vevent["UID"]) == f"event-{page.pk}@testserver"
    assert "مركز الشباب" in str(vevent["LOCATION"])
    assert str(vevent["URL"]) == "http://testserver/ar/events/online-fraud-lecture/"
    assert str(vevent["STATUS"]) == "CONFIRMED"


def test_an_all_day_event_ends_on_the_day_after_its_last_day(demo_site, anonymous):
    page = _event("traffic-safety-exhibition")
    calendar = _calendar(anonymous.get(page.ics_url()))
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == timezone.localdate(page.start_at)
    assert vevent.decoded("DTEND") == timezone.localdate(page.end_at) + dt.timedelta(days=1)


def test_the_uid_stays_the_same_when_the_event_changes(demo_site, anonymous):
    page = _event("online-fraud-lecture")
    before = _calendar(anonymous.get(page.ics_url()))
    page.title = "محاضرة بعنوان جديد"
    page.status = EventPage.Status.POSTPONED
    page.save_revision().publish()
    after = _calendar(anonymous.get(page.ics_url()))
    (old,), (new,) = before.walk("VEVENT"), after.walk("VEVENT")
    assert old["UID"] == new["UID"]
    assert str(new["SUMMARY"]) == "محاضرة بعنوان جديد"
    assert str(new["STATUS"]) == "TENTATIVE"


def test_calendar_feed_has_upcoming_and_recent_events_only(demo_site, anonymous):
    add_event("recent", timezone.now() - dt.timedelta(days=20))
    add_event("long-ago", timezone.now() - dt.timedelta(days=400))
    calendar = _calendar(anonymous.get("/ar/calendar/events.ics"))
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    expected = {
        _event(slug).pk
        for slug in (
            "online-fraud-lecture",
            "open-meeting-online",
            "traffic-safety-exhibition",
            "recent",
        )
    }
    assert uids == {f"event-{pk}@testserver" for pk in expected}
    assert "X-WR-CALNAME" in calendar
    assert 'type="text/calendar"' in anonymous.get("/ar/events/").content.decode()


def test_unpublished_event_leaves_the_lists_feed_and_ics(demo_site, anonymous):
    page = _event("open-meeting-online")
    ics = page.ics_url()
    for language in ("ar", "en"):
        _event("open-meeting-online", language).unpublish()
    assert "open-meeting-online" not in anonymous.get("/ar/events/").content.decode()
    feed = anonymous.get("/ar/calendar/events.ics").content.decode()
    assert f"event-{page.pk}@" not in feed
    assert anonymous.get(ics).status_code == 404
    assert anonymous.get("/ar/events/open-meeting-online/").status_code == 404


def test_english_calendar_feed_has_the_english_events(demo_site, anonymous):
    calendar = _calendar(anonymous.get("/en/calendar/events.ics"))
    titles = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Open online meeting with the public" in titles
    assert not any(re.search("[\u0600-\u06ff]", title) for title in titles)


def test_event_page_carries_event_json_ld(demo_site, anonymous):
    html = anonymous.get("/ar/events/online-fraud-lecture/").content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert [location["@type"] for location in data["location"]] == ["Place", "VirtualLocation"]
    assert data["startDate"].startswith(
        timezone.localdate(_event("online-fraud-lecture").start_at).isoformat()
    )


def test_a_cancelled_event_says_so_everywhere(demo_site, anonymous):
    page = _event("open-meeting-online")
    page.status = EventPage.Status.CANCELLED
    page.save_revision().publish()
    html = anonymous.get("/ar/events/").content.decode()
    assert "ملغاة" in html
    data = re.search(
        r'application/ld\+json">(.*?)</script>', anonymous.get(page.url).content.decode(), re.S
    )
    assert "EventCancelled" in data.group(1)
    calendar = _calendar(anonymous.get(page.ics_url()))
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"end_at": timezone.now() - dt.timedelta(days=1)}, "end_at"),
        ({"location_name": "", "online_url": ""}, "location_name"),
        ({"online_url": "http://insecure.example.org/live"}, "online_url"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
    ],
)
def test_an_event_that_makes_no_sense_is_refused_with_the_field_named(
    demo_site, fields, error_field
):
    now = timezone.now()
    event = EventPage(
        title="فعالية",
        slug="bad",
        start_at=now,
        end_at=now + dt.timedelta(hours=1),
        location_name="قاعة",
        locale=_index().locale,
    )
    for name, value in fields.items():
        setattr(event, name, value)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert error_field in refused.value.message_dict


def test_event_list_queries_do_not_grow_with_events(
    demo_site, anonymous, django_assert_max_num_queries
):
    anonymous.get("/ar/events/")
    with django_assert_max_num_queries(30) as few:
        anonymous.get("/ar/events/")
    budget = len(few)  # counted now: the query log is bounded; the work below rolls it over
    for n in range(8):
        add_event(f"bulk-{n}", timezone.now() + dt.timedelta(days=n + 1))
    anonymous.get("/ar/events/")  # publishing starts a new cache generation: warm it again
    with django_assert_max_num_queries(budget):
        response = anonymous.get("/ar/events/")
    assert len(response.context["events"]) == 11


def test_home_page_shows_the_next_events(demo_site, anonymous):
    html = anonymous.get("/ar/").content.decode()
    assert "الفعاليات القادمة" in html
    assert "محاضرة توعوية: كيف تحمي نفسك من الاحتيال الإلكتروني" in html
    assert "ورشة عمل: الإعلام الجديد" not in html


def test_home_page_hides_the_events_block_when_nothing_is_coming(demo_site, anonymous):
    for event in EventPage.objects.filter(end_at__gte=timezone.now()):
        event.unpublish()
    assert "الفعاليات القادمة" not in anonymous.get("/ar/").content.decode()
    assert anonymous.get("/ar/events/").status_code == 200
