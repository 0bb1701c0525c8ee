"""Reads for the public results pages: closed polls whose results the public may see, and
closed or archived issues for discussion with what was heard and what the ministry will do.

Kept apart from ``selectors.py`` (the analysts' dashboard reads) because these are the
public's: only published, closed things, and nothing that is not already public elsewhere.
A fixed number of queries whatever the number of polls and issues.
"""

from __future__ import annotations

from django.utils import timezone, translation

from tawasul.discussions import charts as issue_charts
from tawasul.discussions.models import AnalysisResult, DiscussionIssue, Statement
from tawasul.polls import charts as poll_charts
from tawasul.polls import rules as poll_rules
from tawasul.polls import selectors as poll_selectors
from tawasul.polls.models import Poll

CLOSED_ISSUE_STATUSES = (DiscussionIssue.Status.CLOSED, DiscussionIssue.Status.ARCHIVED)


def closed_polls(language: str, *, rtl: bool, arabic_indic: bool = False) -> list[Poll]:
    """Closed, published polls of one language whose results the public rule shows to
    anyone (a closed poll's always are; the rule is asked, not assumed), newest first,
    each with ``tally`` and ``chart``."""
    polls = list(
        poll_selectors._with_choices(
            Poll.objects.filter(
                locale__language_code=language,
                status=Poll.Status.PUBLISHED,
                closes_at__lte=timezone.now(),
            )
        ).order_by("-closes_at", "-pk")
    )
    polls = [p for p in polls if poll_rules.can_see_results(None, p, has_voted=False)]
    tallies = poll_selectors.poll_tallies(polls)
    for poll in polls:
        poll.tally = tallies[poll.translation_key]
        poll.chart = poll_charts.bar_chart(poll.tally, rtl=rtl, arabic_indic=arabic_indic)
    return polls


def _closed_issues(language: str):
    return (
        _closed_issues_any()
        .filter(locale__language_code=language)
        .order_by("-closes_at", "-opens_at", "-pk")
    )


def _outcomes(issues: list[DiscussionIssue], *, rtl: bool) -> list[DiscussionIssue]:
    """Sets ``outcome`` on each issue: the participation figures, groups and consensus of
    its stored analysis (three queries for the whole list)."""
    keys = [issue.key for issue in issues]
    analyses = {
        result.issue_key: result
        for result in AnalysisResult.objects.filter(
            issue_key__in=keys, computed_at__isnull=False
        ).only("issue_key", "computed_at", "votes", "data")
    }
    statements: dict = {}
    for statement in Statement.objects.filter(Statement.votable_q(), issue_key__in=keys):
        statements.setdefault(statement.issue_key, {})[statement.pk] = statement
    for issue in issues:
        result = analyses.get(issue.key)
        issue.analysis = result
        issue.outcome = issue_charts.report_context(
            result.data if result else {}, statements=statements.get(issue.key, {}), rtl=rtl
        )
    return issues


def closed_issues(language: str, *, rtl: bool) -> list[DiscussionIssue]:
    return _outcomes(list(_closed_issues(language)), rtl=rtl)


def closed_issue(pk: int, *, rtl: bool) -> DiscussionIssue | None:
    issue = _closed_issues_any().filter(pk=pk).first()
    if issue is None:
        return None
    return _outcomes([issue], rtl=rtl)[0]


def _closed_issues_any():
    now = timezone.now()
    return (
        DiscussionIssue.objects.filter(status__in=CLOSED_ISSUE_STATUSES, opens_at__lte=now)
        | DiscussionIssue.objects.filter(
            status=DiscussionIssue.Status.OPEN, closes_at__lte=now, opens_at__lte=now
        )
    ).select_related("locale")


def sitemap_entries():
    """The results page and each closed issue's outcome page, for sitemap.xml."""
    from django.urls import reverse

    from tawasul.core import sitemap

    def outcome_url(issue):
        with translation.override(issue.locale.language_code):
            return reverse("insights:issue", args=[issue.pk])

    return [
        sitemap.section("insights:index"),
        *sitemap.translated(_closed_issues_any(), url=outcome_url),
    ]


def issue_in_language(issue: DiscussionIssue, language: str) -> DiscussionIssue | None:
    if issue.locale.language_code == language:
        return issue
    return (
        _closed_issues_any()
        .filter(translation_key=issue.translation_key, locale__language_code=language)
        .first()
    )
