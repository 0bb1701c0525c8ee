"""The demo topics: in both languages, routed to the e-services demo's departments, and
loading twice changes nothing."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from tawasul.inquiries import demo
from tawasul.inquiries.models import Topic

pytestmark = pytest.mark.django_db


def test_demo_topics_exist_in_both_languages_and_load_once(demo_site):
    before = Topic.objects.count()
    assert before == 2 * len(demo.TOPICS)
    locales = {code: Locale.objects.get(language_code=code) for code in ("ar", "en")}
    demo.load(None, locales, None)
    assert Topic.objects.count() == before
    routed = Topic.objects.filter(locale__language_code="ar", department__isnull=False)
    assert routed.count() == 3
