"""Every change to inquiries goes through here: the public form, tracking, the staff
desk, the clock, mail ingest and the FAQ.

State changes lock the case row (``select_for_update`` inside ``atomic``) and check the
move against ``rules.TRANSITIONS`` from the state they find under the lock, so two staff
acting at once never both win; an illegal move raises ``CaseRefused``. Every change is
written to the case's history (``Event``: who, when, from → to). Mail to the citizen
leaves through the task queue after the commit, in the case's language, with the
reference in the subject and in the Message-ID; internal notes are never mailed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from tawasul.core import ratelimit
from tawasul.core.text import neutralise
from tawasul.inquiries import calendar, rules
from tawasul.inquiries.files import Checked
from tawasul.inquiries.models import (
    MESSAGE_MAX,
    SUBJECT_MAX,
    Attachment,
    Case,
    DeskMember,
    Event,
    FaqEntry,
    InboundMail,
    Message,
)

log_ = logging.getLogger("tawasul.inquiries")
State = Case.State

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
REFERENCE_LENGTH = 5
TRACK_SALT = "tawasul.inquiries.track"
RATE_SALT = "tawasul.inquiries.rate"
TRACK_LINK_DAYS = 7
RATE_LINK_DAYS = 60
TRACK_PER_IP, TRACK_PER_EMAIL, TRACK_PERIOD = 10, 5, 3600


class CaseRefused(Exception):
    """The action is not allowed now; ``message`` says why, for people."""

    MESSAGES = {
        "transition": _("This inquiry cannot make that change in its present state."),
        "forbidden": _("You cannot do that with this inquiry."),
        "closed": _("This inquiry is closed; it cannot take new information."),
        "rated": _("This inquiry has been rated already. Thank you."),
        "not_rateable": _("This inquiry cannot be rated now."),
        "original": _("No other inquiry has that reference."),
        "assignee": _("That person does not answer this department's inquiries."),
        "same_person": _("Someone else must approve an FAQ entry than the one who wrote it."),
        "empty": _("Please write the text first."),
    }

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self):
        return self.MESSAGES.get(self.code, self.code)


# ---------------------------------------------------------------- helpers
def reference_new() -> str:
    year = timezone.localdate().year
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{settings.INQUIRIES_REFERENCE_PREFIX}-{year}-{code}"


REFERENCE_PATTERN = re.compile(r"\b([A-Z]{2,10}-\d{4}-[" + REFERENCE_ALPHABET + r"]{5})\b")


def clean_text(value: str, *, limit: int, required: bool = True) -> str:
    cleaned = neutralise(value or "").strip()
    if required and not cleaned:
        raise ValidationError(CaseRefused.MESSAGES["empty"], code="empty")
    if len(cleaned) > limit:
        raise ValidationError(
            _("At most %(max)s characters; this has %(count)s."),
            code="too_long",
            params={"max": limit, "count": len(cleaned)},
        )
    return cleaned


def _event(case: Case, *, actor, action: str, before: str = "", note: str = "", **extra) -> Event:
    event = Event.objects.create(
        case=case,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_state=before,
        to_state=case.state if before else "",
        note=note,
        **extra,
    )
    log(
        case,
        f"inquiries.{action}",
        user=actor if getattr(actor, "pk", None) else None,
        data={"from": before, "to": case.state, "note": note[:200]},
    )
    return event


def _mail_after_commit(case_id: int, kind: str, message_pk: int = 0) -> None:
    from tawasul.inquiries import tasks

    transaction.on_commit(
        lambda: tasks.send_case_mail.enqueue(case_id=case_id, kind=kind, message_pk=message_pk)
    )


def _locked(case_id: int) -> Case:
    return Case.objects.select_for_update().get(pk=case_id)


def _check(user, action: str, case: Case) -> None:
    if not rules.can_see(user, case):
        raise CaseRefused("forbidden")
    if not rules.can(user, action, case):
        raise CaseRefused("transition")


def _move(case: Case, to_state: str, *, today=None) -> str:
    """Set the new state (checked) and keep the working-day clock in step. Returns the
    state before. Call under the row lock; the caller saves."""
    before = case.state
    if before == to_state:
        return before
    if not rules.can_move(before, to_state):
        raise CaseRefused("transition")
    today = today or timezone.localdate()
    if to_state == State.AWAITING and case.paused_on is None:
        case.paused_on = today
    if before == State.AWAITING and case.paused_on is not None:
        # The days spent waiting for the citizen do not count.
        waited = calendar.working_days_between(case.paused_on, today)
        if case.due_on is not None and waited:
            case.due_on = calendar.add_working_days(case.due_on, waited)
        case.paused_on = None
    if to_state == State.REOPENED:
        case.due_on = calendar.add_working_days(today, case.response_days)
        case.warned_at = case.escalated_at = None
        case.closed_at = None
    if to_state == State.CLOSED:
        case.closed_at = timezone.now()
    case.state = to_state
    return before


# ---------------------------------------------------------------- submitting
@dataclass
class Submitted:
    case: Case
    created: bool


def case_submit(
    *,
    kind: str,
    topic,
    subject: str,
    message: str,
    name: str,
    email: str,
    language: str,
    consent: bool,
    phone: str = "",
    service=None,
    user=None,
    files: list[Checked] | tuple = (),
    idempotency_key: str = "",
    ip_address: str | None = None,
    via: str = Message.Via.WEB,
    message_id: str | None = None,
) -> Submitted:
    """Open a case from the public form (or from an email that matches none).

    Rate limits (``ratelimit.RateLimited``): per IP address and hour, per email and day.
    Idempotent per form: (email, ``idempotency_key``) is unique, so a double click stores
    one case and the second call returns it with ``created=False``. Routes to the
    topic's department (none: the triage queue), starts the working-day clock, and
    mails the reference to the citizen after the commit.
    """
    if kind not in Case.Kind.values:
        raise ValidationError(_("Please choose what kind of message this is."))
    if not consent:
        raise ValidationError(_("Please agree to the privacy notice, so we can answer you."))
    email = (email or "").strip().lower()
    subject = clean_text(subject, limit=SUBJECT_MAX)
    body = clean_text(message, limit=MESSAGE_MAX)
    name = clean_text(name, limit=150)
    if idempotency_key:
        earlier = Case.objects.filter(email=email, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return Submitted(earlier, False)
    ratelimit.hit(
        "inquiries:submit:ip", ip_address, limit=settings.INQUIRIES_PER_IP_HOUR, period=3600
    )
    ratelimit.hit(
        "inquiries:submit:email", email, limit=settings.INQUIRIES_PER_EMAIL_DAY, period=86400
    )
    now = timezone.now()
    days = topic.response_days if topic is not None else 5
    department = None
    if topic is not None and topic.department_id:
        department = topic.department.get_translation_or_none(_default_locale()) or topic.department
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=reference_new(),
                    kind=kind,
                    topic=topic,
                    department=department,
                    service=service,
                    subject=subject,
                    name=name,
                    email=email,
                    phone=neutralise(phone or "").strip()[:30],
                    language=language if language in dict(settings.LANGUAGES) else "ar",
                    consent_at=now,
                    user=user if getattr(user, "is_authenticated", False) else None,
                    created_at=now,
                    response_days=days,
                    due_on=calendar.add_working_days(timezone.localdate(now), days),
                    idempotency_key=idempotency_key,
                )
                first = Message.objects.create(
                    case=case,
                    kind=Message.Kind.CITIZEN,
                    via=via,
                    body=body,
                    created_at=now,
                    message_id=message_id,
                )
                _attach(first, files)
                _event(case, actor=None, action="submit", to_department=department)
            break
        except IntegrityError:
            if idempotency_key:
                earlier = Case.objects.filter(email=email, idempotency_key=idempotency_key).first()
                if earlier is not None:
                    return Submitted(earlier, False)
            continue  # a reference that clashed: draw again
    else:  # pragma: no cover - 31^5 codes a year
        raise RuntimeError("no free reference")
    _mail_after_commit(case.pk, "received")
    log_.info("inquiry submitted", extra={"case": case.reference})
    return Submitted(case, True)


def _default_locale():
    from wagtail.models import Locale

    return Locale.get_default()


def _attach(message: Message, files) -> None:
    for checked in files:
        attachment = Attachment(
            message=message,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save(checked.name, ContentFile(checked.data), save=False)
        attachment.save()


# ---------------------------------------------------------------- tracking
def email_digest(email: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{email.strip().lower()}".encode()).hexdigest()[
        :16
    ]


def tracking_token_make(case: Case) -> str:
    return signing.dumps({"c": case.pk, "e": email_digest(case.email)}, salt=TRACK_SALT)


def tracking_token_read(token: str) -> Case | None:
    """The case a tracking link was made for, or None (forged, expired, or the case's
    email changed or was anonymised since)."""
    try:
        data = signing.loads(token, salt=TRACK_SALT, max_age=TRACK_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    case = Case.objects.filter(pk=data.get("c"), anonymised_at=None).first()
    if case is None or email_digest(case.email) != data.get("e"):
        return None
    return case


def tracking_link_send(*, reference: str, email: str, ip_address: str | None) -> None:
    """Mail a tracking link if ``reference`` and ``email`` belong together; otherwise do
    nothing. Either way the caller shows the same answer, so references cannot be probed.
    Rate-limited per IP address and per email (``ratelimit.RateLimited``)."""
    email = (email or "").strip().lower()
    reference = (reference or "").strip().upper()
    ratelimit.hit("inquiries:track:ip", ip_address, limit=TRACK_PER_IP, period=TRACK_PERIOD)
    ratelimit.hit("inquiries:track:email", email, limit=TRACK_PER_EMAIL, period=TRACK_PERIOD)
    case = Case.objects.filter(reference=reference, email=email, anonymised_at=None).first()
    if case is None:
        log_.info("tracking request without a match")
        return
    _mail_after_commit(case.pk, "link")


def rating_token_make(case: Case) -> str:
    return signing.dumps({"c": case.pk, "r": 1}, salt=RATE_SALT)


def rating_token_read(token: str) -> Case | None:
    try:
        data = signing.loads(token, salt=RATE_SALT, max_age=RATE_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    return Case.objects.filter(pk=data.get("c"), anonymised_at=None).first()


def case_rate(*, case_id: int, score: int, comment: str = "") -> Case:
    """The citizen rates the answer once, after closing (1–5 and a comment).

    A conditional update (``rated_at IS NULL``) makes a second rating, also one sent at
    the same moment, fail with ``CaseRefused("rated")``.
    """
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(_("Choose a score from 1 to 5."))
    comment = clean_text(comment, limit=1000, required=False)
    case = Case.objects.get(pk=case_id)
    if case.rated_at is not None:
        raise CaseRefused("rated")
    if not rules.can_rate(case):
        raise CaseRefused("not_rateable")
    changed = Case.objects.filter(pk=case_id, rated_at=None, state=State.CLOSED).update(
        rating=score, rating_comment=comment, rated_at=timezone.now()
    )
    if not changed:
        raise CaseRefused("rated")
    case.refresh_from_db()
    _event(case, actor=None, action="rate", note=str(score))
    return case


def case_citizen_message(
    *,
    case_id: int,
    body: str,
    files: list[Checked] | tuple = (),
    via: str = Message.Via.WEB,
    message_id: str | None = None,
) -> Message:
    """The citizen adds information. Awaiting → in progress (the clock runs again);
    answered → reopened. Refused on a closed case (``CaseRefused("closed")``)."""
    body = clean_text(body, limit=MESSAGE_MAX)
    with transaction.atomic():
        case = _locked(case_id)
        if not rules.can_citizen_add(case):
            raise CaseRefused("closed")
        message = Message.objects.create(
            case=case,
            kind=Message.Kind.CITIZEN,
            via=via,
            body=body,
            created_at=timezone.now(),
            message_id=message_id,
        )
        _attach(message, files)
        target = {State.AWAITING: State.IN_PROGRESS, State.ANSWERED: State.REOPENED}.get(case.state)
        if target:
            before = _move(case, target)
            case.save()
            _event(case, actor=None, action="citizen_message", before=before)
        else:
            _event(case, actor=None, action="citizen_message")
    _mail_after_commit(case.pk, "staff_news", message.pk)
    return message


# ---------------------------------------------------------------- the staff desk
def case_assign(*, case_id: int, actor, assignee) -> Case:
    """Give the case to a member of its department (or to oneself). Locks the row."""
    with transaction.atomic():
        case = _locked(case_id)
        _check(actor, "assign", case)
        if not (rules.sees_all(assignee) or case.department_id in rules.department_ids(assignee)):
            raise CaseRefused("assignee")
        previous = case.assignee
        case.assignee = assignee
        before = case.state
        if case.state in (State.NEW, State.REOPENED):
            before = _move(case, State.ASSIGNED)
        case.save()
        _event(
            case,
            actor=actor,
            action="assign",
            before=before,
            note=f"{previous or '-'} → {assignee}",
        )
    return case


def case_start(*, case_id: int, actor) -> Case:
    return _simple_move(case_id, actor, "start", State.IN_PROGRESS)


def _simple_move(case_id: int, actor, action: str, to_state: str, note: str = "") -> Case:
    with transaction.atomic():
        case = _locked(case_id)
        _check(actor, action, case)
        before = _move(case, to_state)
        case.save()
        _event(case, actor=actor, action=action, before=before, note=note)
    return case


def case_transfer(*, case_id: int, actor, department, note: str = "") -> Case:
    """Send the case to another department: back to "new" there, unassigned, with the
    move kept in the history. Locks the row."""
    note = clean_text(note, limit=1000, required=False)
    with transaction.atomic():
        case = _locked(case_id)
        _check(actor, "transfer", case)
        previous = case.department
        if department is not None and previous is not None and department.pk == previous.pk:
            return case
        case.department = department
        case.assignee = None
        before = case.state
        if case.state != State.NEW:
            before = case.state
            case.state = State.NEW  # a transfer is always allowed from a working state
            if before == State.AWAITING and case.paused_on:
                case.paused_on = None
        case.save()
        _event(
            case,
            actor=actor,
            action="transfer",
            before=before,
            note=note,
            from_department=previous,
            to_department=department,
        )
    return case


def case_note(*, case_id: int, actor, body: str) -> Message:
    """An internal note: seen by staff only, never shown or mailed to the citizen."""
    body = clean_text(body, limit=MESSAGE_MAX)
    with transaction.atomic():
        case = _locked(case_id)
        _check(actor, "note", case)
        message = Message.objects.create(
            case=case,
            kind=Message.Kind.NOTE,
            via=Message.Via.STAFF,
            body=body,
            author=actor,
            created_at=timezone.now(),
        )
        _event(case, actor=actor, action="note")
    return message


def case_reply(*, case_id: int, actor, body: str, ask: bool = False) -> Message:
    """A public reply, mailed to the citizen. ``ask``: a question back to the citizen
    (awaiting the citizen: the clock stops); otherwise the answer (answered)."""
    body = clean_text(body, limit=MESSAGE_MAX)
    action = "ask" if ask else "reply"
    with transaction.atomic():
        case = _locked(case_id)
        _check(actor, action, case)
        now = timezone.now()
        message = Message.objects.create(
            case=case,
            kind=Message.Kind.REPLY,
            via=Message.Via.STAFF,
            body=body,
            author=actor,
            created_at=now,
        )
        message.message_id = outgoing_message_id(case, f"reply{message.pk}")
        message.save(update_fields=["message_id"])
        before = _move(case, State.AWAITING if ask else State.ANSWERED)
        if not ask and case.first_answered_at is None:
            case.first_answered_at = now
            case.answered_in_time = case.due_on is None or timezone.localdate(now) <= case.due_on
        if case.assignee_id is None:
            case.assignee = actor
        case.save()
        _event(case, actor=actor, action=action, before=before)
    _mail_after_commit(case.pk, "reply", message.pk)
    return message


def case_close(*, case_id: int, actor=None) -> Case:
    """Close an answered case; the citizen is invited to rate the answer."""
    case = _simple_move(case_id, actor, "close", State.CLOSED)
    _mail_after_commit(case.pk, "closed")
    return case


def case_reopen(*, case_id: int, actor, note: str = "") -> Case:
    return _simple_move(case_id, actor, "reopen", State.REOPENED, note)


def case_mark_duplicate(*, case_id: int, actor, original_reference: str) -> Case:
    """Link the case to the one it repeats and stop working on it."""
    original = (
        Case.objects.filter(reference=(original_reference or "").strip().upper())
        .exclude(pk=case_id)
        .first()
    )
    if original is None or not rules.can_see(actor, original):
        raise CaseRefused("original")
    with transaction.atomic():
        case = _locked(case_id)
        _check(actor, "duplicate", case)
        before = _move(case, State.DUPLICATE)
        case.duplicate_of = original
        case.save()
        _event(case, actor=actor, action="duplicate", before=before, note=original.reference)
    _mail_after_commit(case.pk, "duplicate")
    return case


def case_refer(*, case_id: int, actor, referral: str) -> Case:
    """Not our remit: the citizen is told where to turn (the referral text)."""
    referral = clean_text(referral, limit=2000)
    with transaction.atomic():
        case = _locked(case_id)
        _check(actor, "refer", case)
        before = _move(case, State.NOT_OUR_REMIT)
        case.referral = referral
        case.save()
        _event(case, actor=actor, action="refer", before=before, note=referral)
    _mail_after_commit(case.pk, "referred")
    return case


def case_viewed(*, case: Case, user) -> None:
    """Staff opened a case's personal data: logged in the audit log."""
    log(case, "inquiries.view", user=user)


