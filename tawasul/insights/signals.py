"""Marks past days to recompute when what they count changes later (a comment moderated
or deleted, a statement moderated out, an inquiry anonymised or erased, a vote or a
subscriber erased). Today and yesterday are recomputed by the clock anyway, so only older
days are marked. Bulk updates (``QuerySet.update``) send no signal: a backfill repairs
what they change."""

from __future__ import annotations

import datetime as dt

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

WATCHED = {
    "comments.Comment": ("created_at",),
    "discussions.Statement": ("created_at",),
    "discussions.Vote": ("created_at",),
    "polls.Vote": ("created_at",),
    "inquiries.Case": ("created_at",),
    "inquiries.Message": ("created_at",),
    "newsletter.Subscriber": ("confirmed_at", "unsubscribed_at"),
}


def mark_days(*moments) -> None:
    from tawasul.insights.models import DirtyDay

    recent = timezone.localdate() - dt.timedelta(days=1)
    days = {timezone.localtime(m).date() for m in moments if m is not None}
    days = [day for day in days if day < recent]
    if days:
        DirtyDay.objects.bulk_create([DirtyDay(day=day) for day in days], ignore_conflicts=True)


def _changed(sender, instance, created=False, **kwargs) -> None:
    if created:
        return  # new rows are counted on their own (recent) day by the clock
    fields = WATCHED.get(f"{sender._meta.app_label}.{sender.__name__}", ())
    mark_days(*(getattr(instance, name, None) for name in fields))


def connect() -> None:
    for label in WATCHED:
        for signal in (post_save, post_delete):
            signal.connect(
                _changed, sender=label, dispatch_uid=f"insights-dirty-{label}-{id(signal)}"
            )
