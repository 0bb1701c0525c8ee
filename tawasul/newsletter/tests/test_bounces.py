"""Bounces and complaints: VERP or report matching; hard and complaints suppress at once,
soft bounces after N."""

from __future__ import annotations

import io
import mailbox

import pytest
from django.core.management import call_command

from tawasul.newsletter import bounces, tokens
from tawasul.newsletter.models import Delivery, Subscriber, Suppression
from tawasul.newsletter.tests.conftest import campaign, subscriber

pytestmark = pytest.mark.django_db


def dsn(recipient: str, status: str, to: str = "bounces@moi.example") -> bytes:
    action = "failed" if status.startswith("5") else "delayed"
    return (
        f"From: MAILER-DAEMON@mx.example\r\nTo: {to}\r\nSubject: Undelivered Mail\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
        "\r\n--b--\r\n"
    ).encode()


def test_a_hard_bounce_matched_by_verp_suppresses_at_once():
    person = subscriber("huda@example.org")
    delivery = Delivery.objects.create(campaign=campaign(), subscriber=person, state="sent")
    verp = f"bounces+{tokens.bounce_local_part(delivery.pk)}@moi.example"
    outcome = bounces.ingest(dsn("someone-else@example.org", "5.1.1", to=verp))
    assert outcome.kind == "hard" and outcome.matched == "verp" and outcome.suppressed
    person.refresh_from_db()
    assert person.state == Subscriber.State.SUPPRESSED
    assert Suppression.objects.get().reason == "hard_bounce"


def test_soft_bounces_suppress_only_after_the_limit(settings):
    settings.NEWSLETTER_SOFT_BOUNCE_LIMIT = 3
    person = subscriber("huda@example.org")
    for n in range(2):
        assert not bounces.ingest(dsn("huda@example.org", "4.2.2")).suppressed, n
    assert bounces.ingest(dsn("huda@example.org", "4.2.2")).suppressed
    person.refresh_from_db()
    assert person.state == Subscriber.State.SUPPRESSED


def test_a_complaint_suppresses_at_once():
    person = subscriber("huda@example.org")
    delivery = Delivery.objects.create(campaign=campaign(), subscriber=person, state="sent")
    verp = f"bounces+{tokens.bounce_local_part(delivery.pk)}@moi.example"
    arf = (
        f"To: {verp}\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n\r\n--b--\r\n"
    ).encode()
    assert bounces.ingest(arf).kind == "complaint"
    assert Suppression.objects.get().reason == "complaint"


def test_a_forged_verp_token_matches_nothing():
    person = subscriber("huda@example.org")
    delivery = Delivery.objects.create(campaign=campaign(), subscriber=person, state="sent")
    outcome = bounces.ingest(
        dsn("x@example.org", "5.1.1", to=f"bounces+d{delivery.pk}.forged@moi.example")
    )
    assert outcome.matched == "report"
    person.refresh_from_db()
    assert person.state == Subscriber.State.ACTIVE


def test_the_mailto_unsubscribe_works_by_token():
    person = subscriber("huda@example.org")
    delivery = Delivery.objects.create(campaign=campaign(), subscriber=person, state="sent")
    token = tokens.bounce_local_part(delivery.pk)
    mail = f"To: unsubscribe@moi.example\r\nSubject: unsubscribe {token}\r\n\r\n"
    assert bounces.ingest(mail.encode()).kind == "unsubscribe"
    person.refresh_from_db()
    assert person.state == Subscriber.State.UNSUBSCRIBED


def test_the_command_reads_a_maildir_once(tmp_path):
    subscriber("huda@example.org")
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(dsn("huda@example.org", "5.1.1"))
    box.add(b"From: friend@example.org\r\nSubject: hello\r\n\r\nhi\r\n")
    out = io.StringIO()
    call_command("newsletter_bounces", "--maildir", str(tmp_path / "bounces"), stdout=out)
    assert "hard: 1" in out.getvalue() and "not a bounce: 1" in out.getvalue()
    out = io.StringIO()
    call_command("newsletter_bounces", "--maildir", str(tmp_path / "bounces"), stdout=out)
    assert out.getvalue().strip() == ""
    assert Subscriber.objects.get().state == Subscriber.State.SUPPRESSED


def test_the_webhook_takes_a_notification_with_the_token_only(client, settings):
    subscriber("huda@example.org")
    body = dsn("huda@example.org", "5.1.1")
    url = "/newsletter/bounces"
    assert client.post(url, body, content_type="message/rfc822").status_code == 404
    settings.NEWSLETTER_BOUNCE_WEBHOOK_TOKEN = "s3cret-token"
    wrong = client.post(url, body, content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    assert Subscriber.objects.get().state == Subscriber.State.ACTIVE
    right = client.post(
        url, body, content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer s3cret-token"
    )
    assert right.json() == {"kind": "hard", "matched": "report"}
    assert Subscriber.objects.get().state == Subscriber.State.SUPPRESSED
