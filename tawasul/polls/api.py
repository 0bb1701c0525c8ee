"""Polls in the public API: list, one poll (with results when the rule lets the caller
see them), and casting a vote under the same rules as the poll page.

Forgery: a vote sent by a page of another site through a visitor's browser is refused
(``Origin`` or ``Sec-Fetch-Site`` says so); a signed-in voter (a session cookie) must
also send the CSRF token; anyone else proves work (``altcha``) and is rate-limited by
address. The body is JSON only, which a plain HTML form on another site cannot send.
See docs/polls.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.utils import check_csrf
from pydantic import Field

from tawasul.core import antibot, identity, ratelimit
from tawasul.core.net import client_ip
from tawasul.polls import rules, selectors, services
from tawasul.polls.forms import HUMAN_SCOPE
from tawasul.polls.models import MAX_CHOICES, OTHER_TEXT_MAX, Poll

router = Router(tags=["polls"])


class ChoiceOut(Schema):
    id: int
    label: str


class AnswerOut(Schema):
    id: int | None = Field(description="the choice's id; null for “Other”")
    label: str
    votes: int
    percent: float = Field(description="share of voters, 0-100")
    other: bool


class ResultsOut(Schema):
    voters: int
    answers: list[AnswerOut]


class TranslationOut(Schema):
    lang: str
    id: int
    url: str


class PollOut(Schema):
    id: int
    key: uuid.UUID = Field(description="the poll across its languages")
    lang: str
    question: str
    description: str
    state: Literal["open", "closed"]
    kind: Literal["single", "multiple"]
    most_choices: int = Field(description="how many answers a voter may tick")
    allow_other: bool
    electorate: Literal["anyone", "citizens"]
    results_visibility: Literal["always", "after_voting", "after_closing"]
    staff_see_live_results: bool
    allow_change: bool
    opens_at: dt.datetime
    closes_at: dt.datetime
    url: str
    choices: list[ChoiceOut]
    translations: list[TranslationOut]
    results: ResultsOut | None = Field(description="present when the caller may see them")


class PollPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PollOut]


class PollFilters(Schema):
    lang: Literal["ar", "en"] | None = Field(None, description="ar or en; both when absent")
    state: Literal["open", "closed"] | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class VoteIn(Schema):
    choices: list[int] = Field(
        default_factory=list, max_length=MAX_CHOICES, description="ids of the poll's choices"
    )
    other: str | None = Field(
        None,
        max_length=OTHER_TEXT_MAX * 2,
        description="the “Other” answer (only if the poll offers it)",
    )
    altcha: str | None = Field(
        None,
        max_length=antibot.MAX_PAYLOAD,
        description="the solved proof of work (GET /api/v1/challenge?scope=polls:vote); "
        "not needed when signed in",
    )


class VoteOut(Schema):
    poll: int
    changed: bool = Field(description="true when an earlier vote was replaced")
    results_visible: bool


class ErrorOut(Schema):
    code: str
    message: str


def _results(tally: selectors.Tally, language: str) -> dict:
    with translation.override(language):
        other = gettext("Other")
    return {
        "voters": tally.voters,
        "answers": [
            {
                "id": None if row.is_other else row.choice_id,
                "label": other if row.is_other else row.label,
                "votes": row.votes,
                "percent": row.percent,
                "other": row.is_other,
            }
            for row in tally.rows
        ],
    }


def _serialise(request, polls: list[Poll], *, tallies: dict, shown: set) -> list[dict]:
    partners = selectors.translations_of(polls)
    results = []
    for poll in polls:
        choices = list(poll.choices.all())
        tally = tallies.get(poll.translation_key)
        if tally is not None:
            ids = {choice.translation_key: choice.pk for choice in choices}
            for row in tally.rows:
                row.choice_id = ids.get(row.key)
        results.append(
            {
                "id": poll.pk,
                "key": poll.translation_key,
                "lang": poll.locale.language_code,
                "question": poll.question,
                "description": poll.description,
                "state": poll.state,
                "kind": poll.kind,
                "most_choices": poll.most_choices(len(choices)),
                "allow_other": poll.allow_other,
                "electorate": poll.electorate,
                "results_visibility": poll.results_visibility,
                "staff_see_live_results": poll.staff_see_live_results,
                "allow_change": poll.allow_change,
                "opens_at": poll.opens_at,
                "closes_at": poll.closes_at,
                "url": request.build_absolute_uri(poll.get_absolute_url()),
                "choices": [{"id": c.pk, "label": c.label} for c in choices],
                "translations": [
                    {
                        "lang": other.locale.language_code,
                        "id": other.pk,
                        "url": request.build_absolute_uri(other.get_absolute_url()),
                    }
                    for other in partners.get(poll.translation_key, [])
                    if other.pk != poll.pk and other.is_public
                ],
                "results": (
                    _results(tally, poll.locale.language_code)
                    if poll.translation_key in shown and tally
                    else None
                ),
            }
        )
    return results


@router.get("", response=PollPage, summary="List polls")
def list_polls(request, filters: Query[PollFilters], response: HttpResponse):
    """Open and closed polls, newest first. Results are included when they are public
    (closed polls, and polls whose results are shown always); for results you may see
    after voting, ask for the poll itself."""
    # Counts change with every vote, and no publish event says so: never kept by a cache.
    patch_cache_control(response, no_cache=True)
    now = timezone.now()
    polls = Poll.objects.filter(status=Poll.Status.PUBLISHED, opens_at__lte=now)
    if filters.lang:
        polls = polls.filter(locale__language_code=filters.lang)
    if filters.state == "open":
        polls = polls.filter(closes_at__gt=now)
    elif filters.state == "closed":
        polls = polls.filter(closes_at__lte=now)
    polls = selectors._with_choices(polls.order_by("-opens_at", "-pk"))
    count = polls.count()
    start = (filters.page - 1) * filters.page_size
    page = list(polls[start : start + filters.page_size])
    public = [poll for poll in page if rules.can_see_results(request.user, poll, has_voted=False)]
    tallies = selectors.poll_tallies(public)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": _serialise(
            request, page, tallies=tallies, shown={poll.translation_key for poll in public}
        ),
    }


def _voter_key(request) -> tuple[str | None, str | None]:
    browser = identity.browser_id(request)
    if request.user.is_authenticated:
        return f"u:{request.user.pk}", browser
    return (f"b:{browser}" if browser else None), browser


@router.get("/{poll_id}", response={200: PollOut, 404: ErrorOut}, summary="One poll")
def get_poll(request, poll_id: int, response: HttpResponse):
    """One poll; `results` when the caller may see them (after voting, the browser's
    cookie or the signed-in account says who voted)."""
    # The answer depends on who asks: no shared cache may keep it.
    patch_cache_control(response, private=True)
    poll = selectors.access_poll_or_none(poll_id)
    if poll is None:
        return Status(404, {"code": "not_found", "message": "no such poll"})
    voter_key, browser = _voter_key(request)
    has_voted = selectors.vote_of(poll, voter_key=voter_key, browser=browser) is not None
    shown = set()
    tallies = {}
    if rules.can_see_results(request.user, poll, has_voted=has_voted):
        shown.add(poll.translation_key)
        tallies = {poll.translation_key: selectors.poll_tally(poll)}
    return _serialise(request, [poll], tallies=tallies, shown=shown)[0]


def cross_site(request) -> bool:
    """Whether a browser says this request comes from a page of another site."""
    origin = request.headers.get("Origin")
    if origin is not None:
        own = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
        if origin not in own:
            return True
    return request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site")


HUMAN_CHECK_MESSAGE = (
    "missing, wrong, expired or used proof of work: solve a new challenge from "
    "GET /api/v1/challenge?scope=polls:vote"
)


@dataclass
class VoteAnswer:
    """What a vote request gets: the status and JSON body, a ``Retry-After`` for a rate
    limit, and the browser identifier to remember when this vote gave it one."""

    status: int
    body: dict
    retry_after: int | None = None
    new_browser: str | None = None

    def set_headers(self, response) -> None:
        """Put this answer's ``Retry-After`` and browser cookie on ``response``."""
        if self.retry_after is not None:
            response["Retry-After"] = str(self.retry_after)
        if self.new_browser:
            identity.browser_id_remember(response, self.new_browser)


