"""The sending engine against real SMTP servers on loopback: every subscriber exactly
once, retries on 4xx, failures on 5xx, nothing resent after a crash."""

from __future__ import annotations

import pytest

from tawasul.newsletter import sender, services
from tawasul.newsletter.models import Campaign, Delivery, Subscriber
from tawasul.newsletter.tests.conftest import started

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def states(campaign) -> dict:
    return {
        state: campaign.deliveries.filter(state=state).count()
        for state in Delivery.State.values
        if campaign.deliveries.filter(state=state).exists()
    }


def test_every_subscriber_gets_exactly_one_message_in_their_language(smtp_factory):
    sink = smtp_factory()
    campaign = started(6)
    report = sender.campaign_send(campaign_id=campaign.pk, concurrency=3)
    assert report.sent == 6
    assert set(sink.counts.values()) == {1}
    assert len(sink.counts) == 6
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.FINISHED
    english = sink.parsed("person1@example.org")[0]
    arabic = sink.parsed("person0@example.org")[0]
    assert english["Subject"] == "Beware of phishing"
    assert arabic["Subject"] == "احذر رسائل التصيد"
    html = arabic.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html
    assert "<img" not in html
    assert "تحقق من عنوان المرسل" in arabic.get_body(("plain",)).get_content()


def test_bulk_headers_and_a_stable_message_id(smtp_factory):
    sink = smtp_factory()
    campaign = started(1)
    sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    message = sink.parsed()[0]
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http")
    assert "/newsletter/unsubscribe/" in unsubscribe
    assert "<mailto:" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Precedence"] == "bulk"
    assert message["List-Id"].startswith("<newsletter.")
    person = Subscriber.objects.get()
    from tawasul.newsletter.message import message_id

    assert message["Message-ID"] == message_id(campaign.pk, person.pk)
    # The envelope sender names the delivery (VERP) for bounce matching.
    envelope_from = sink.messages[0][0]
    delivery = campaign.deliveries.get()
    from tawasul.newsletter import tokens

    local = envelope_from.split("@")[0].split("+", 1)[1]
    assert tokens.read_bounce_local_part(local) == delivery.pk


def test_a_relay_answering_4xx_above_its_rate_is_retried_until_every_message_is_in(
    smtp_factory,
):
    sink = smtp_factory(burst=2)
    campaign = started(7)
    report = sender.campaign_send(campaign_id=campaign.pk, concurrency=2)
    assert sink.refused > 0
    assert report.retried >= sink.refused
    assert sorted(sink.counts.values()) == [1] * 7
    assert states(campaign) == {"sent": 7}


def test_5xx_marks_the_row_failed_and_the_others_are_sent(smtp_factory):
    sink = smtp_factory(reject={"person2@example.org"})
    campaign = started(4)
    report = sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert report.failed == 1
    assert states(campaign) == {"sent": 3, "failed": 1}
    assert "550" in campaign.deliveries.get(state="failed").error
    assert "person2@example.org" not in sink.counts


def test_connection_dropped_before_the_message_is_retried_and_sent_once(smtp_factory):
    sink = smtp_factory(drop_at={"person1@example.org": "rcpt"})
    campaign = started(3)
    sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert sink.counts["person1@example.org"] == 1
    assert states(campaign) == {"sent": 3}


def test_connection_dropped_after_the_message_was_transferred_is_ambiguous_not_resent(
    smtp_factory,
):
    sink = smtp_factory(drop_at={"person1@example.org": "data"})
    campaign = started(3)
    report = sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert report.ambiguous == 1
    assert sink.counts["person1@example.org"] == 1
    assert states(campaign) == {"sent": 2, "ambiguous": 1}
    # Another pass (a restart) does not resend it.
    sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert sink.counts["person1@example.org"] == 1


