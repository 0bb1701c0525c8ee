from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest


def pdf_text(data: bytes) -> str:
    """The PDF's text in logical order, with Arabic presentation forms folded (NFKC)."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def closed_issue(demo_site):
    from tawasul.discussions import demo
    from tawasul.discussions.models import DiscussionIssue

    return {
        issue.locale.language_code: issue
        for issue in DiscussionIssue.objects.filter(translation_key=demo.CLOSED_KEY)
    }


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Tasks queued after a commit run (immediately, in tests) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def days_ago(n: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=n)