# ---------------------------------------------------------------- the clock
def deadlines_check(*, today=None) -> dict:
    """The periodic job: warn the department at 80 % of the working days, escalate to
    its head at 100 %. Idempotent (``warned_at``/``escalated_at`` are set once, with a
    conditional update, so several workers never send twice). Paused cases (awaiting
    the citizen) are skipped: their clock stands still."""
    today = today or timezone.localdate()
    counts = {"warned": 0, "escalated": 0}
    running = Case.objects.filter(
        state__in=rules.CLOCK_RUNS, due_on__isnull=False, anonymised_at=None
    ).filter(escalated_at=None)
    from tawasul.inquiries.models import Holiday

    # One query for the holidays of the whole horizon, not one per case.
    holidays = set(Holiday.objects.filter(date__gte=today).values_list("date", flat=True))
    for case in running.only("pk", "due_on", "response_days", "warned_at", "created_at"):
        left = calendar.working_days_between(today, case.due_on, holidays)
        total = max(1, case.response_days)
        now = timezone.now()
        if today > case.due_on:
            if Case.objects.filter(pk=case.pk, escalated_at=None).update(escalated_at=now):
                counts["escalated"] += 1
                Event.objects.create(case=case, at=now, action="escalate")
                _mail_after_commit(case.pk, "escalated")
        elif (
            case.warned_at is None
            and (total - left) >= 0.8 * total
            and Case.objects.filter(pk=case.pk, warned_at=None).update(warned_at=now)
        ):
            counts["warned"] += 1
            Event.objects.create(case=case, at=now, action="warn")
            _mail_after_commit(case.pk, "warning")
    return counts


