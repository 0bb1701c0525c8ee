"""The public side: sending an inquiry, following it by reference and email, adding to it
and rating the answer; bad input gets a clear answer and changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tawasul.inquiries import services
from tawasul.inquiries.models import Case, Message
from tawasul.inquiries.tests.conftest import form_data, link_in, mails_to

pytestmark = pytest.mark.django_db
URL = "/ar/inquiries/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_anonymous_person_sends_an_inquiry_and_gets_the_reference_on_screen_and_by_email(
    anonymous, passports
):
    response = anonymous.post(URL, form_data(passports))
    assert response.status_code == 302
    case = Case.objects.get()
    assert re.fullmatch(r"MOI-\d{4}-[2-9A-HJKMNP-Z]{5}", case.reference)
    page = anonymous.get(response["Location"])
    assert case.reference in page.content.decode()
    (message,) = mails_to("amal@example.org")
    assert case.reference in message.subject
    assert case.reference in message.extra_headers["Message-ID"]
    assert case.department == passports.department
    assert case.state == Case.State.NEW
    assert case.messages.get().body == "كم يستغرق تجديد الجواز؟"


def test_signed_in_citizen_finds_name_and_email_filled_in_and_no_human_check(citizen):
    page = citizen.get(URL).content.decode()
    assert 'value="citizen@example.org"' in page
    assert "سارة" in page
    assert "human-check" not in page


def test_the_form_without_the_human_check_is_refused(anonymous, passports):
    data = form_data(passports)
    del data["altcha"]
    response = anonymous.post(URL, data)
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_honeypot_filled_in_is_refused(anonymous, passports):
    response = anonymous.post(URL, form_data(passports, website="http://spam.example"))
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("email", "text"),
    [("", "Please give your email"), ("amal@", "does not look complete")],
)
def test_missing_or_invalid_email_gets_a_clear_message(anonymous, passports, email, text):
    response = anonymous.post("/en/inquiries/", form_data(passports, email=email))
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Case.objects.exists()


def test_a_file_of_20_mb_is_refused(anonymous, passports):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024), "application/pdf")
    response = anonymous.post("/en/inquiries/", {**form_data(passports), "attachments": big})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not Case.objects.exists()


def test_a_program_renamed_pdf_is_refused(anonymous, passports):
    program = SimpleUploadedFile(
        "invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf"
    )
    response = anonymous.post("/en/inquiries/", {**form_data(passports), "attachments": program})
    assert response.status_code == 400
    assert "not a file type we accept" in response.content.decode()
    assert not Case.objects.exists()


def test_a_real_pdf_is_kept_with_the_message(anonymous, passports):
    upload = SimpleUploadedFile("passport.pdf", PDF, "application/octet-stream")
    response = anonymous.post(URL, {**form_data(passports), "attachments": upload})
    assert response.status_code == 302
    attachment = Message.objects.get().attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.name == "passport.pdf"


def test_too_many_files_are_refused(anonymous, passports, settings):
    settings.INQUIRIES_MAX_FILES = 1
    files = [SimpleUploadedFile(f"f{n}.pdf", PDF) for n in range(2)]
    response = anonymous.post("/en/inquiries/", {**form_data(passports), "attachments": files})
    assert response.status_code == 400
    assert "at most 1 files" in response.content.decode()


def test_a_flood_from_one_address_is_stopped(anonymous, passports, settings):
    settings.INQUIRIES_PER_IP_HOUR = 3
    statuses = [
        anonymous.post(URL, form_data(passports, email=f"p{n}@example.org")).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Case.objects.count() == 3


def test_the_same_form_sent_twice_makes_one_case(anonymous, passports):
    data = form_data(passports, form_key="k" * 32)
    anonymous.post(URL, data)
    anonymous.post(URL, {**data, **form_data(passports, form_key="k" * 32)})
    assert Case.objects.count() == 1


def test_tracking_mails_a_link_for_the_right_pair_and_answers_the_same_otherwise(
    anonymous, case_factory
):
    from conftest import human_check

    case = case_factory()
    mail.outbox.clear()
    answers = []
    for reference, email in [
        (case.reference, "amal@example.org"),
        (case.reference, "someone@example.org"),
        ("MOI-2026-ZZZZZ", "amal@example.org"),
    ]:
        response = anonymous.post(
            "/ar/inquiries/track/",
            {"reference": reference, "email": email, **human_check("inquiries:track")},
        )
        assert response.status_code == 200
        answers.append(response.content.decode().split("csrfmiddlewaretoken")[0])
    assert answers[0] == answers[1] == answers[2]
    (message,) = mail.outbox
    assert message.to == ["amal@example.org"]
    page = anonymous.get(link_in(message, "case"))
    assert page.status_code == 200
    assert "كم يستغرق تجديد الجواز؟" in page.content.decode()


def test_tracking_requests_are_rate_limited(anonymous, case_factory):
    from conftest import human_check

    case = case_factory()
    statuses = [
        anonymous.post(
            "/ar/inquiries/track/",
            {
                "reference": case.reference,
                "email": "x@example.org",
                **human_check("inquiries:track"),
            },
        ).status_code
        for _ in range(services.TRACK_PER_EMAIL + 1)
    ]
    assert statuses[-1] == 429


def test_a_forged_tracking_link_shows_nothing(anonymous, case_factory):
    case = case_factory()
    token = services.tracking_token_make(case)
    response = anonymous.get(f"/ar/inquiries/case/{token[:-2]}xx/")
    assert response.status_code == 404
    assert case.subject not in response.content.decode()


def test_internal_notes_are_never_on_the_citizen_page(anonymous, case_factory, desk_agent):
    case = case_factory()
    services.case_note(case_id=case.pk, actor=desk_agent.user, body="ملاحظة داخلية سرية")
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="الرد العلني")
    page = anonymous.get(f"/ar/inquiries/case/{services.tracking_token_make(case)}/")
    text = page.content.decode()
    assert "الرد العلني" in text
    assert "ملاحظة داخلية سرية" not in text


def test_citizen_adds_information_while_awaiting_and_the_case_moves_on(
    anonymous, case_factory, desk_agent
):
    case = case_factory()
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="أرسل رقم الطلب", ask=True)
    url = f"/ar/inquiries/case/{services.tracking_token_make(case)}/"
    response = anonymous.post(url, {"message": "رقم الطلب 12345"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.IN_PROGRESS
    assert case.messages.filter(body="رقم الطلب 12345").exists()


def test_a_closed_case_takes_no_more_information(anonymous, case_factory, desk_agent):
    case = case_factory()
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="الجواب")
    services.case_close(case_id=case.pk, actor=desk_agent.user)
    url = f"/ar/inquiries/case/{services.tracking_token_make(case)}/"
    response = anonymous.post(url, {"message": "شيء آخر"})
    assert response.status_code == 409
    assert "مغلق" in response.content.decode()
    assert not case.messages.filter(body="شيء آخر").exists()


def test_rating_once_by_the_emailed_link_after_closing(anonymous, case_factory, desk_agent):
    case = case_factory()
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="الجواب")
    mail.outbox.clear()
    services.case_close(case_id=case.pk, actor=desk_agent.user)
    (invitation,) = mails_to("amal@example.org")
    url = link_in(invitation, "rate")
    assert anonymous.get(url).status_code == 200  # a mail scanner's visit changes nothing
    assert Case.objects.get(pk=case.pk).rated_at is None
    assert anonymous.post(url, {"score": "4", "comment": "شكرًا"}).status_code == 200
    second = anonymous.post(url, {"score": "1"})
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "شكرًا")
    assert "recorded" in second.content.decode() or second.status_code == 200


def test_a_rating_outside_1_to_5_is_refused(anonymous, case_factory, desk_agent):
    case = case_factory()
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="الجواب")
    services.case_close(case_id=case.pk, actor=desk_agent.user)
    url = f"/ar/inquiries/rate/{services.rating_token_make(case)}/"
    assert anonymous.post(url, {"score": "9"}).status_code == 400
    assert Case.objects.get(pk=case.pk).rating is None


def test_faq_shows_only_approved_entries(anonymous, desk_agent, head):
    entry = services.faq_draft(
        actor=desk_agent.user, question="كيف أجدد الجواز؟", answer="عبر البوابة", language="ar"
    )
    assert "كيف أجدد الجواز؟" not in anonymous.get("/ar/inquiries/faq/").content.decode()
    services.faq_approve(entry_id=entry.pk, actor=head.user)
    assert "كيف أجدد الجواز؟" in anonymous.get("/ar/inquiries/faq/").content.decode()


def test_an_approved_faq_entry_is_found_by_search(anonymous, desk_agent, head):
    entry = services.faq_draft(
        actor=desk_agent.user,
        question="كيف أجدد رخصة القيادة؟",
        answer="تجدد الرخصة عبر بوابة المرور",
        language="ar",
    )
    assert "faq-" not in anonymous.get("/ar/search/?q=رخصة+القيادة").content.decode()
    services.faq_approve(entry_id=entry.pk, actor=head.user)
    page = anonymous.get("/ar/search/?q=رخصة+القيادة").content.decode()
    assert f"faq-{entry.pk}" in page


def test_a_citizens_inquiries_are_in_their_data_download(citizen, passports):
    from tawasul.accounts.services import user_export_data

    citizen.post(URL, form_data(passports, email="citizen@example.org"))
    data = user_export_data(user=citizen.user)
    (case,) = data["inquiries"]
    assert case["subject"] == "تجديد جواز السفر"
    assert case["messages"][0]["text"] == "كم يستغرق تجديد الجواز؟"


def test_the_form_can_start_with_an_e_service_chosen(anonymous, demo_site):
    from tawasul.eservices.models import ServicePage

    service = ServicePage.objects.live().filter(locale__language_code="ar").first()
    page = anonymous.get(f"{URL}?service={service.pk}").content.decode()
    assert f'<option value="{service.pk}" selected>' in page


def test_the_closing_email_offers_each_score_preselected(anonymous, case_factory, desk_agent):
    case = case_factory()
    services.case_reply(case_id=case.pk, actor=desk_agent.user, body="الجواب")
    mail.outbox.clear()
    services.case_close(case_id=case.pk, actor=desk_agent.user)
    (invitation,) = mails_to("amal@example.org")
    found = re.search(r"https?://[^/\s]+(/\w+/inquiries/rate/[^\s?]+/\?score=4)", invitation.body)
    assert found
    page = anonymous.get(found.group(1)).content.decode()
    assert re.search(r'value="4"[^>]*checked|checked[^>]*value="4"', page)
    assert Case.objects.get(pk=case.pk).rated_at is None


def test_the_home_page_asks_for_each_kind_and_the_form_starts_on_it(demo_site, anonymous):
    home = anonymous.get("/ar/").content.decode()
    assert 'href="/ar/inquiries/?kind=complaint"' in home
    assert 'href="/ar/inquiries/track/"' in home
    form = anonymous.get(URL, {"kind": "complaint"}).content.decode()
    assert re.search(r'value="complaint"[^>]*checked|<option value="complaint" selected', form)
    unknown = anonymous.get(URL, {"kind": "<script>"})
    assert unknown.status_code == 200
    assert "&lt;script&gt;" not in unknown.content.decode()


def test_a_service_page_links_to_the_form_with_the_service_chosen(demo_site, anonymous):
    from tawasul.eservices.models import ServicePage

    service = ServicePage.objects.live().filter(locale__language_code="ar").first()
    page = anonymous.get(service.url).content.decode()
    link = f"/ar/inquiries/?service={service.pk}"
    assert link in page
    form = anonymous.get(link).content.decode()
    assert re.search(rf'<option value="{service.pk}" selected', form)
