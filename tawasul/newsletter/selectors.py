"""Careful reads for the newsletter: the sign-up form's context, campaign progress."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language

from tawasul.newsletter.models import Campaign, Delivery, Subscriber


def subscribe_form(request=None):
    from tawasul.newsletter.forms import SubscribeForm

    return SubscribeForm(initial={"language": (get_language() or "ar")[:2]})


def home_form(request, home_page):
    return {"form": subscribe_form(request)}


def campaign_progress(campaign: Campaign) -> dict:
    """Counts per delivery state (they add up to the audience), rate over the last
    minute and an estimate of the time left."""
    counts = dict(
        campaign.deliveries.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    result = {state: counts.get(state, 0) for state in Delivery.State.values}
    result["total"] = sum(counts.values())
    result["open"] = result["pending"] + result["claimed"] + result["sending"]
    since = timezone.now() - timedelta(seconds=60)
    recent = campaign.deliveries.filter(state=Delivery.State.SENT, sent_at__gte=since).count()
    result["rate"] = round(recent / 60, 1)
    result["eta_seconds"] = int(result["open"] / (recent / 60)) if recent else None
    result["unsubscribed"] = (
        campaign.deliveries.filter(
            state=Delivery.State.SENT,
            subscriber__state__in=[Subscriber.State.UNSUBSCRIBED, Subscriber.State.SUPPRESSED],
            subscriber__unsubscribed_at__gte=campaign.started_at or timezone.now(),
        ).count()
        if campaign.started_at
        else 0
    )
    result["bounced"] = campaign.deliveries.filter(bounces__isnull=False).distinct().count()
    return result


def list_growth(days: int = 30) -> list[dict]:
    """Confirmed sign-ups and unsubscriptions per day over the last ``days`` days."""
    start = timezone.now() - timedelta(days=days)

    def per_day(field: str) -> dict:
        return dict(
            Subscriber.objects.filter(**{f"{field}__gte": start})
            .annotate(day=TruncDate(field))
            .values_list("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )

    joined, left = per_day("confirmed_at"), per_day("unsubscribed_at")
    return [
        {"day": day, "joined": joined.get(day, 0), "left": left.get(day, 0)}
        for day in sorted({*joined, *left})
    ]
