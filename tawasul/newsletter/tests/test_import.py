"""tawasul newsletter-import: checked whole, de-duplicated, suppression respected."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase

from tawasul.newsletter import services
from tawasul.newsletter.models import Subscriber, Suppression

pytestmark = pytest.mark.django_db


def run(tmp_path, content: str | bytes, *options, err=None):
    path = tmp_path / "subscribers.csv"
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    out, err = io.StringIO(), err or io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("newsletter_import", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


GOOD = """email,name,language,topics
huda@example.org,هدى,ar,phishing
Sam@Example.org,Sam,en,
SAM@example.ORG,Sam again,en,
"""


def test_import_with_consent_collected_elsewhere_subscribes_and_dedupes_by_case(tmp_path, topic):
    out, err = run(tmp_path, GOOD, "--consent-collected-elsewhere", "awareness week 2025 forms")
    assert Subscriber.objects.count() == 2
    huda = Subscriber.objects.get(email_key="huda@example.org")
    assert huda.state == "active"
    assert huda.name == "هدى"
    assert huda.consent_note == "awareness week 2025 forms"
    assert list(huda.topics.values_list("slug", flat=True)) == ["phishing"]
    assert "line 4: same address as line 3" in err
    assert "2 new subscriber(s)" in out
    assert not mail.outbox


def test_import_without_the_flag_invites_by_double_opt_in(tmp_path, topic):
    out, _err = run(tmp_path, GOOD)
    assert set(Subscriber.objects.values_list("state", flat=True)) == {"pending"}
    assert len(mail.outbox) == 2
    assert "sent a confirmation link" in out


def test_a_reimport_never_brings_back_an_unsubscribed_or_bounced_address(tmp_path, topic):
    run(tmp_path, GOOD, "--consent-collected-elsewhere", "forms")
    huda = Subscriber.objects.get(email_key="huda@example.org")
    services.subscriber_unsubscribe(subscriber=huda)
    services.bounce_record(address="sam@example.org", kind="hard")
    services.subscriber_erase(subscriber=Subscriber.objects.get(email_key="sam@example.org"))
    out, _err = run(tmp_path, GOOD, "--consent-collected-elsewhere", "forms")
    assert "2 suppressed" in out
    assert not Subscriber.objects.filter(state="active").exists()
    assert Suppression.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,language\nx,ar\n", "'email'"),
        ('email,name\n"unterminated,x\n', "malformed"),
        ("email,name\nnot-an-address,x\n", "not a valid email address"),
        ("email,language\na@example.org,fr\n", "language must be ar or en"),
        ("email,topics\na@example.org,nope\n", "unknown topic"),
        ("email,colour\na@example.org,red\n", "unknown column"),
        ("email\na\u200b@example.org\n", "invisible characters"),
        (b"email\n\xff\xfe@example.org\n", "not UTF-8"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_imported(tmp_path, topic, content, message):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        run(tmp_path, content, "--consent-collected-elsewhere", "forms", err=err)
    assert message in err.getvalue()
    assert not Subscriber.objects.exists()


def test_skip_invalid_imports_the_good_lines(tmp_path):
    _out, err = run(
        tmp_path,
        "email\ngood@example.org\nbad\n",
        "--consent-collected-elsewhere",
        "forms",
        "--skip-invalid",
    )
    assert "line 3: not a valid email address" in err
    assert Subscriber.objects.get().email == "good@example.org"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, settings):
    settings.NEWSLETTER_IMPORT_MAX_BYTES = 100
    with pytest.raises(CommandError, match="nothing was imported"):
        run(tmp_path, "email\n" + "a@example.org\n" * 20, "--consent-collected-elsewhere", "x")
    assert not Subscriber.objects.exists()
