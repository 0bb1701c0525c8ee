"""Mail leaves Tawasul for real: as .eml files in the embedded tier, by SMTP in production."""

from __future__ import annotations

import email
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.mail import EmailMessage, get_connection

from conftest import free_port
from tawasul import env


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    """A real SMTP server on the loopback interface."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_embedded_outbox_writes_one_eml_file_per_message(tmp_path):
    config = env.email("", outbox=tmp_path / "mail")
    connection = get_connection(config["EMAIL_BACKEND"], file_path=config["EMAIL_FILE_PATH"])
    sent = connection.send_messages(
        [
            EmailMessage("تأكيد", "مرحبا", "from@moi.example", ["a@example.org"]),
            EmailMessage("Second", "Hello", "from@moi.example", ["b@example.org"]),
        ]
    )
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert sent == 2
    assert len(files) == 2
    assert not list((tmp_path / "mail").glob(".*.part"))
    parsed = email.message_from_bytes(files[0].read_bytes())
    assert str(email.header.make_header(email.header.decode_header(parsed["Subject"]))) in {
        "تأكيد",
        "Second",
    }


def test_email_url_delivers_through_a_real_smtp_server(smtp_server):
    controller, inbox = smtp_server
    port = controller.port
    config = env.email(f"smtp://127.0.0.1:{port}?timeout=5", outbox=Path("/unused"))
    connection = get_connection(
        config["EMAIL_BACKEND"],
        host=config["EMAIL_HOST"],
        port=config["EMAIL_PORT"],
        username=config["EMAIL_HOST_USER"] or None,
        password=config["EMAIL_HOST_PASSWORD"] or None,
        use_tls=config["EMAIL_USE_TLS"],
        use_ssl=config["EMAIL_USE_SSL"],
        timeout=config["EMAIL_TIMEOUT"],
    )
    EmailMessage(
        "التوعية الأمنية",
        "نص الرسالة",
        "no-reply@moi.example",
        ["citizen@example.org"],
        connection=connection,
    ).send()
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["X-RcptTo"] == "citizen@example.org"
    body = received.get_payload(decode=True).decode(received.get_content_charset())
    assert "نص الرسالة" in body


def test_verification_mail_reaches_a_real_smtp_server(smtp_server, demo_site, client, settings):
    controller, inbox = smtp_server
    port = controller.port
    for key, value in env.email(f"smtp://127.0.0.1:{port}", outbox=Path("/unused")).items():
        setattr(settings, key, value)
    from conftest import PASSWORD
    from tawasul.accounts import services

    services.user_register(
        email="mail@example.org", password=PASSWORD, base_url="https://moi.example"
    )
    from tawasul.accounts.models import User

    services.user_send_verification(
        user_id=User.objects.get(email="mail@example.org").pk, base_url="https://moi.example"
    )
    assert len(inbox.messages) == 1
    body = inbox.messages[0].get_payload(decode=True).decode("utf-8")
    assert "https://moi.example/ar/accounts/verify/" in body
