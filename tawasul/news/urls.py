"""iCalendar files, outside the page tree (its addresses cannot end in .ics)."""

from django.urls import path

from tawasul.news import views

app_name = "news"
urlpatterns = [
    path("calendar/events.ics", views.events_calendar, name="events_calendar"),
    path("calendar/event-<int:pk>.ics", views.event_ics, name="event_ics"),
]
