"""Reads of polls that need care: language, visibility, tallies and the voter's own vote."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from tawasul.polls.models import Poll, PollChoice, Vote, VoteChoice


def _with_choices(queryset):
    return queryset.select_related("locale").prefetch_related(
        Prefetch("choices", queryset=PollChoice.objects.order_by("sort_order", "pk"))
    )


def polls_public(language: str):
    """Published polls of one language that have opened (open and closed), newest first."""
    return Poll.objects.filter(
        locale__language_code=language,
        status=Poll.Status.PUBLISHED,
        opens_at__lte=timezone.now(),
    ).order_by("-opens_at", "-pk")


def sitemap_entries():
    """The polls index and every published poll that has opened, for sitemap.xml."""
    from tawasul.core import sitemap

    polls = Poll.objects.filter(
        status=Poll.Status.PUBLISHED, opens_at__lte=timezone.now()
    ).select_related("locale")
    return [sitemap.section("polls:index"), *sitemap.translated(polls)]


def polls_index(language: str) -> dict:
    """The polls index: open polls and past ones, with voter counts for the past ones
    (their results are public); a fixed number of queries whatever the number of polls."""
    now = timezone.now()
    polls = list(_with_choices(polls_public(language)))
    open_polls = [poll for poll in polls if poll.closes_at > now]
    past_polls = [poll for poll in polls if poll.closes_at <= now]
    counts = voter_counts([poll.translation_key for poll in past_polls])
    for poll in past_polls:
        poll.voter_count = counts.get(poll.translation_key, 0)
    return {"open_polls": open_polls, "past_polls": past_polls}


def voter_counts(keys: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not keys:
        return {}
    rows = (
        Vote.objects.filter(poll_key__in=keys)
        .values_list("poll_key")
        .annotate(n=Count("*"))
        .order_by()
    )
    return dict(rows)


def access_poll(pk: int) -> Poll:
    """A poll the public may see (open or closed), with its choices; 404 otherwise."""
    poll = _with_choices(Poll.objects.filter(pk=pk)).first()
    if poll is None or not poll.is_public:
        raise Http404("no such poll")
    return poll


def access_poll_or_none(pk: int) -> Poll | None:
    poll = _with_choices(Poll.objects.filter(pk=pk)).first()
    return poll if poll is not None and poll.is_public else None


def poll_in_language(poll: Poll, language: str) -> Poll | None:
    """The poll's translation in ``language`` (public), or None."""
    if poll.locale.language_code == language:
        return poll
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    other = poll.get_translation_or_none(locale)
    return other if other is not None and other.is_public else None


def translations_of(polls: list[Poll]) -> dict[uuid.UUID, list[Poll]]:
    """Every public translation of these polls, by key (one query)."""
    found: dict[uuid.UUID, list[Poll]] = {}
    for other in Poll.objects.filter(
        translation_key__in={poll.translation_key for poll in polls},
        status=Poll.Status.PUBLISHED,
    ).select_related("locale"):
        found.setdefault(other.translation_key, []).append(other)
    return found


# The vote path's copy of each poll's definition, per process, for a moment. Whether a
# poll is open is decided from its stored times, so closing on time is exact; a staff
# change (closing early, unpublishing, new choices) reaches this process at once (the
# save clears it) and the other processes within VOTING_CACHE_SECONDS.
VOTING_CACHE_SECONDS = 2.0
_voting_cache: dict[int, tuple[float, Poll, list[PollChoice]]] = {}


def voting_cache_clear(**_kwargs) -> None:
    _voting_cache.clear()


def for_voting(pk: int) -> tuple[Poll, list[PollChoice]] | None:
    """The poll (with its locale) and its choices for the vote path: from this process's
    copy when it is fresh, else two plain queries (a Prefetch through modelcluster's
    relation costs more than the query itself)."""
    now = time.monotonic()
    cached = _voting_cache.get(pk)
    if cached is not None and now - cached[0] < VOTING_CACHE_SECONDS:
        return cached[1], cached[2]
    poll = Poll.objects.select_related("locale").filter(pk=pk).first()
    if poll is None:
        return None
    choices = list(PollChoice.objects.filter(poll_id=pk).order_by("sort_order", "pk"))
    if len(_voting_cache) > 500:
        _voting_cache.clear()
    _voting_cache[pk] = (now, poll, choices)
    return poll, choices


def vote_of(poll: Poll, *, voter_key: str | None, browser: str | None) -> Vote | None:
    """This voter's vote in ``poll`` (any language), with the keys it ticked, or None."""
    if not voter_key and not browser:
        return None
    same = Q()
    if voter_key:
        same |= Q(voter=voter_key)
    if browser and poll.electorate == Poll.Electorate.ANYONE:
        same |= Q(browser=browser)
    vote = Vote.objects.filter(same, poll_key=poll.translation_key).first()
    if vote is not None:
        vote.choice_keys = set(
            VoteChoice.objects.filter(vote=vote).values_list("choice_key", flat=True)
        )
    return vote


