"""Report content and PDFs: Arabic shaped and in logical order, English likewise, charts
and tables, the period's figures, and nothing fetched from elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from tawasul.discussions import demo as discussions_demo
from tawasul.insights import pdf, reports
from tawasul.insights.tests.conftest import days_ago, pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_renderer")]


def build_pdf(kind: str, language: str, **request) -> tuple[dict, bytes]:
    with translation.override(language):
        content = reports.build(
            kind, language=language, rtl=translation.get_language_bidi(), **request
        )
        return content, pdf.render_pdf(content, language)


def test_the_arabic_issue_report_reads_in_logical_order(closed_issue):
    issue = closed_issue["ar"]
    _content, data = build_pdf("issue", "ar", object_id=issue.pk)
    assert data.startswith(b"%PDF")
    text = squash(pdf_text(data))
    assert issue.title in text  # "ساعات عمل مراكز الخدمة في رمضان", letters in reading order
    assert "ستفتح الوزارة مراكز الخدمة الرئيسة مساءً" in text
    assert "ما سنفعله" in text  # the heading, translated
    assert "الدوام المسائي بعد الإفطار أنسب للموظفين" in text  # a statement in a table


def test_the_english_version_of_the_same_issue_report(closed_issue):
    _content, data = build_pdf("issue", "en", object_id=closed_issue["ar"].pk)
    text = squash(pdf_text(data))
    assert "Opening hours of service centres in Ramadan" in text
    assert "The main service centres will open in the evening" in text
    assert "What we will do" in text


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ar", "أي الخدمات الإلكترونية تريد أن تطوّرها الوزارة أولاً؟"),
        ("en", "Which e-services should the ministry improve first?"),
    ],
)
def test_a_poll_report_has_its_question_answers_and_table(analyst, demo_site, language, title):
    from tawasul.polls.models import Poll

    poll = Poll.objects.get(question=title)
    content, data = build_pdf("poll", language, object_id=poll.pk, user=analyst.user)
    text = squash(pdf_text(data))
    assert title in text
    answers = content["tables"][1]
    assert answers.headers[1] in text
    assert all(str(row[0]) in text for row in answers.rows)
    assert sum(row[1] for row in answers.rows) > 0


def test_a_poll_report_in_the_other_language_uses_its_translation(analyst, demo_site):
    from tawasul.polls.models import Poll

    arabic = Poll.objects.get(question="أي الخدمات الإلكترونية تريد أن تطوّرها الوزارة أولاً؟")
    content, _data = build_pdf("poll", "en", object_id=arabic.pk, user=analyst.user)
    assert content["title"] == "Which e-services should the ministry improve first?"


def test_period_figures_count_what_happened_in_the_period_only(demo_site, user_factory):
    from tawasul.discussions.models import Vote
    from tawasul.insights import services

    services.rollup_days(start=days_ago(3), end=days_ago(0))
    figures = {
        key: count
        for key, _label, count in reports.period_figures(
            days_ago(2), days_ago(0), user=user_factory(roles=["analyst"])
        )
    }
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    recent = Vote.objects.filter(created_at__gte=since - dt.timedelta(days=2)).count()
    assert figures["discussion_votes"] == recent
    assert set(figures) == {
        "comments",
        "statements",
        "discussion_votes",
        "poll_votes",
        "inquiries",
        "subscribers",
    }
    far = reports.period_figures(dt.date(2001, 1, 1), dt.date(2001, 12, 31))
    assert [count for _key, _label, count in far] == [0] * 5  # no inquiries without a user


def test_period_figures_in_one_language_leave_out_the_other(demo_site, poll_factory):
    from tawasul.insights import services
    from tawasul.polls.models import Vote

    def poll_votes(language):
        services.rollup_day(day=days_ago(0))
        rows = reports.period_figures(days_ago(0), days_ago(0), language)
        return {key: count for key, _label, count in rows}["poll_votes"]

    before = {language: poll_votes(language) for language in ("ar", "en", None)}
    poll = poll_factory()
    Vote.objects.create(poll_key=poll.translation_key, language="en", voter="b:one", browser="one")
    assert poll_votes("en") == before["en"] + 1
    assert poll_votes("ar") == before["ar"]
    assert poll_votes(None) == before[None] + 1


def test_the_arabic_period_report_lists_participation_and_the_issue_discussed(closed_issue):
    start, end = days_ago(100), days_ago(0)
    content, data = build_pdf("period", "ar", start=start, end=end)
    text = squash(pdf_text(data))
    assert "تقرير الفترة" in text
    assert closed_issue["ar"].title in text
    tables = {table.title: table for table in content["tables"]}
    assert "المشاركة حسب الأسبوع" in tables  # participation by week, from the rollups
    assert "المشاركة حسب الأسبوع" in text


def test_the_period_report_gives_the_dashboards_weekly_figures_and_words(make, user_factory):
    from tawasul.insights import services

    day = days_ago(3)
    for text in ("الحديقة العامة مغلقة", "الحديقه العامة بعيدة", "حديقة الحي جميلة"):
        make.comment(day, text)
    services.rollup_days(start=day, end=day)
    with translation.override("en"):
        content = reports.build(
            "period",
            language="en",
            rtl=False,
            start=days_ago(13),
            end=days_ago(0),
            user=user_factory(roles=["analyst"]),
        )
    tables = {table.title: table for table in content["tables"]}
    weekly = tables["Participation by week"]
    comments = weekly.headers.index("Comments")
    assert sum(row[comments] for row in weekly.rows) == 3
    words = tables["Most used words and phrases: Comments"]
    assert ["الحديقه", 2] in words.rows  # two spellings, one word
    assert not [title for title in tables if "Inquiries" in title]  # none were written


@translation.override("en")
def test_an_empty_period_or_a_reversed_one_is_refused_with_a_reason(demo_site):
    with pytest.raises(reports.ReportError, match="nothing to report"):
        reports.build(
            "period", start=dt.date(2001, 1, 1), end=dt.date(2001, 1, 31), language="en", rtl=False
        )
    with pytest.raises(reports.ReportError, match="after its end"):
        reports.build("period", start=days_ago(0), end=days_ago(5), language="en", rtl=False)
    with pytest.raises(reports.ReportError):
        reports.build("issue", object_id=999_999, language="en", rtl=False)
    with pytest.raises(reports.ReportError):
        reports.build("poll", object_id=999_999, language="en", rtl=False)


def test_the_pdf_fetches_nothing_from_another_host(closed_issue):
    content = {
        "kind": "poll",
        "title": "x",
        "subtitle": "y",
        "description": "",
        "tables": [],
        "chart": None,
    }
    fetcher = pdf.LocalOnlyFetcher()
    html = pdf.report_html(content, "en").replace(
        "</body>", '<img src="https://example.com/tracker.png"></body>'
    )
    from weasyprint import HTML

    HTML(string=html, base_url=pdf.STATIC.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    assert fetcher.refused == ["https://example.com/tracker.png"]


def test_the_demo_closed_issue_has_an_outcome(closed_issue):
    assert closed_issue["ar"].what_we_will_do and closed_issue["en"].what_we_heard
    assert closed_issue["ar"].translation_key == discussions_demo.CLOSED_KEY


def test_an_open_polls_sealed_results_are_not_reported(analyst, poll_factory):
    from tawasul.polls.models import Poll, ResultsAccess

    sealed = poll_factory(results_visibility=Poll.Visibility.AFTER_CLOSING)
    with pytest.raises(reports.ReportError):
        reports.build("poll", object_id=sealed.pk, language="ar", rtl=True, user=analyst.user)
    live = poll_factory(
        results_visibility=Poll.Visibility.AFTER_CLOSING, staff_see_live_results=True
    )
    reports.build("poll", object_id=live.pk, language="ar", rtl=True, user=analyst.user)
    logged = ResultsAccess.objects.get(poll_key=live.translation_key)
    assert logged.user == analyst.user and logged.action == "report"
    with pytest.raises(reports.ReportError):  # nobody in particular: no live results
        reports.build("poll", object_id=live.pk, language="ar", rtl=True)
