"""Working days: the desk's clock skips the weekend (settings) and holidays (admin)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings


def _holidays(start: date, end: date) -> set[date]:
    from tawasul.inquiries.models import Holiday

    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_working_day(day: date, holidays: set[date] | None = None) -> bool:
    if day.isoweekday() in settings.INQUIRIES_WEEKEND:
        return False
    if holidays is None:
        holidays = _holidays(day, day)
    return day not in holidays


def add_working_days(start: date, days: int) -> date:
    """The working day ``days`` working days after ``start`` (``start`` itself not counted).

    With ``days`` = 0, ``start`` if it is a working day, else the next one.
    """
    horizon = start + timedelta(days=days * 3 + 60)
    holidays = _holidays(start, horizon)
    day = start
    if days <= 0:
        while not is_working_day(day, holidays):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day > horizon:  # a very long holiday season: widen the window
            holidays |= _holidays(day, day + timedelta(days=365))
            horizon = day + timedelta(days=365)
        if is_working_day(day, holidays):
            counted += 1
    return day


def working_days_between(start: date, end: date, holidays: set[date] | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start).
    ``holidays``: the holidays of the period when the caller has them already."""
    if end <= start:
        return 0
    if holidays is None:
        holidays = _holidays(start, end)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