def test_a_relay_that_is_down_at_start_loses_nothing(smtp_factory, settings):
    from conftest import free_port
    from tawasul.newsletter.tests.conftest import use_relay

    campaign = started(3)
    use_relay(settings, free_port())  # nothing listens there
    report = sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert report.stopped == "relay unreachable"
    assert report.sent == 0
    assert states(campaign) == {"pending": 3}
    assert all(d.attempts == 0 for d in campaign.deliveries.all())
    sink = smtp_factory()
    Delivery.objects.update(next_attempt_at=None)
    sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert sorted(sink.counts.values()) == [1, 1, 1]


def test_after_a_crash_claimed_rows_are_sent_and_in_flight_rows_are_reported_not_resent(
    smtp_factory,
):
    sink = smtp_factory()
    campaign = started(5)
    rows = list(campaign.deliveries.order_by("pk"))
    dead = f"{sender.HOST}:999999999:gone"
    Delivery.objects.filter(pk=rows[0].pk).update(state="sent", worker=dead)
    Delivery.objects.filter(pk=rows[1].pk).update(state="sending", worker=dead)
    Delivery.objects.filter(pk=rows[2].pk).update(state="claimed", worker=dead)
    report = sender.campaign_send(campaign_id=campaign.pk, concurrency=2)
    assert report.ambiguous == 1
    sent_to = set(sink.counts)
    assert rows[0].subscriber.email not in sent_to
    assert rows[1].subscriber.email not in sent_to
    assert rows[2].subscriber.email in sent_to
    assert sorted(sink.counts.values()) == [1, 1, 1]
    assert states(campaign) == {"sent": 4, "ambiguous": 1}
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.FINISHED
    assert sender.deliveries_resend_ambiguous(campaign_id=campaign.pk) == 1


def test_two_workers_at_once_never_send_the_same_row(smtp_factory):
    import threading

    sink = smtp_factory()
    campaign = started(40)
    reports = []

    def worker():
        from django.db import connection

        try:
            reports.append(sender.campaign_send(campaign_id=campaign.pk, concurrency=2))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == 40
    assert sorted(sink.counts.values()) == [1] * 40


def test_unsubscribing_mid_campaign_skips_the_pending_row(smtp_factory):
    sink = smtp_factory()
    campaign = started(3)
    quitter = Subscriber.objects.get(email="person1@example.org")
    services.subscriber_unsubscribe(subscriber=quitter)
    sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert "person1@example.org" not in sink.counts
    assert states(campaign) == {"sent": 2, "skipped": 1}


def test_a_paused_campaign_sends_nothing_until_resumed(smtp_factory):
    sink = smtp_factory()
    campaign = started(3)
    services.campaign_pause(campaign_id=campaign.pk)
    report = sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert report.sent == 0 and not sink.messages
    services.campaign_resume(campaign_id=campaign.pk, enqueue=False)
    sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    assert len(sink.messages) == 3


def test_dkim_signature_covers_both_unsubscribe_headers_and_verifies(
    smtp_factory, settings, tmp_path
):
    import shutil
    import subprocess

    import dkim

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test key")
    key_file = tmp_path / "dkim.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, "genrsa", "-out", str(key_file), "2048"], check=True, capture_output=True
    )
    public = subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, "rsa", "-in", str(key_file), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    settings.NEWSLETTER_DKIM_KEY_FILE = str(tmp_path / "dkim.pem")
    settings.NEWSLETTER_DKIM_SELECTOR = "news"
    settings.NEWSLETTER_DKIM_DOMAIN = "moi.example"
    sink = smtp_factory()
    campaign = started(1)
    sender.campaign_send(campaign_id=campaign.pk, concurrency=1)
    raw = sink.messages[0][2]
    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name, timeout=5):
        assert name == b"news._domainkey.moi.example."
        return record

    assert dkim.verify(raw, dnsfunc=dns)
    signature = raw.split(b"\r\n\r\n")[0].decode()
    signed = signature.split("h=")[1].split(";")[0].replace("\r\n", "").replace(" ", "")
    assert "list-unsubscribe" in signed.split(":")
    assert "list-unsubscribe-post" in signed.split(":")