def cases_anonymise_due(*, now: datetime | None = None) -> int:
    """The periodic job: closed cases older than the retention period lose their
    personal data (name, email, phone, texts, files); the figures stay for reports.
    Idempotent."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.INQUIRIES_RETENTION_DAYS)
    finished = [State.CLOSED, State.DUPLICATE, State.NOT_OUR_REMIT]
    # Closed: since closing; duplicate or not our remit: since the last change.
    due = (
        Case.objects.filter(state__in=finished, anonymised_at=None)
        .filter(Q(closed_at__lt=limit) | Q(closed_at__isnull=True, updated_at__lt=limit))
        .values_list("pk", flat=True)
    )
    done = 0
    for case_id in list(due[:500]):
        with transaction.atomic():
            case = _locked(case_id)
            if case.anonymised_at is not None:
                continue
            for attachment in Attachment.objects.filter(message__case=case):
                attachment.file.delete(save=False)
            Attachment.objects.filter(message__case=case).delete()
            Message.objects.filter(case=case).update(body="")
            Event.objects.filter(case=case).update(note="")
            case.name = ""
            case.email = f"anonymised-{case.pk}@invalid"
            case.phone = ""
            case.subject = "—"
            case.referral = ""
            case.rating_comment = ""
            case.user = None
            case.anonymised_at = now
            case.save()
            log(case, "inquiries.anonymise", user=None)
            done += 1
    return done


# ---------------------------------------------------------------- mail
def mail_domain() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.BASE_URL).hostname or "localhost"


def outgoing_message_id(case: Case, part: str) -> str:
    return f"<{case.reference}.{part}.{secrets.token_hex(4)}@{mail_domain()}>"


def staff_recipients(case: Case, *, heads_only: bool = False) -> list[str]:
    members = DeskMember.objects.filter(department_id=case.department_id).select_related("user")
    if heads_only:
        members = members.filter(is_head=True)
    emails = [m.user.email for m in members if m.user.is_active and m.user.email]
    if case.assignee and case.assignee.email and not heads_only:
        emails.append(case.assignee.email)
    return sorted(set(emails))


def case_mail_send(*, case_id: int, kind: str, message_pk: int = 0) -> bool:
    """Render and send one notification (called by the task). Internal notes are never
    sent: a ``message_pk`` that is not a public reply sends nothing to the citizen."""
    from tawasul.inquiries import mail

    case = Case.objects.filter(pk=case_id, anonymised_at=None).first()
    if case is None:
        return False
    return mail.send(case, kind, message_pk)


# ---------------------------------------------------------------- FAQ
def faq_draft(*, actor, question: str, answer: str, language: str, case_id=None, topic=None):
    """Staff write an FAQ entry (from an answered case, personal data removed by them).
    It stays a draft until someone else approves it."""
    question = clean_text(question, limit=300)
    answer = clean_text(answer, limit=5000)
    case = None
    if case_id is not None:
        case = Case.objects.get(pk=case_id)
        _check(actor, "faq", case)
        topic = topic or case.topic
    entry = FaqEntry.objects.create(
        language=language if language in dict(settings.LANGUAGES) else "ar",
        question=question,
        answer=answer,
        topic=topic,
        source_case=case,
        created_by=actor,
        created_at=timezone.now(),
    )
    log(entry, "inquiries.faq_draft", user=actor)
    return entry


def faq_approve(*, entry_id: int, actor) -> FaqEntry:
    """A second person publishes the entry; its author cannot. Idempotent."""
    if not rules.can_approve_faq(actor):
        raise CaseRefused("forbidden")
    with transaction.atomic():
        entry = FaqEntry.objects.select_for_update().get(pk=entry_id)
        if entry.state == FaqEntry.State.PUBLISHED:
            return entry
        if entry.created_by_id == actor.pk:
            raise CaseRefused("same_person")
        entry.state = FaqEntry.State.PUBLISHED
        entry.approved_by = actor
        entry.published_at = timezone.now()
        entry.save(update_fields=["state", "approved_by", "published_at"])
        log(entry, "inquiries.faq_approve", user=actor)
    return entry


# ---------------------------------------------------------------- inbound mail
def _case_for_mail(inbound) -> Case | None:
    """Threading: our Message-IDs in In-Reply-To/References first, then the reference
    in the subject."""
    if inbound.references:
        known = (
            Message.objects.filter(message_id__in=inbound.references).select_related("case").first()
        )
        if known is not None:
            return known.case
        for reference_id in inbound.references:
            found = REFERENCE_PATTERN.search(reference_id)
            if found and reference_id.endswith(f"@{mail_domain()}>"):
                case = Case.objects.filter(reference=found.group(1)).first()
                if case is not None:
                    return case
    found = REFERENCE_PATTERN.search(inbound.subject.upper())
    if found:
        return Case.objects.filter(reference=found.group(1)).first()
    return None


def _mail_files(inbound) -> tuple[list[Checked], list[str]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tawasul.inquiries import files

    kept, refused = [], []
    for name, data in inbound.files[: settings.INQUIRIES_MAX_FILES]:
        try:
            kept += files.check([SimpleUploadedFile(name, data)])
        except ValidationError as error:
            refused.append(" ".join(error.messages))
    for name, _data in inbound.files[settings.INQUIRIES_MAX_FILES :]:
        refused.append(str(_("“%(name)s” was not kept: too many files.") % {"name": name}))
    return kept, refused


def mail_ingest(*, raw: bytes) -> str:
    """Take in one mail (the ingest command or the webhook); returns what became of it.

    Once per Message-ID (a unique row in ``InboundMail``, written in the same
    transaction as the case change, so a crash lets the mail be taken in again and a
    repeat does nothing: "duplicate"). Automatic mail (Auto-Submitted, Precedence
    bulk/list, mailer-daemon, our own) is recorded and left alone, never answered:
    "ignored:<why>". A mail that belongs to a case (threading, then the subject) from
    the case's address is added to it, reopening a closed case, or opening a new case
    when it was closed more than ``INQUIRIES_REOPEN_DAYS`` ago; anything else opens a
    new case, so nothing is lost. Malformed input: "malformed", nothing stored.
    """
    from tawasul.inquiries import inbound as inbound_mail

    parsed = inbound_mail.parse(raw)
    if parsed is None:
        log_.warning("inbound mail refused: malformed")
        return "malformed"
    now = timezone.now()
    try:
        with transaction.atomic():
            record = InboundMail.objects.create(
                message_id=parsed.message_id,
                received_at=now,
                sender=parsed.sender[:254],
                subject=parsed.subject[:255],
                outcome="processing",
            )
            outcome, case = _ingest(parsed, now)
            record.outcome = outcome
            record.case = case
            record.save(update_fields=["outcome", "case"])
    except IntegrityError:
        log_.info("inbound mail seen before", extra={"message_id": parsed.message_id})
        return "duplicate"
    except ratelimit.RateLimited:
        log_.warning("inbound mail refused: rate limit", extra={"sender": parsed.sender})
        return "rate_limited"
    log_.info("inbound mail", extra={"outcome": outcome})
    return outcome


def _ingest(parsed, now) -> tuple[str, Case | None]:
    if parsed.machine:
        return f"ignored:{parsed.machine}", None
    kept, refused = _mail_files(parsed)
    body = parsed.body
    if refused:
        body = "\n".join([body, "", *refused]).strip()
    if not body.strip():
        body = "—"
    body = body[:MESSAGE_MAX]
    case = _case_for_mail(parsed)
    if case is not None and case.email == parsed.sender and case.anonymised_at is None:
        if case.is_open:
            case_citizen_message(
                case_id=case.pk,
                body=body,
                files=kept,
                via=Message.Via.EMAIL,
                message_id=parsed.message_id,
            )
            return "added", case
        recent = case.closed_at is None or case.closed_at >= now - timedelta(
            days=settings.INQUIRIES_REOPEN_DAYS
        )
        if recent:
            with transaction.atomic():
                locked = _locked(case.pk)
                before = _move(locked, State.REOPENED)
                locked.save()
                _event(locked, actor=None, action="reopen", before=before, note="email")
            case_citizen_message(
                case_id=case.pk,
                body=body,
                files=kept,
                via=Message.Via.EMAIL,
                message_id=parsed.message_id,
            )
            return "reopened", case
    subject = parsed.subject.strip() or str(_("Message by email"))
    if case is not None:
        subject = f"{subject} ({case.reference})"
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in body)
    result = case_submit(
        kind=Case.Kind.QUESTION,
        topic=None,
        subject=subject[:SUBJECT_MAX],
        message=body,
        name=parsed.sender.split("@", 1)[0][:150],
        email=parsed.sender,
        language="ar" if arabic else "en",
        consent=True,  # they wrote to us: their details are kept to answer them
        files=kept,
        via=Message.Via.EMAIL,
        message_id=parsed.message_id,
    )
    return "new_case", result.case
