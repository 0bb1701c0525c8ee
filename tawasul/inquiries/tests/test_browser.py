"""A case walked end to end in Chromium: the citizen sends it, staff transfer and answer
it in the admin, the citizen replies by email (a real SMTP message, delivered to a
Maildir and fed to `tawasul inquiries-ingest`), staff close it, the citizen rates it.
Each public page is checked with axe-core and asks no other host."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command

from conftest import PASSWORD, free_port
from tawasul.core.tests.test_browser import axe_violations
from tawasul.inquiries.models import Case, DeskMember, Message
from tawasul.inquiries.tests.conftest import link_in, topic_named

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def quick_proof(settings):
    settings.TAWASUL_POW_MAX_NUMBER = 5_000  # the browser's proof of work stays short


@pytest.fixture
def maildir_smtp(tmp_path):
    """A real SMTP server on the loopback interface that delivers into a Maildir."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    folder = tmp_path / "Maildir"
    controller = Controller(Mailbox(str(folder)), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, folder
    finally:
        controller.stop()


def self_contained(page, live_server) -> None:
    assert page.watch.foreign_requests(urlsplit(live_server.url).hostname) == []
    assert [e for e in page.watch.console_errors if "Content Security Policy" in e] == []


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/admin/")


def act(page, name: str) -> None:
    page.locator(
        f"button[name=action][value={name}], form:has(input[value={name}]) button"
    ).first.click()
    page.wait_for_load_state()


def test_a_case_from_the_form_to_the_rating(
    demo_site, live_server, browser, browser_page, quick_proof, maildir_smtp, user_factory
):
    passports = topic_named("Passports and residency")
    traffic = topic_named("Traffic and vehicles").department
    staff = user_factory(email="desk@example.org", roles=["agent"])
    DeskMember.objects.create(user=staff, department=passports.department)
    DeskMember.objects.create(user=staff, department=traffic)

    # 1. The citizen sends a complaint (the human check is solved in the background).
    page = browser_page
    page.goto(f"{live_server.url}/ar/inquiries/")
    assert axe_violations(page) == []
    page.locator("#id_kind").select_option("complaint")
    page.locator("#id_topic").select_option(str(passports.pk))
    page.locator("#id_subject").fill("تأخر تجديد الجواز")
    page.locator("#id_message").fill("قدمت طلب التجديد قبل شهر ولم يصلني رد.")
    page.locator("#id_name").fill("أمل")
    page.locator("#id_email").fill("amal@example.org")
    page.locator("#id_consent").check()
    page.locator(".human-check__question").wait_for(state="hidden")
    page.locator("form.inquiry-form button[type=submit]").click()
    page.locator("[data-reference]").wait_for()
    reference = page.locator("[data-reference]").inner_text().strip()
    assert axe_violations(page) == []
    self_contained(page, live_server)
    case = Case.objects.get(reference=reference)
    assert case.kind == "complaint" and case.department == passports.department
    acknowledgement = [m for m in mail.outbox if reference in m.subject]
    assert acknowledgement and acknowledgement[0].to == ["amal@example.org"]

    # 2. Staff transfer it to the traffic department, then answer it.
    staff_context = browser.new_context(locale="ar")
    desk = staff_context.new_page()
    try:
        sign_in(desk, live_server, "desk@example.org")
        desk.goto(f"{live_server.url}/admin/inquiries_admin/case/{case.pk}/")
        desk.locator("#department").select_option(str(traffic.pk))
        desk.locator("#transfer-note").fill("يخص المرور")
        act(desk, "transfer")
        case.refresh_from_db()
        assert case.department == traffic
        desk.goto(f"{live_server.url}/admin/inquiries_admin/case/{case.pk}/")
        desk.locator("#reply-text").fill("ملاحظة داخلية: راجع النظام")
        act(desk, "note")
        desk.locator("#reply-text").fill("تمت معالجة طلبك ويمكنك استلام الجواز.")
        act(desk, "reply")
        case.refresh_from_db()
        assert case.state == Case.State.ANSWERED
        assert case.events.filter(action="transfer").exists()
    finally:
        staff_context.close()
    (reply,) = [m for m in mail.outbox if "تمت معالجة طلبك" in m.body]
    assert "ملاحظة داخلية" not in "".join(m.body for m in mail.outbox)

    # 3. The citizen replies by email: real SMTP into a Maildir, then the ingest command.
    controller, folder = maildir_smtp
    answer = EmailMessage()
    answer["From"] = "Amal <amal@example.org>"
    answer["To"] = "inquiries@tawasul.example"
    answer["Subject"] = f"Re: {reply.subject}"
    answer["Message-ID"] = "<citizen-reply-1@example.org>"
    answer["In-Reply-To"] = reply.extra_headers["Message-ID"]
    answer.set_content("شكرًا، استلمت الجواز.")
    with smtplib.SMTP("127.0.0.1", controller.port) as smtp:
        smtp.send_message(answer)
    call_command("inquiries_ingest", maildir=str(folder), verbosity=0)
    case.refresh_from_db()
    assert case.state == Case.State.REOPENED
    assert case.messages.filter(via=Message.Via.EMAIL, body="شكرًا، استلمت الجواز.").exists()

    # 4. Staff answer and close; the citizen rates by the emailed link.
    from tawasul.inquiries import services

    services.case_reply(case_id=case.pk, actor=staff, body="سعدنا بخدمتك.")
    services.case_close(case_id=case.pk, actor=staff)
    invitation = [m for m in mail.outbox if "rate" in m.body and reference in m.subject][-1]
    page.goto(live_server.url + link_in(invitation, "rate"))
    assert axe_violations(page) == []
    page.locator("label[for=id_score_4]").click()
    page.locator("#id_comment").fill("خدمة ممتازة")
    page.locator("form.rate-form button[type=submit]").click()
    page.locator("[data-rated]").wait_for()
    case.refresh_from_db()
    assert case.rating == 5 and case.rating_comment == "خدمة ممتازة"

    # The citizen's page shows the public history, never the note.
    page.goto(f"{live_server.url}/ar/inquiries/case/{services.tracking_token_make(case)}/")
    text = page.content()
    assert "سعدنا بخدمتك." in text and "ملاحظة داخلية" not in text
    assert axe_violations(page) == []
    self_contained(page, live_server)


@pytest.mark.parametrize("path", ["/en/inquiries/", "/ar/inquiries/track/", "/en/inquiries/faq/"])
def test_public_inquiry_pages_are_axe_clean(demo_site, live_server, browser_page, path):
    page = browser_page
    page.goto(live_server.url + path)
    assert axe_violations(page) == []
    self_contained(page, live_server)
