"""Every write to polls goes through here: votes, translations kept in step, closing,
reviewing free answers, and the log of staff views of live results."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import altcha as _altcha
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tawasul.core import antibot
from tawasul.core.text import hidden_characters, neutralise
from tawasul.polls import groupcommit, selectors
from tawasul.polls.models import OTHER_TEXT_MAX, Poll, PollChoice, ResultsAccess, Vote, VoteChoice

log = logging.getLogger("tawasul.polls")


# ---------------------------------------------------------------- refusals
class VoteRefused(Exception):
    """A vote that is not counted, with a message for the person (and an HTTP status)."""

    status = 400
    code = "invalid"

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class InvalidBallot(VoteRefused):
    code = "invalid_ballot"


class PollNotOpen(VoteRefused):
    status = 409
    code = "poll_not_open"


class SignInRequired(VoteRefused):
    status = 403
    code = "sign_in_required"


class AlreadyVoted(VoteRefused):
    status = 409
    code = "already_voted"


class ProofReused(VoteRefused):
    code = "human_check"


# ---------------------------------------------------------------- who votes
@dataclass(frozen=True)
class Voter:
    """Who casts a vote: an account, a browser, or both (a signed-in person voting in a
    poll open to anyone is held to one vote per account *and* per browser)."""

    user_id: int | None = None
    browser: str = ""

    @property
    def key(self) -> str:
        if self.user_id is not None:
            return f"u:{self.user_id}"
        if self.browser:
            return f"b:{self.browser}"
        raise ValueError("a voter needs an account or a browser identity")


def voter_for(poll: Poll, *, user, browser: str | None) -> Voter:
    """The voter a request stands for in ``poll`` (``browser`` may be a new identifier)."""
    signed_in = user is not None and user.is_authenticated
    if poll.electorate == Poll.Electorate.CITIZENS:
        if not signed_in:
            raise SignInRequired(_("Please sign in to vote in this poll."))
        return Voter(user_id=user.pk)
    if not browser:
        raise ValueError("polls open to anyone need the browser's identity")
    return Voter(user_id=user.pk if signed_in else None, browser=browser)


# ---------------------------------------------------------------- the ballot
@dataclass
class Ballot:
    """What a voter ticked, checked against the poll: choice keys and the free answer."""

    choice_keys: list[uuid.UUID] = field(default_factory=list)
    other_text: str = ""

    @property
    def has_other(self) -> bool:
        return bool(self.other_text)


def ballot_clean(
    poll: Poll,
    choices: Sequence[PollChoice],
    *,
    choice_ids: Sequence[int],
    other: bool = False,
    other_text: str = "",
) -> Ballot:
    """Check a ballot (choice ids of ``poll``'s own language, "Other" ticked and its text)
    and turn it into choice keys. Raises :class:`InvalidBallot` with a message that says
    what is wrong; counts nothing."""
    by_id = {choice.pk: choice for choice in choices}
    ids = list(dict.fromkeys(choice_ids))  # the same box twice is one box
    if len(ids) != len(choice_ids):
        raise InvalidBallot(_("The same answer was sent twice."))
    unknown = [pk for pk in ids if pk not in by_id]
    if unknown:
        raise InvalidBallot(_("One of the answers sent is not an answer of this poll."))
    text = (other_text or "").strip()
    if text and not other:
        raise InvalidBallot(
            _("You wrote an other answer: tick “Other” to send it, or clear the text.")
        )
    if other and not poll.allow_other:
        raise InvalidBallot(_("This poll has no “Other” answer."))
    ticked = len(ids) + (1 if other else 0)
    if ticked == 0:
        raise InvalidBallot(_("Please choose an answer."))
    most = poll.most_choices(len(choices))
    if ticked > most:
        if most == 1:
            raise InvalidBallot(_("Please choose only one answer."))
        raise InvalidBallot(
            ngettext(
                "Please choose at most %(count)s answer.",
                "Please choose at most %(count)s answers.",
                most,
            )
            % {"count": most}
        )
    if other:
        if not text:
            raise InvalidBallot(_("Please write your other answer, or untick “Other”."))
        if len(text) > OTHER_TEXT_MAX:
            raise InvalidBallot(
                ngettext(
                    "Please keep your other answer under %(count)s character.",
                    "Please keep your other answer under %(count)s characters.",
                    OTHER_TEXT_MAX,
                )
                % {"count": OTHER_TEXT_MAX}
            )
        hidden = hidden_characters(text)
        if hidden:
            raise InvalidBallot(
                _(
                    "Your other answer contains invisible or direction-changing characters "
                    "(%(chars)s). Please type it again without them."
                )
                % {"chars": ", ".join(hidden)}
            )
        text = neutralise(text).strip()
        if not text:
            raise InvalidBallot(_("Please write your other answer, or untick “Other”."))
    return Ballot(choice_keys=[by_id[pk].translation_key for pk in ids], other_text=text)


# ---------------------------------------------------------------- casting
@dataclass(frozen=True)
class CastResult:
    vote_id: int
    changed: bool


def proof_of(*, altcha: str | None = None, human_token: str | None = None) -> str:
    """What names the human check a vote passed (call after it passed): the solved
    challenge's signature, or the answered question's nonce."""
    if altcha:
        try:
            return "p:" + _altcha.PayloadV1.from_base64(altcha).signature[:64]
        except (ValueError, TypeError, KeyError, AttributeError):
            pass
    if human_token:
        try:
            data = signing.loads(human_token, salt=antibot.QUESTION_SALT)
        except signing.BadSignature:
            return ""
        return "q:" + str(data.get("n", ""))[:64]
    return ""


def poll_vote_cast(
    *, poll: Poll, ballot: Ballot, voter: Voter, language: str, proof: str = ""
) -> CastResult:
    """Count ``voter``'s ballot in ``poll`` (across its translations), exactly once.

    A first vote is two INSERTs in one transaction and takes no lock: the unique
    constraints on (poll, voter) and (poll, browser) decide between simultaneous votes
    of the same voter, and the loser gets :class:`AlreadyVoted`; a ``proof`` (the human
    check the vote spent, :func:`proof_of`) is unique too, so a replayed solution is
    refused (:class:`ProofReused`) even where no shared cache remembers it. When the poll allows
    changes, a second vote replaces the first: the voter's row is locked with
    ``select_for_update`` and its choices are rewritten in one transaction (a replay of
    the same ballot changes nothing but ``changed_at``). Raises :class:`PollNotOpen` or
    :class:`AlreadyVoted`; on any refusal nothing is written.
    """
    if not poll.is_open:
        raise PollNotOpen(_("This poll is not open for voting."))
    if not ballot.choice_keys and not ballot.has_other:
        raise InvalidBallot(_("Please choose an answer."))
    key = poll.translation_key
    vote = Vote(
        poll_key=key,
        voter=voter.key,
        browser=voter.browser if poll.electorate == Poll.Electorate.ANYONE else "",
        user_id=voter.user_id,
        language=language,
        proof=proof,
        other_text=ballot.other_text,
        other_status=Vote.OtherStatus.PENDING if ballot.has_other else "",
        created_at=timezone.now(),
    )
    keys = _selected(poll, ballot)
    try:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:  # a savepoint, so a refusal leaves the caller's
                with transaction.atomic():  # transaction usable
                    vote.pk = _insert_postgresql(vote, keys)
            else:
                vote.pk = _write_grouped(vote, keys)
        else:
            with transaction.atomic():
                # bulk_create: one INSERT ... RETURNING, without save()'s signals and checks.
                Vote.objects.bulk_create([vote])
                VoteChoice.objects.bulk_create(
                    [VoteChoice(vote=vote, poll_key=key, choice_key=k) for k in keys]
                )
    except IntegrityError:
        if proof and Vote.objects.filter(proof=proof).exists():
            raise ProofReused(_("This human check was used already. Please try again.")) from None
        if not poll.allow_change:
            raise AlreadyVoted(_("You have already voted in this poll.")) from None
        return _vote_change(poll=poll, ballot=ballot, voter=voter, language=language)
    return CastResult(vote_id=vote.pk, changed=False)


def _column_values(vote: Vote) -> list:
    """The database values of the vote's fields an INSERT writes."""
    fields = [Vote._meta.get_field(name) for name in groupcommit.COLUMNS]
    return [f.get_db_prep_save(getattr(vote, f.attname), connection) for f in fields]


def _write_grouped(vote: Vote, keys: list[uuid.UUID]) -> int:
    """The vote written with the others arriving at the same moment (``groupcommit``); a
    vote the batch skipped or could not write is written alone, which raises the
    ``IntegrityError`` (or other error) that says why."""
    try:
        vote_id = groupcommit.writer.write(_column_values(vote), keys)
    except groupcommit.WriteAlone:
        vote_id = None
    return vote_id if vote_id is not None else _insert_postgresql(vote, keys)


def _insert_postgresql(vote: Vote, keys: list[uuid.UUID]) -> int:
    """The vote alone, on this connection (``groupcommit.insert_one``)."""
    return groupcommit.insert_one(_column_values(vote), keys)


def _selected(poll: Poll, ballot: Ballot) -> list[uuid.UUID]:
    """The keys a ballot counts for: its choices, and the poll's own key for "Other"
    (so one count over the selections gives every answer's tally)."""
    return [*ballot.choice_keys, *([poll.translation_key] if ballot.has_other else [])]


def _vote_change(*, poll: Poll, ballot: Ballot, voter: Voter, language: str) -> CastResult:
    key = poll.translation_key
    same = Q(voter=voter.key)
    if voter.browser and poll.electorate == Poll.Electorate.ANYONE:
        same |= Q(browser=voter.browser)
    with transaction.atomic():
        vote = Vote.objects.select_for_update().filter(same, poll_key=key).first()
        if vote is None:  # removed between the INSERT and here: nothing to change
            raise AlreadyVoted(_("You have already voted in this poll."))
        VoteChoice.objects.filter(vote=vote).delete()
        VoteChoice.objects.bulk_create(
            [VoteChoice(vote=vote, poll_key=key, choice_key=k) for k in _selected(poll, ballot)]
        )
        if ballot.other_text != vote.other_text:
            vote.other_text = ballot.other_text
            vote.other_status = Vote.OtherStatus.PENDING if ballot.has_other else ""
            vote.other_reviewed_by = None
        vote.language = language
        vote.changed_at = timezone.now()
        vote.save(
            update_fields=[
                "other_text",
                "other_status",
                "other_reviewed_by",
                "language",
                "changed_at",
            ]
        )
    return CastResult(vote_id=vote.pk, changed=True)


# ---------------------------------------------------------------- staff
def poll_sync_translations(*, poll: Poll) -> int:
    """Copy ``poll``'s rules (every shared field) and its set of choices to its other
    translations, after staff saved it. Choices added here are added there with this
    language's wording (to be translated); choices removed here are removed there.
    Returns how many translations were updated. One transaction; idempotent."""
    with transaction.atomic():
        others = list(
            Poll.objects.select_for_update()
            .filter(translation_key=poll.translation_key)
            .exclude(pk=poll.pk)
        )
        if not others:
            return 0
        values = {name: getattr(poll, name) for name in Poll.SHARED_FIELDS}
        Poll.objects.filter(pk__in=[other.pk for other in others]).update(
            **values, updated_at=timezone.now()
        )
        transaction.on_commit(selectors.voting_cache_clear)
        mine = list(poll.choices.all())
        keys = [choice.translation_key for choice in mine]
        for other in others:
            theirs = {c.translation_key: c for c in PollChoice.objects.filter(poll=other)}
            PollChoice.objects.filter(poll=other).exclude(translation_key__in=keys).delete()
            for order, choice in enumerate(mine):
                existing = theirs.get(choice.translation_key)
                if existing is None:
                    PollChoice.objects.create(
                        poll=other,
                        label=choice.label,
                        translation_key=choice.translation_key,
                        locale_id=other.locale_id,
                        sort_order=order,
                    )
                elif existing.sort_order != order:
                    existing.sort_order = order
                    existing.save(update_fields=["sort_order"])
    return len(others)


def poll_has_votes(poll: Poll) -> bool:
    return Vote.objects.filter(poll_key=poll.translation_key).exists()


def poll_close_now(*, poll: Poll, user) -> None:
    """End voting at once, in every language (the close time becomes now). This process
    stops taking votes at once; the others within ``selectors.VOTING_CACHE_SECONDS``."""
    now = timezone.now()
    with transaction.atomic():
        Poll.objects.filter(translation_key=poll.translation_key, closes_at__gt=now).update(
            closes_at=now, updated_at=now
        )
    selectors.voting_cache_clear()
    log.info("poll closed early", extra={"poll": str(poll.translation_key), "user_id": user.pk})


def results_access_log(*, poll: Poll, user, action: str) -> ResultsAccess | None:
    """Record a staff member's view or export of results while the poll is open
    (nothing is recorded for closed polls, whose results are public)."""
    if not poll.is_open:
        return None
    entry = ResultsAccess.objects.create(
        poll_key=poll.translation_key,
        question=poll.question[:300],
        user=user,
        user_email=user.email,
        action=action,
    )
    log.info(
        "live results viewed",
        extra={"poll": str(poll.translation_key), "user_id": user.pk, "action": action},
    )
    return entry


def vote_other_review(*, vote_id: int, status: str, user) -> bool:
    """Accept or reject one free answer. Conditional update: only a vote that still has a
    free answer changes; returns whether one did. Idempotent."""
    if status not in (Vote.OtherStatus.ACCEPTED, Vote.OtherStatus.REJECTED):
        raise ValueError(f"not a review status: {status!r}")
    changed = (
        Vote.objects.filter(pk=vote_id)
        .exclude(other_status="")
        .update(other_status=status, other_reviewed_by=user)
    )
    return bool(changed)
