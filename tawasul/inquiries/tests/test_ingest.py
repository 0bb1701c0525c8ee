"""Replies by email: threaded by In-Reply-To/References, then by the reference in the
subject; automatic mail never answered; each Message-ID taken in once; nothing lost."""

from __future__ import annotations

import io
import mailbox
import sys
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tawasul.inquiries import services
from tawasul.inquiries.models import Case, InboundMail, Message
from tawasul.inquiries.tests.conftest import mails_to

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def raw_mail(
    *,
    sender="amal@example.org",
    subject="Re: question",
    body="معلومة إضافية",
    message_id="<m1@mail.example.org>",
    headers=None,
    files=(),
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Amal <{sender}>"
    message["To"] = "inquiries@tawasul.example"
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for name, data in files:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


@pytest.fixture
def answered(case_factory, desk_agent):
    case = case_factory()
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="الجواب", ask=True)
    return case


def test_a_reply_threads_by_in_reply_to(answered):
    reply_id = answered.messages.get(kind=Message.Kind.REPLY).message_id
    raw = raw_mail(subject="Re: no reference here", headers={"In-Reply-To": reply_id})
    assert services.mail_ingest(raw=raw) == "added"
    answered.refresh_from_db()
    assert answered.state == Case.State.IN_PROGRESS
    added = answered.messages.get(via=Message.Via.EMAIL)
    assert added.body == "معلومة إضافية" and added.message_id == "<m1@mail.example.org>"


def test_a_reply_threads_by_the_reference_in_the_subject(answered):
    raw = raw_mail(subject=f"Re: [{answered.reference}] A reply to your inquiry")
    assert services.mail_ingest(raw=raw) == "added"
    assert answered.messages.filter(via=Message.Via.EMAIL).count() == 1


def test_quoted_text_is_left_out(answered):
    body = "شكرًا، هذه المعلومة\n\nOn Mon, 23 Nov 2026, desk wrote:\n> الجواب\n"
    services.mail_ingest(raw=raw_mail(subject=f"Re: {answered.reference}", body=body))
    assert answered.messages.get(via=Message.Via.EMAIL).body == "شكرًا، هذه المعلومة"


def test_the_same_message_id_is_taken_in_once(answered):
    raw = raw_mail(subject=f"Re: {answered.reference}")
    assert services.mail_ingest(raw=raw) == "added"
    assert services.mail_ingest(raw=raw) == "duplicate"
    assert answered.messages.filter(via=Message.Via.EMAIL).count() == 1
    assert InboundMail.objects.count() == 1


@pytest.mark.parametrize(
    ("headers", "sender", "why"),
    [
        ({"Auto-Submitted": "auto-replied"}, "amal@example.org", "auto-submitted"),
        ({"Precedence": "bulk"}, "amal@example.org", "precedence"),
        ({"Precedence": "list"}, "amal@example.org", "precedence"),
        ({}, "MAILER-DAEMON@mx.example.org", "mailer-daemon"),
        ({"X-Tawasul-Case": "MOI-2026-AAAAA"}, "amal@example.org", "own"),
        ({}, "no-reply@localhost", "mailer-daemon"),
    ],
)
def test_automatic_mail_is_recorded_and_never_answered(answered, headers, sender, why):
    mail.outbox.clear()
    raw = raw_mail(subject=f"Re: {answered.reference}", sender=sender, headers=headers)
    assert services.mail_ingest(raw=raw) == f"ignored:{why}"
    assert not mail.outbox
    assert not answered.messages.filter(via=Message.Via.EMAIL).exists()
    assert Case.objects.count() == 1


def test_an_auto_responder_loop_stops_at_once(case_factory):
    """Our acknowledgement reaches an auto-responder, which answers; we do not answer back."""
    case = case_factory(email="robot@example.org")
    mail.outbox.clear()
    for n in range(5):
        raw = raw_mail(
            sender="robot@example.org",
            subject=f"Out of office: [{case.reference}]",
            message_id=f"<auto{n}@example.org>",
            headers={"Auto-Submitted": "auto-replied"},
        )
        services.mail_ingest(raw=raw)
    assert not mail.outbox and Case.objects.count() == 1


def test_a_reply_from_another_address_opens_a_new_case_instead(answered):
    raw = raw_mail(sender="stranger@example.org", subject=f"Re: {answered.reference}")
    assert services.mail_ingest(raw=raw) == "new_case"
    assert not answered.messages.filter(via=Message.Via.EMAIL).exists()
    new = Case.objects.exclude(pk=answered.pk).get()
    assert new.email == "stranger@example.org" and answered.reference in new.subject


