"""Every change to subscribers, suppressions and campaigns goes through here.

Sign-up is double opt-in: :func:`subscriber_request` records a pending subscriber and
mails a confirmation link (through the task queue, after the commit);
:func:`subscriber_confirm` activates it. Unsubscribing, a hard bounce or a complaint puts
the address's hash on the suppression list, which an import never overrides.

Campaign lifecycle: draft → scheduled → running ⇄ paused → finished | cancelled. A
transition locks the campaign row (``select_for_update``; on SQLite the write lock) and
re-reads its state, so two staff members (or the clock and a person) never both win.
The sending itself lives in :mod:`tawasul.newsletter.sender`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tawasul.core import ratelimit
from tawasul.newsletter import tokens
from tawasul.newsletter.models import (
    Bounce,
    Campaign,
    Delivery,
    Subscriber,
    Suppression,
    Topic,
    email_hash,
    email_key,
)

log = logging.getLogger("tawasul.newsletter")

REQUESTS_PER_ADDRESS, ADDRESS_PERIOD = 3, 3600
REQUESTS_PER_IP, IP_PERIOD = 20, 3600


class NewsletterRefused(Exception):
    """The action is not allowed; ``message`` says why, for staff or the public."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def _localized_url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return absolute(reverse(name, kwargs=kwargs))


def manage_url(subscriber: Subscriber) -> str:
    return _localized_url(
        "newsletter:manage", subscriber.language, token=tokens.manage_token(subscriber)
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    return _localized_url(
        "newsletter:unsubscribe", subscriber.language, token=tokens.manage_token(subscriber)
    )


def is_suppressed(address: str) -> bool:
    return Suppression.objects.filter(email_hash=email_hash(address)).exists()


# ---------------------------------------------------------------- subscribing
@dataclass
class RequestOutcome:
    subscriber: Subscriber
    mailed: bool


def subscriber_request(
    *,
    email: str,
    language: str,
    topics: list[Topic] | None = None,
    ip: str | None = None,
    name: str = "",
) -> RequestOutcome:
    """Record a sign-up and mail the confirmation link (double opt-in).

    Rate-limited per address and per IP (``ratelimit.RateLimited`` propagates, nothing
    changed). An active subscriber is not changed (someone else may have typed their
    address): they get a mail with their preferences link instead. Anyone else becomes
    pending with the new language and topics until they confirm. The mail leaves after
    the commit, through the task queue, and contains no text the requester typed.
    """
    key = email_key(email)
    ratelimit.hit("newsletter:ip", ip, limit=REQUESTS_PER_IP, period=IP_PERIOD)
    ratelimit.hit("newsletter:address", key, limit=REQUESTS_PER_ADDRESS, period=ADDRESS_PERIOD)
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email_key=key,
            defaults={
                "email": email.strip(),
                "language": language,
                "name": name,
                "source": Subscriber.Source.FORM,
                "requested_ip": ip,
            },
        )
        kind = "manage"
        if subscriber.state != Subscriber.State.ACTIVE:
            kind = "confirm"
            if not created:
                subscriber.state = Subscriber.State.PENDING
                subscriber.language = language
                subscriber.source = Subscriber.Source.FORM
                subscriber.requested_at = timezone.now()
                subscriber.requested_ip = ip
                subscriber.save()
            subscriber.topics.set(topics or [])
        transaction.on_commit(lambda: _enqueue_mail(subscriber.pk, kind))
    return RequestOutcome(subscriber, mailed=True)


def _enqueue_mail(subscriber_id: int, kind: str) -> None:
    from tawasul.newsletter import tasks

    tasks.send_subscriber_mail.enqueue(subscriber_id, kind)


