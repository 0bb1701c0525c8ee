"""The working-day clock across weekends (Friday and Saturday by default) and holidays."""

from __future__ import annotations

from datetime import date

import pytest

from tawasul.inquiries.calendar import add_working_days, is_working_day, working_days_between
from tawasul.inquiries.models import Holiday

pytestmark = pytest.mark.django_db
THURSDAY = date(2026, 11, 26)
SUNDAY = date(2026, 11, 29)


def test_friday_and_saturday_are_not_working_days():
    assert is_working_day(THURSDAY)
    assert not is_working_day(date(2026, 11, 27))
    assert not is_working_day(date(2026, 11, 28))
    assert is_working_day(SUNDAY)


def test_one_working_day_after_thursday_is_sunday():
    assert add_working_days(THURSDAY, 1) == SUNDAY


def test_five_working_days_span_the_weekend():
    assert add_working_days(THURSDAY, 5) == date(2026, 12, 3)


def test_holidays_are_skipped():
    Holiday.objects.create(date=SUNDAY, name="عطلة")
    Holiday.objects.create(date=date(2026, 11, 30), name="عطلة")
    assert add_working_days(THURSDAY, 1) == date(2026, 12, 1)


def test_the_weekend_is_a_setting(settings):
    settings.INQUIRIES_WEEKEND = (6, 7)  # Saturday and Sunday
    assert add_working_days(THURSDAY, 1) == date(2026, 11, 27)
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_working_days_between_counts_only_working_days():
    assert working_days_between(THURSDAY, date(2026, 12, 3)) == 5
    assert working_days_between(date(2026, 12, 3), THURSDAY) == 0
    Holiday.objects.create(date=SUNDAY)
    assert working_days_between(THURSDAY, date(2026, 12, 3)) == 4


def test_zero_days_from_a_weekend_day_is_the_next_working_day():
    assert add_working_days(date(2026, 11, 27), 0) == SUNDAY