# ---------------------------------------------------------------- results
@dataclass
class TallyRow:
    label: str
    votes: int
    percent: float
    key: uuid.UUID | None = None
    is_other: bool = False
    choice_id: int | None = None  # the choice's id in the language being shown (API)


@dataclass
class Tally:
    """Counts per answer, of every language together, straight from the stored votes."""

    voters: int
    rows: list[TallyRow]
    multiple: bool

    @property
    def selections(self) -> int:
        return sum(row.votes for row in self.rows)


def poll_tally(poll: Poll) -> Tally:
    """Two queries, both answered from an index: voters, and selections per answer
    (the "Other" answer is stored as a selection whose key is the poll's own key)."""
    key = poll.translation_key
    voters = Vote.objects.filter(poll_key=key).count()
    counts = dict(
        VoteChoice.objects.filter(poll_key=key)
        .values_list("choice_key")
        .annotate(n=Count("*"))
        .order_by()
    )
    return _tally(poll, voters, counts)


def poll_tallies(polls: list[Poll]) -> dict[uuid.UUID, Tally]:
    """The tallies of several polls in two queries (lists in the API)."""
    if not polls:
        return {}
    keys = [poll.translation_key for poll in polls]
    voters = voter_counts(keys)
    counts: dict[uuid.UUID, dict[uuid.UUID, int]] = {}
    for poll_key, choice_key, n in (
        VoteChoice.objects.filter(poll_key__in=keys)
        .values_list("poll_key", "choice_key")
        .annotate(n=Count("*"))
        .order_by()
    ):
        counts.setdefault(poll_key, {})[choice_key] = n
    return {
        poll.translation_key: _tally(
            poll, voters.get(poll.translation_key, 0), counts.get(poll.translation_key, {})
        )
        for poll in polls
    }


def _tally(poll: Poll, voters: int, counts: dict[uuid.UUID, int]) -> Tally:
    key = poll.translation_key

    def row(label: str, row_key: uuid.UUID, **extra) -> TallyRow:
        votes = counts.get(row_key, 0)
        share = round(100 * votes / voters, 1) if voters else 0.0
        return TallyRow(label=label, votes=votes, percent=share, key=row_key, **extra)

    rows = [row(choice.label, choice.translation_key) for choice in poll.choices.all()]
    if poll.allow_other or counts.get(key):
        rows.append(row(_("Other"), key, is_other=True))
    return Tally(voters=voters, rows=rows, multiple=poll.is_multiple)


# ---------------------------------------------------------------- home page
def home_poll(request, home_page) -> dict | None:
    """The newest open poll of the home page's language, for its interactive window.

    Rendered without a form and without numbers, so the home page stays the same for
    every visitor and can be served from the page cache; the browser then asks
    ``polls:panel`` for the live part (form, or the visitor's own results)."""
    now = timezone.now()
    poll = (
        _with_choices(
            Poll.objects.filter(
                locale_id=home_page.locale_id,
                status=Poll.Status.PUBLISHED,
                opens_at__lte=now,
                closes_at__gt=now,
            )
        )
        .order_by("-opens_at", "-pk")
        .first()
    )
    if poll is None:
        return None
    return {"poll": poll}


# ---------------------------------------------------------------- personal data
def votes_of_user_export(user) -> list[dict]:
    """A person's votes, for the account's data download (three queries)."""
    votes = list(Vote.objects.filter(user=user).order_by("created_at"))
    if not votes:
        return []
    keys = {vote.poll_key for vote in votes}
    polls = {
        poll.translation_key: poll
        for poll in Poll.objects.filter(translation_key__in=keys)
        .select_related("locale")
        .order_by("locale__language_code")
    }
    labels = {
        choice.translation_key: choice.label
        for choice in PollChoice.objects.filter(poll__translation_key__in=keys)
    }
    ticked: dict[int, list[str]] = {}
    for vote_id, choice_key, poll_key in VoteChoice.objects.filter(vote__in=votes).values_list(
        "vote_id", "choice_key", "poll_key"
    ):
        if choice_key != poll_key:
            ticked.setdefault(vote_id, []).append(labels.get(choice_key, str(choice_key)))
    return [
        {
            "poll": polls[vote.poll_key].question if vote.poll_key in polls else str(vote.poll_key),
            "choices": ticked.get(vote.pk, []),
            "other_answer": vote.other_text,
            "cast_at": vote.created_at.isoformat(),
            "changed_at": vote.changed_at.isoformat() if vote.changed_at else None,
        }
        for vote in votes
    ]