def test_a_reply_to_a_closed_case_reopens_it(answered, desk_agent):
    services.case_reply(case_id=answered.pk, actor=desk_agent.user, body="الجواب النهائي")
    services.case_close(case_id=answered.pk, actor=desk_agent.user)
    assert services.mail_ingest(raw=raw_mail(subject=f"Re: {answered.reference}")) == "reopened"
    answered.refresh_from_db()
    assert answered.state == Case.State.REOPENED


def test_a_reply_long_after_closing_opens_a_new_case(answered, desk_agent, settings):
    settings.INQUIRIES_REOPEN_DAYS = 30
    services.case_reply(case_id=answered.pk, actor=desk_agent.user, body="الجواب النهائي")
    services.case_close(case_id=answered.pk, actor=desk_agent.user)
    Case.objects.filter(pk=answered.pk).update(closed_at=timezone.now() - timedelta(days=40))
    assert services.mail_ingest(raw=raw_mail(subject=f"Re: {answered.reference}")) == "new_case"
    answered.refresh_from_db()
    assert answered.state == Case.State.CLOSED
    assert Case.objects.count() == 2


def test_mail_about_no_case_opens_one_and_acknowledges_it(demo_site):
    mail.outbox.clear()
    assert services.mail_ingest(raw=raw_mail(subject="سؤال عن الجواز")) == "new_case"
    case = Case.objects.get()
    assert case.department is None and case.language == "ar"  # the triage queue
    assert mails_to("amal@example.org")[0].subject.startswith(f"[{case.reference}]")


@pytest.mark.parametrize("raw", [b"", b"not a mail at all", b"From: nobody\n\nhello"])
def test_malformed_mail_is_refused_quietly(raw, demo_site):
    assert services.mail_ingest(raw=raw) == "malformed"
    assert not Case.objects.exists()


def test_a_mail_without_message_id_is_still_taken_in_once(answered):
    raw = raw_mail(subject=f"Re: {answered.reference}", message_id=None)
    assert services.mail_ingest(raw=raw) == "added"
    assert services.mail_ingest(raw=raw) == "duplicate"


def test_attachments_by_mail_are_checked_and_refusals_noted(answered):
    raw = raw_mail(
        subject=f"Re: {answered.reference}",
        files=[("doc.pdf", PDF), ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100)],
    )
    services.mail_ingest(raw=raw)
    message = answered.messages.get(via=Message.Via.EMAIL)
    assert [a.name for a in message.attachments.all()] == ["doc.pdf"]
    assert "virus.pdf" in message.body


def test_the_command_reads_a_maildir_once(answered, tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(raw_mail(subject=f"Re: {answered.reference}", message_id="<a@x.org>"))
    box.add(raw_mail(subject="Re: hi", message_id="<b@x.org>", headers={"Precedence": "bulk"}))
    out = io.StringIO()
    call_command("inquiries_ingest", maildir=str(tmp_path / "Maildir"), stdout=out)
    assert "added: 1" in out.getvalue() and "ignored:precedence: 1" in out.getvalue()
    out = io.StringIO()
    call_command("inquiries_ingest", maildir=str(tmp_path / "Maildir"), stdout=out)
    assert out.getvalue() == ""  # nothing new
    assert answered.messages.filter(via=Message.Via.EMAIL).count() == 1


def test_the_command_reads_stdin(answered, monkeypatch):
    raw = raw_mail(subject=f"Re: {answered.reference}")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("inquiries_ingest", stdout=out)
    assert "added: 1" in out.getvalue()


def test_the_webhook_takes_mail_with_the_secret_only(client, answered, settings):
    raw = raw_mail(subject=f"Re: {answered.reference}")
    assert client.post("/inquiries/inbound", raw, content_type="message/rfc822").status_code == 403
    settings.INQUIRIES_WEBHOOK_SECRET = "s3cret-value"
    forged = client.post(
        "/inquiries/inbound", raw, content_type="message/rfc822", HTTP_X_TAWASUL_SECRET="nope"
    )
    assert forged.status_code == 403
    response = client.post(
        "/inquiries/inbound",
        raw,
        content_type="message/rfc822",
        HTTP_X_TAWASUL_SECRET="s3cret-value",
    )
    assert response.status_code == 200 and response.content == b"added"
    assert answered.messages.filter(via=Message.Via.EMAIL).count() == 1