def _refused(status: int, code: str, message: str, **extra) -> VoteAnswer:
    return VoteAnswer(status, {"code": code, "message": message}, **extra)


def vote(request, poll_id: int, payload: VoteIn) -> VoteAnswer:
    """The rules of a vote sent to the API, for both of its entrances: the API's view
    below and the lane for anonymous votes (``polls/lane.py``), which reach here with the
    same request and payload."""
    if cross_site(request):
        return _refused(403, "cross_site", "votes are not accepted from another site's pages")
    found = selectors.for_voting(poll_id)
    if found is None or not found[0].is_public:
        return _refused(404, "not_found", "no such poll")
    poll, choices = found
    signed_in = request.user.is_authenticated
    if signed_in and check_csrf(request) is not None:
        return _refused(403, "csrf", "a signed-in vote needs the CSRF token (X-CSRFToken)")
    try:
        if signed_in:
            ratelimit.hit(
                "polls:vote:user",
                str(request.user.pk),
                limit=settings.POLL_VOTES_PER_IP,
                period=3600,
            )
        else:
            ratelimit.hit(
                "polls:vote:ip", client_ip(request), limit=settings.POLL_VOTES_PER_IP, period=3600
            )
    except ratelimit.RateLimited as limited:
        return _refused(
            429,
            "rate_limited",
            f"too many votes; retry after {limited.retry_after}s",
            retry_after=limited.retry_after,
        )
    if not rules.can_vote(request.user, poll):
        if poll.is_open:
            return _refused(403, "sign_in_required", "this poll is for signed-in citizens")
        return _refused(409, "poll_not_open", "this poll is not open for voting")
    with translation.override(poll.locale.language_code):
        try:
            ballot = services.ballot_clean(
                poll,
                choices,
                choice_ids=payload.choices,
                other=bool(payload.other and payload.other.strip()),
                other_text=payload.other or "",
            )
        except services.InvalidBallot as error:
            return _refused(400, error.code, error.message)
    # The solution's signature is the vote's unique ``proof``: the insert itself refuses
    # a replay, so the cache is not asked to remember it (see antibot.solution_valid).
    if not signed_in and not antibot.solution_valid(payload.altcha, scope=HUMAN_SCOPE, spend=False):
        return _refused(400, "human_check", HUMAN_CHECK_MESSAGE)
    browser = identity.browser_id(request)
    new_browser = browser is None and poll.electorate == Poll.Electorate.ANYONE
    if new_browser:
        browser = identity.browser_id_new()
    try:
        voter = services.voter_for(poll, user=request.user, browser=browser)
        result = services.poll_vote_cast(
            poll=poll,
            ballot=ballot,
            voter=voter,
            language=poll.locale.language_code,
            proof="" if signed_in else services.proof_of(altcha=payload.altcha),
        )
    except services.ProofReused:
        return _refused(400, "human_check", HUMAN_CHECK_MESSAGE)
    except services.VoteRefused as refused:
        return _refused(refused.status, refused.code, refused.message)
    return VoteAnswer(
        200 if result.changed else 201,
        {
            "poll": poll.pk,
            "changed": result.changed,
            "results_visible": rules.can_see_results(request.user, poll, has_voted=True),
        },
        new_browser=browser if new_browser else None,
    )


@router.post(
    "/{poll_id}/votes",
    response={
        200: VoteOut,
        201: VoteOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    summary="Vote in a poll",
)
def cast_vote(request, poll_id: int, payload: VoteIn, response: HttpResponse):
    """Cast (or, where the poll allows it, change) a vote. Anyone-polls: send `altcha`,
    a solved challenge of scope `polls:vote`; the answer sets the browser cookie that
    makes later votes of this client changes or duplicates. Citizens-only polls: a
    signed-in session and its CSRF token (`X-CSRFToken`). 201 for a new vote, 200 for
    a changed one; 409 for a duplicate or a poll that is not open."""
    answer = vote(request, poll_id, payload)
    answer.set_headers(response)
    return Status(answer.status, answer.body)
