"""Dates as Arabic readers expect them: weekday, day, month name, year, and the Hijri date.

``الأربعاء، 21 سبتمبر 2011`` with ``23 شوال 1432 هـ`` beside it (Umm al-Qura calendar).
"""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone, translation
from hijridate import Gregorian

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def to_digits(text: str, *, arabic_indic: bool) -> str:
    return text.translate(ARABIC_INDIC) if arabic_indic else text


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def gregorian_long(value: dt.date | dt.datetime, language: str | None = None) -> str:
    """``الأربعاء، 21 سبتمبر 2011`` / ``Wednesday, 21 September 2011``."""
    language = language or translation.get_language() or "ar"
    separator = "، " if language == "ar" else ", "
    with translation.override(language):
        return dateformat.format(_as_date(value), f"l{separator}j F Y")


def hijri_long(value: dt.date | dt.datetime, language: str | None = None) -> str | None:
    """``23 شوال 1432 هـ`` / ``23 Shawwal 1432 AH``; None outside the Umm al-Qura range."""
    language = "ar" if (language or translation.get_language() or "ar") == "ar" else "en"
    day = _as_date(value)
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError):
        return None
    return f"{hijri.day} {hijri.month_name(language)} {hijri.year} {hijri.notation(language)}"


def clock(value: dt.datetime, language: str | None = None) -> str:
    """``10:00 ص`` / ``10:00 AM`` in the site's time zone."""
    language = language or translation.get_language() or "ar"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    with translation.override(language):
        return dateformat.format(value, "g:i A")


def span_parts(
    start: dt.datetime, end: dt.datetime, *, all_day: bool, language: str | None = None
) -> tuple[str, str | None]:
    """The start and (when it says something more) the end of a span, as people write them.

    One day with times: ``الأحد، 6 ديسمبر 2026، 10:00 ص`` and ``12:00 م``; several days:
    both dates in full; an all-day event on one day: the date alone.
    """
    language = language or translation.get_language() or "ar"
    separator = "، " if language == "ar" else ", "
    same_day = _as_date(start) == _as_date(end)
    first = gregorian_long(start, language)
    if all_day:
        return first, None if same_day else gregorian_long(end, language)
    first = f"{first}{separator}{clock(start, language)}"
    if same_day:
        return first, clock(end, language)
    return first, f"{gregorian_long(end, language)}{separator}{clock(end, language)}"