def subscriber_mail(*, subscriber_id: int, kind: str) -> bool:
    """Send the confirmation ("confirm") or preferences-link ("manage") mail, in the
    subscriber's language. Returns False when there is nothing to send any more."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or (kind == "confirm" and subscriber.state != Subscriber.State.PENDING):
        return False
    with translation.override(subscriber.language):
        context = {
            "confirm_url": _localized_url(
                "newsletter:confirm", subscriber.language, token=tokens.confirm_token(subscriber)
            ),
            "manage_url": manage_url(subscriber),
            "days": getattr(settings, "NEWSLETTER_CONFIRM_SECONDS", 3 * 24 * 3600) // 86400,
            "site_url": absolute("/"),
        }
        subject = (
            _("Confirm your subscription to the newsletter")
            if kind == "confirm"
            else _("Your newsletter subscription")
        )
        body = loader.render_to_string(f"newsletter/email/{kind}.txt", context)
        message = EmailMessage(str(subject), body, settings.DEFAULT_FROM_EMAIL, [subscriber.email])
        message.extra_headers["Auto-Submitted"] = "auto-generated"
        message.send()
    return True


def subscriber_confirm(*, token: str, ip: str | None = None) -> Subscriber | None:
    """Activate the subscriber named by a confirmation token (idempotent). A bad or
    expired token, or one issued before the subscriber's links were reset, changes
    nothing and returns None. Confirming lifts a suppression: the owner asked again."""
    read = tokens.read_confirm(token)
    if read is None:
        return None
    pk, version = read
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk).first()
        if subscriber is None or subscriber.token_version != version:
            return None
        if subscriber.state == Subscriber.State.PENDING:
            subscriber.state = Subscriber.State.ACTIVE
            subscriber.confirmed_at = timezone.now()
            subscriber.confirmed_ip = ip
            subscriber.unsubscribed_at = None
            subscriber.save()
            Suppression.objects.filter(email_hash=email_hash(subscriber.email_key)).delete()
        elif subscriber.state != Subscriber.State.ACTIVE:
            return None
    return subscriber


def subscriber_from_manage_token(token: str) -> Subscriber | None:
    read = tokens.read_manage(token)
    if read is None:
        return None
    pk, version = read
    return Subscriber.objects.filter(pk=pk, token_version=version).first()


def subscriber_update_preferences(
    *, subscriber: Subscriber, language: str, topics: list[Topic]
) -> Subscriber:
    """Change language and topics; the subscription state is untouched."""
    with transaction.atomic():
        subscriber.language = language
        subscriber.save(update_fields=["language"])
        subscriber.topics.set(topics)
    return subscriber


def subscriber_unsubscribe(
    *, subscriber: Subscriber, reason: str = Suppression.Reason.UNSUBSCRIBED
) -> bool:
    """Unsubscribe and suppress the address; the subscriber's pending deliveries are
    skipped. Idempotent: returns False when there was nothing to change."""
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        changed = locked.state in (Subscriber.State.ACTIVE, Subscriber.State.PENDING)
        if changed:
            locked.state = (
                Subscriber.State.UNSUBSCRIBED
                if reason == Suppression.Reason.UNSUBSCRIBED
                else Subscriber.State.SUPPRESSED
            )
            locked.unsubscribed_at = timezone.now()
            locked.save(update_fields=["state", "unsubscribed_at"])
        suppression_add(address=locked.email_key, reason=reason)
        Delivery.objects.filter(
            subscriber=locked, state__in=[Delivery.State.PENDING, Delivery.State.CLAIMED]
        ).update(state=Delivery.State.SKIPPED, error="unsubscribed")
    subscriber.state = locked.state
    return changed


def suppression_add(*, address: str, reason: str) -> Suppression:
    """Put an address on the suppression list (idempotent; the first reason stays)."""
    suppression, _created = Suppression.objects.get_or_create(
        email_hash=email_hash(address), defaults={"reason": reason}
    )
    return suppression


def subscriber_export(*, subscriber: Subscriber) -> dict:
    """Everything held about a subscriber, as JSON-ready data."""
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "language": subscriber.language,
        "topics": [topic.slug for topic in subscriber.topics.all()],
        "state": subscriber.state,
        "consent": {
            "source": subscriber.source,
            "note": subscriber.consent_note,
            "requested_at": subscriber.requested_at.isoformat(),
            "requested_ip": subscriber.requested_ip,
            "confirmed_at": subscriber.confirmed_at and subscriber.confirmed_at.isoformat(),
            "confirmed_ip": subscriber.confirmed_ip,
        },
        "unsubscribed_at": subscriber.unsubscribed_at and subscriber.unsubscribed_at.isoformat(),
        "deliveries": [
            {"campaign": title, "state": state, "sent_at": sent_at and sent_at.isoformat()}
            for title, state, sent_at in subscriber.deliveries.values_list(
                "campaign__title", "state", "sent_at"
            )
        ],
        "exported_at": timezone.now().isoformat(),
    }


def subscriber_erase(*, subscriber: Subscriber) -> None:
    """Delete the subscriber. Their address stays on the suppression list as a hash only,
    so an import cannot bring it back; their deliveries stay (counts add up) without
    them, and pending ones are skipped."""
    with transaction.atomic():
        suppression_add(address=subscriber.email_key, reason=Suppression.Reason.UNSUBSCRIBED)
        Delivery.objects.filter(
            subscriber=subscriber, state__in=[Delivery.State.PENDING, Delivery.State.CLAIMED]
        ).update(state=Delivery.State.SKIPPED, error="erased")
        subscriber.delete()


# ---------------------------------------------------------------- bounces
def bounce_record(*, address: str, kind: str, delivery: Delivery | None = None) -> bool:
    """Record a bounce or complaint; returns True when the address is now suppressed.

    Hard bounces and complaints suppress at once; soft bounces once there have been
    ``NEWSLETTER_SOFT_BOUNCE_LIMIT`` (default 3) within ``NEWSLETTER_SOFT_BOUNCE_DAYS``
    (default 30) days.
    """
    digest = email_hash(address)
    Bounce.objects.create(email_hash=digest, kind=kind, delivery=delivery)
    if kind == Bounce.Kind.SOFT:
        days = getattr(settings, "NEWSLETTER_SOFT_BOUNCE_DAYS", 30)
        limit = getattr(settings, "NEWSLETTER_SOFT_BOUNCE_LIMIT", 3)
        since = timezone.now() - timezone.timedelta(days=days)
        if (
            Bounce.objects.filter(email_hash=digest, kind=kind, received_at__gte=since).count()
            < limit
        ):
            return False
        reason = Suppression.Reason.SOFT_BOUNCES
    else:
        reason = (
            Suppression.Reason.COMPLAINT
            if kind == Bounce.Kind.COMPLAINT
            else Suppression.Reason.HARD_BOUNCE
        )
    subscriber = Subscriber.objects.filter(email_key=email_key(address)).first()
    if subscriber is not None:
        subscriber_unsubscribe(subscriber=subscriber, reason=reason)
    else:
        suppression_add(address=address, reason=reason)
    return True


# ---------------------------------------------------------------- campaigns
def _locked(campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign_id)


def _transition(campaign: Campaign, state: str) -> None:
    if not campaign.can_become(state):
        raise NewsletterRefused(
            _("A campaign that is %(current)s cannot become %(new)s.")
            % {
                "current": campaign.get_state_display(),
                "new": Campaign.State(state).label,
            }
        )


def campaign_schedule(*, campaign_id: int, when) -> Campaign:
    """Schedule a draft for ``when`` (the clock starts it then)."""
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.state != Campaign.State.SCHEDULED:
            _transition(campaign, Campaign.State.SCHEDULED)
        if not campaign.subject_ar:
            raise NewsletterRefused(_("The campaign needs an Arabic subject."))
        campaign.state = Campaign.State.SCHEDULED
        campaign.scheduled_at = when
        campaign.save(update_fields=["state", "scheduled_at"])
    return campaign


def audience(campaign: Campaign):
    """Active subscribers of the campaign's topics (all when it names none), not
    suppressed."""
    subscribers = Subscriber.objects.filter(state=Subscriber.State.ACTIVE)
    topic_ids = list(campaign.topics.values_list("pk", flat=True))
    if topic_ids:
        subscribers = subscribers.filter(topics__in=topic_ids).distinct()
    return subscribers


def campaign_start(*, campaign_id: int, enqueue: bool = True) -> Campaign:
    """Start sending: freeze the audience into one pending delivery per subscriber and
    queue the sender. Refused unless draft or scheduled, so a campaign started twice
    (two clicks, two clocks) is frozen once; the unique (campaign, subscriber)
    constraint backs that up."""
    with transaction.atomic():
        campaign = _locked(campaign_id)
        _transition(campaign, Campaign.State.RUNNING)
        if not campaign.subject_ar:
            raise NewsletterRefused(_("The campaign needs an Arabic subject."))
        suppressed = set(Suppression.objects.values_list("email_hash", flat=True))
        batch: list[Delivery] = []
        size = 0
        for pk, key in audience(campaign).values_list("pk", "email_key").iterator(5000):
            if suppressed and email_hash(key) in suppressed:
                continue
            batch.append(Delivery(campaign_id=campaign.pk, subscriber_id=pk))
            if len(batch) >= 5000:
                Delivery.objects.bulk_create(batch, ignore_conflicts=True)
                size += len(batch)
                batch = []
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        size += len(batch)
        campaign.state = Campaign.State.RUNNING
        campaign.started_at = timezone.now()
        campaign.audience_size = size
        campaign.save(update_fields=["state", "started_at", "audience_size"])
        if enqueue:
            transaction.on_commit(lambda: _enqueue_send(campaign.pk))
    log.info("campaign started", extra={"campaign": campaign.pk, "audience": size})
    return campaign


def _enqueue_send(campaign_id: int) -> None:
    from tawasul.newsletter import tasks

    tasks.send_campaign.enqueue(campaign_id)


def campaign_pause(*, campaign_id: int) -> Campaign:
    """Pause a running campaign: workers stop after the messages in their hands and give
    back the rows they had claimed."""
    with transaction.atomic():
        campaign = _locked(campaign_id)
        _transition(campaign, Campaign.State.PAUSED)
        campaign.state = Campaign.State.PAUSED
        campaign.save(update_fields=["state"])
    return campaign


def campaign_resume(*, campaign_id: int, enqueue: bool = True) -> Campaign:
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.state != Campaign.State.PAUSED:
            raise NewsletterRefused(_("Only a paused campaign can be resumed."))
        campaign.state = Campaign.State.RUNNING
        campaign.save(update_fields=["state"])
        if enqueue:
            transaction.on_commit(lambda: _enqueue_send(campaign.pk))
    return campaign


def campaign_cancel(*, campaign_id: int) -> Campaign:
    """Cancel: pending rows become skipped; what was sent stays sent."""
    with transaction.atomic():
        campaign = _locked(campaign_id)
        _transition(campaign, Campaign.State.CANCELLED)
        campaign.state = Campaign.State.CANCELLED
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["state", "finished_at"])
        campaign.deliveries.filter(
            state__in=[Delivery.State.PENDING, Delivery.State.CLAIMED]
        ).update(state=Delivery.State.SKIPPED, error="cancelled")
    return campaign


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """Mark a running campaign finished once no row is pending, claimed or in flight."""
    open_states = [Delivery.State.PENDING, Delivery.State.CLAIMED, Delivery.State.SENDING]
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.state != Campaign.State.RUNNING:
            return False
        if campaign.deliveries.filter(state__in=open_states).exists():
            return False
        campaign.state = Campaign.State.FINISHED
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["state", "finished_at"])
    return True


def campaigns_tick() -> None:
    """The clock's job: start scheduled campaigns whose time has come; queue a sender for
    running campaigns nobody is sending (a worker died, or a relay was down)."""
    now = timezone.now()
    for pk in Campaign.objects.filter(
        state=Campaign.State.SCHEDULED, scheduled_at__lte=now
    ).values_list("pk", flat=True):
        try:
            campaign_start(campaign_id=pk)
        except NewsletterRefused:
            continue
    from tawasul.newsletter import sender

    quiet = now - timezone.timedelta(seconds=sender.stale_seconds())
    for campaign in Campaign.objects.filter(state=Campaign.State.RUNNING):
        busy = campaign.deliveries.filter(
            state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING], claimed_at__gte=quiet
        ).exists()
        if not busy:
            sender.deliveries_recover(campaign_id=campaign.pk)
            if not campaign_finish_if_done(campaign_id=campaign.pk):
                _enqueue_send(campaign.pk)


# ---------------------------------------------------------------- import
@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    suppressed: int = 0
    invited: int = 0


def subscribers_import(
    *, rows: list, consent_note: str | None = None, progress=None, chunk: int = 2000
) -> ImportReport:
    """Add the rows (``importer.Row``) as subscribers, in chunks (each its own
    transaction; a re-run continues where an interrupted one stopped).

    ``consent_note`` given: consent was collected elsewhere; they are active at once,
    with the note as their consent record. Otherwise they are pending and each is mailed
    a confirmation link (double opt-in). Addresses on the suppression list are never
    added back; existing subscribers are left as they are.
    """
    report = ImportReport()
    topics = dict(Topic.objects.values_list("slug", "pk"))
    suppressed = set(Suppression.objects.values_list("email_hash", flat=True))
    now = timezone.now()
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        keys = [row.key for row in part]
        with transaction.atomic():
            known = set(
                Subscriber.objects.filter(email_key__in=keys).values_list("email_key", flat=True)
            )
            fresh = []
            for row in part:
                if email_hash(row.key) in suppressed:
                    report.suppressed += 1
                elif row.key in known:
                    report.existing += 1
                else:
                    fresh.append(row)
                    known.add(row.key)
            Subscriber.objects.bulk_create(
                [
                    Subscriber(
                        email=row.email,
                        email_key=row.key,
                        name=row.name,
                        language=row.language,
                        state=(
                            Subscriber.State.ACTIVE if consent_note else Subscriber.State.PENDING
                        ),
                        source=Subscriber.Source.IMPORT,
                        consent_note=(consent_note or "")[:300],
                        confirmed_at=now if consent_note else None,
                    )
                    for row in fresh
                ],
                ignore_conflicts=True,
            )
            ids = dict(
                Subscriber.objects.filter(
                    email_key__in=[row.key for row in fresh], source=Subscriber.Source.IMPORT
                ).values_list("email_key", "pk")
            )
            through = Subscriber.topics.through
            through.objects.bulk_create(
                [
                    through(subscriber_id=ids[row.key], topic_id=topics[slug])
                    for row in fresh
                    if row.key in ids
                    for slug in row.topics
                ],
                ignore_conflicts=True,
            )
            report.created += len(fresh)
            if not consent_note:
                invited = [ids[row.key] for row in fresh if row.key in ids]
                report.invited += len(invited)
                transaction.on_commit(
                    lambda invited=invited: [_enqueue_mail(pk, "confirm") for pk in invited]
                )
        if progress is not None:
            progress.update(len(part))
    log.info("subscribers imported", extra={f"import_{k}": v for k, v in report.__dict__.items()})
    return report
