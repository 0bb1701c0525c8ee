"""Notifications of the inquiries desk: to the citizen (in the case's language) and to
the department's staff. Every mail carries the reference in its subject and in its
Message-ID, and ``X-Tawasul-Case``, so that the ingest recognises our own mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tawasul.inquiries.models import Case, Message

CITIZEN_KINDS = {"received", "link", "reply", "closed", "duplicate", "referred"}
STAFF_KINDS = {"staff_news", "warning", "escalated"}
OWN_HEADER = "X-Tawasul-Case"


def _subjects() -> dict[str, str]:
    return {
        "received": _("We received your message"),
        "link": _("Follow your inquiry"),
        "reply": _("A reply to your inquiry"),
        "closed": _("Your inquiry is closed: how did we do?"),
        "duplicate": _("Your inquiry is handled with another one"),
        "referred": _("Your inquiry is for another body"),
        "staff_news": _("The citizen added information"),
        "warning": _("An inquiry is nearing its deadline"),
        "escalated": _("An inquiry is past its deadline"),
    }


def send(case: Case, kind: str, message_pk: int = 0) -> bool:
    from tawasul.inquiries import services

    message = None
    if message_pk:
        message = Message.objects.filter(pk=message_pk, case=case).first()
        if message is None:
            return False
    if kind in CITIZEN_KINDS:
        if kind == "reply" and (message is None or message.kind != Message.Kind.REPLY):
            return False  # only public replies reach the citizen; never a note
        recipients = [case.email]
        language = case.language
    elif kind in STAFF_KINDS:
        recipients = services.staff_recipients(case, heads_only=kind == "escalated")
        if kind == "escalated" and not recipients:
            recipients = services.staff_recipients(case)
        language = settings.LANGUAGE_CODE
    else:
        return False
    if not recipients:
        return False
    base = settings.BASE_URL
    with translation.override(language):
        context = {
            "case": case,
            "message": message,
            "track_url": base
            + reverse("inquiries:case", kwargs={"token": services.tracking_token_make(case)}),
            "rate_url": base
            + reverse("inquiries:rate", kwargs={"token": services.rating_token_make(case)}),
            "desk_url": base + reverse("inquiries_admin:case", args=[case.pk]),
            "state": case.get_state_display(),
        }
        body = loader.render_to_string(f"inquiries/email/{kind}.txt", context)
        subject = f"[{case.reference}] {_subjects()[kind]}"
    message_id = (
        message.message_id
        if message is not None and message.message_id
        else services.outgoing_message_id(case, kind)
    )
    headers = {
        "Message-ID": message_id,
        OWN_HEADER: case.reference,
        "References": f"<{case.reference}@{services.mail_domain()}>",
        "In-Reply-To": f"<{case.reference}@{services.mail_domain()}>",
    }
    if kind != "reply":
        headers["Auto-Submitted"] = "auto-generated"
    reply_to = [settings.INQUIRIES_REPLY_TO] if settings.INQUIRIES_REPLY_TO else None
    EmailMessage(
        subject=subject, body=body, to=recipients, headers=headers, reply_to=reply_to
    ).send()
    return True
