"""Reads for discussions: public issues, statements, the next statement to vote on, the
cached analysis, the home block and the data export."""

from __future__ import annotations

import hashlib

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone, translation

from tawasul.discussions import analysis
from tawasul.discussions.models import (
    AnalysisResult,
    DiscussionIssue,
    Participant,
    Statement,
    Vote,
)

PUBLIC_STATUSES = (
    DiscussionIssue.Status.OPEN,
    DiscussionIssue.Status.CLOSED,
    DiscussionIssue.Status.ARCHIVED,
)


def public_issues(language: str | None = None):
    """Issues the public may see (open, closed or archived, and opened), newest first."""
    qs = DiscussionIssue.objects.filter(
        status__in=PUBLIC_STATUSES, opens_at__lte=timezone.now()
    ).select_related("locale")
    if language:
        qs = qs.filter(locale__language_code=language)
    return qs.order_by("-opens_at", "-pk")


def sitemap_entries():
    """The issues index and every issue the public may see, for sitemap.xml."""
    from tawasul.core import sitemap

    return [sitemap.section("discussions:index"), *sitemap.translated(public_issues())]


def public_issue(pk: int) -> DiscussionIssue | None:
    return public_issues().filter(pk=pk).select_related("image", "document").first()


def translations_of(issue: DiscussionIssue) -> list[DiscussionIssue]:
    return list(
        public_issues()
        .filter(translation_key=issue.translation_key)
        .exclude(pk=issue.pk)
        .select_related("locale")
    )


def votable_statements(issue_key):
    return Statement.objects.filter(Statement.votable_q(), issue_key=issue_key).order_by("pk")


def statements_with_counts(issue_key):
    """Votable statements with agree/disagree/pass counts (one query)."""
    return votable_statements(issue_key).annotate(
        agrees=Count("votes", filter=Q(votes__value=1)),
        disagrees=Count("votes", filter=Q(votes__value=-1)),
        passes=Count("votes", filter=Q(votes__value=0)),
    )


def statements_of_author(issue_key, user):
    """A signed-in author's own statements on the issue, whatever their state."""
    if not getattr(user, "is_authenticated", False):
        return Statement.objects.none()
    return (
        Statement.objects.filter(issue_key=issue_key, author=user)
        .select_related("comment")
        .order_by("-created_at")
    )


def participant_of(issue_key, identity_key: str | None) -> Participant | None:
    if not identity_key:
        return None
    return Participant.objects.filter(issue_key=issue_key, identity=identity_key).first()


def votes_of(participant: Participant | None) -> dict[int, int]:
    if participant is None:
        return {}
    return dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))


def analysis_of(issue_key) -> AnalysisResult | None:
    return (
        AnalysisResult.objects.filter(issue_key=issue_key, computed_at__isnull=False)
        .only("issue_key", "computed_at", "votes", "data")
        .first()
    )


def next_statement(issue_key, participant: Participant | None, *, skip: int | None = None):
    """The statement to show next, by the design note's routing priority, among the votable
    statements the participant has not voted on yet (None when none are left).

    Counts and extremity come from the cached analysis (at most a minute old), so choosing
    costs two small queries however many votes the issue has; before the first analysis
    they are counted directly. The draw is weighted by priority and seeded by the
    participant and how many votes they have, so the same page reload shows the same
    statement (no JavaScript needed), new statements (seen by few) come up often, and two
    people do not march in lockstep.
    """
    voted = set(votes_of(participant))
    candidates = [
        pk for pk in votable_statements(issue_key).values_list("pk", flat=True) if pk not in voted
    ]
    if skip in candidates and len(candidates) > 1:
        candidates.remove(skip)
    if not candidates:
        return None
    result = analysis_of(issue_key)
    cached = (result.data.get("statements") or {}) if result else {}
    if cached:
        info = [cached.get(str(pk), {}) for pk in candidates]
        agrees = [i.get("agree", 0) for i in info]
        seen = [i.get("seen", 0) for i in info]
        passes = [i.get("seen", 0) - i.get("agree", 0) - i.get("disagree", 0) for i in info]
        extremity = [i.get("extremity", 0.0) for i in info]
    else:
        counted = {s.pk: s for s in statements_with_counts(issue_key).filter(pk__in=candidates)}
        agrees = [counted[pk].agrees for pk in candidates]
        passes = [counted[pk].passes for pk in candidates]
        seen = [
            counted[pk].agrees + counted[pk].disagrees + counted[pk].passes for pk in candidates
        ]
        extremity = [0.0] * len(candidates)
    priority = analysis.routing_priority(
        agrees=agrees, passes=passes, seen=seen, extremity=extremity
    )
    seed_text = f"{issue_key}:{participant.pk if participant else 0}:{len(voted)}:{skip}"
    seed = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "big")
    total = priority.sum()
    if total > 0:
        chosen = candidates[
            int(np.random.default_rng(seed).choice(len(candidates), p=priority / total))
        ]
    else:
        chosen = candidates[0]
    return Statement.objects.get(pk=chosen)


HOME_CACHE_SECONDS = 300


def _home_cache_key(language: str) -> str:
    return f"discussions:home:{language}"


def home_cache_clear(**_kwargs) -> None:
    """Drop the home block's cached data (connected to the issue's save and delete)."""
    from django.conf import settings
    from django.core.cache import cache

    cache.delete_many([_home_cache_key(code) for code, _name in settings.LANGUAGES])


def home_issue(request, home_page) -> dict | None:
    """The home page block: the latest open issue in the page's language, with its numbers
    (cached for five minutes, and dropped when an issue is saved: the home page is the
    busiest page and its query count must not grow)."""
    from django.core.cache import cache

    language = translation.get_language() or "ar"
    key = _home_cache_key(language)
    data = cache.get(key)
    if data is None:
        issue = next((i for i in public_issues(language)[:10] if i.is_open), None)
        data = {"issue": None}
        if issue is not None:
            data = {
                "issue": {
                    "pk": issue.pk,
                    "title": issue.title,
                    "question": issue.question,
                    "url": issue.get_absolute_url(),
                },
                "statements": votable_statements(issue.key).count(),
                "participants": Participant.objects.filter(issue_key=issue.key).count(),
            }
        cache.set(key, data, HOME_CACHE_SECONDS)
    return data if data["issue"] else None


def participation_by_day(issue_key) -> list[dict]:
    """Votes and new participants per day (the report's "participation over time")."""
    from django.db.models.functions import TruncDate

    votes = dict(
        Vote.objects.filter(issue_key=issue_key)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    people = dict(
        Participant.objects.filter(issue_key=issue_key)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    days = sorted(set(votes) | set(people))
    return [{"day": d, "votes": votes.get(d, 0), "participants": people.get(d, 0)} for d in days]
