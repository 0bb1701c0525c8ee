"""Every write to discussions goes through here: statements, votes, the analysis, imports.

Statements posted by citizens are handed to ``comments.services.comment_create`` (on the
issue's statements box), so screening, the moderation queue and the audit log are the
comments app's. Votes are one per participant per statement, enforced by the database;
after a vote the issue's analysis is *requested* (a timestamp) and the clock job
recomputes requested analyses once a minute, so a vote never waits for the analysis and a
burst of votes costs one computation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from tawasul.comments import services as comments
from tawasul.comments import text as comment_text
from tawasul.core.arabic import normalise
from tawasul.discussions import analysis, polis
from tawasul.discussions.models import (
    STATEMENT_MAX,
    AnalysisResult,
    DiscussionIssue,
    IssueStatements,
    Participant,
    Statement,
    Vote,
)

log = logging.getLogger("tawasul.discussions")


class Refused(Exception):
    """An action that is not allowed, with a message for the person and an HTTP status."""

    def __init__(self, code: str, message, status: int = 400):
        super().__init__(code)
        self.code = code
        self.message = message
        self.status = status


# ---------------------------------------------------------------- issues
def issue_sync_translations(*, issue: DiscussionIssue) -> int:
    """Copy the shared fields (rules, period, status, material) of ``issue`` to its other
    translations; returns how many rows changed."""
    values = {}
    for name in DiscussionIssue.SHARED_FIELDS:
        field = DiscussionIssue._meta.get_field(name)
        values[field.attname] = getattr(issue, field.attname)
    return (
        DiscussionIssue.objects.filter(translation_key=issue.translation_key)
        .exclude(pk=issue.pk)
        .update(**values)
    )


# ---------------------------------------------------------------- statements
def statement_text_clean(value: str) -> str:
    """The statement as stored (neutralised like a comment, on one line); ValidationError
    when empty or over 280 characters."""
    cleaned = " ".join(comment_text.clean(value or "").split())
    if not cleaned:
        raise ValidationError(_("Please write your statement first."), code="empty")
    if len(cleaned) > STATEMENT_MAX:
        raise ValidationError(
            _("A statement can be at most %(max)s characters long; this one has %(count)s."),
            code="too_long",
            params={"max": STATEMENT_MAX, "count": len(cleaned)},
        )
    return cleaned


def matching_key(text: str) -> str:
    """Two statements are the same when their ``core.arabic.normalise`` keys are."""
    key = " ".join(normalise(text).split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


DUPLICATE = _("This statement is already on the issue. Vote on it instead.")
CLOSED = _("This issue is not open for statements or votes.")


def _duplicate_of(issue_key, key: str) -> bool:
    return Statement.objects.filter(issue_key=issue_key, matching_key=key).exists()


def statement_submit(
    *, issue: DiscussionIssue, author, text: str, idempotency_key: str, ip_address=None
) -> Statement:
    """A citizen posts a statement on an open issue.

    Refused (``Refused``) on a closed issue or a duplicate (same ``normalise`` key as a
    statement already on the issue, in any language; the database constraint decides
    between two identical statements sent at once). ``ValidationError`` for an empty or
    too long text. The statement is backed by a comment on the issue's statements box:
    the comments app screens it, queues it for moderation (pre-moderation by default) and
    refuses blocked or signed-out authors (``comments.services.CommentRefused``). The same
    form sent twice returns the first statement.
    """
    cleaned = statement_text_clean(text)
    if not issue.is_open:
        raise Refused("closed", CLOSED, 409)
    key = matching_key(cleaned)
    box = IssueStatements.objects.get(pk=issue.pk)
    earlier = Statement.objects.filter(
        author=author, comment__idempotency_key=idempotency_key, issue_key=issue.key
    ).first()
    if earlier is not None and author is not None:
        return earlier
    if _duplicate_of(issue.key, key):
        raise Refused("duplicate", DUPLICATE, 409)
    try:
        with transaction.atomic():
            posted = comments.comment_create(
                author=author,
                target=box,
                body=cleaned,
                idempotency_key=idempotency_key,
                ip_address=ip_address,
            )
            statement, _created = Statement.objects.get_or_create(
                comment=posted.comment,
                defaults={
                    "issue_key": issue.key,
                    "issue": issue,
                    "text": cleaned,
                    "language": issue.locale.language_code,
                    "origin": Statement.Origin.CITIZEN,
                    "author": author,
                    "matching_key": key,
                },
            )
    except IntegrityError as exc:
        raise Refused("duplicate", DUPLICATE, 409) from exc
    _analysis_request(issue.key)
    return statement


def statement_seed(*, issue: DiscussionIssue, text: str) -> Statement:
    """Staff add a statement to start the conversation (published at once); idempotent
    for the same text."""
    cleaned = statement_text_clean(text)
    key = matching_key(cleaned)
    statement, _created = Statement.objects.get_or_create(
        issue_key=issue.key,
        matching_key=key,
        defaults={
            "issue": issue,
            "text": cleaned,
            "language": issue.locale.language_code,
            "origin": Statement.Origin.SEED,
        },
    )
    return statement


# ---------------------------------------------------------------- votes
@dataclass(frozen=True)
class Identity:
    """Who votes: an account, or (where the issue allows anyone) a browser."""

    user_id: int | None = None
    browser: str = ""

    @property
    def key(self) -> str:
        if self.user_id is not None:
            return f"u:{self.user_id}"
        if self.browser:
            return f"b:{self.browser}"
        raise ValueError("a participant needs an account or a browser identity")


def identity_for(issue: DiscussionIssue, *, user, browser: str | None) -> Identity | None:
    """The identity a visitor votes with on ``issue``, or None when they may not vote."""
    if getattr(user, "is_authenticated", False):
        return Identity(user_id=user.pk)
    if issue.voters == DiscussionIssue.Voters.ANYONE and browser:
        return Identity(browser=browser)
    return None


def participant_get_or_create(*, issue_key, identity: Identity) -> Participant:
    """One participant per issue and identity, also when two first votes race."""
    try:
        with transaction.atomic():
            participant, _created = Participant.objects.get_or_create(
                issue_key=issue_key,
                identity=identity.key,
                defaults={"user_id": identity.user_id},
            )
    except IntegrityError:
        participant = Participant.objects.get(issue_key=issue_key, identity=identity.key)
    return participant


VALUES = {"agree": 1, "disagree": -1, "pass": 0}


def vote_cast(*, issue: DiscussionIssue, statement_id: int, value, identity: Identity) -> Vote:
    """Record (or change) ``identity``'s vote on a statement of an open issue.

    ``value`` is 1/−1/0 or "agree"/"disagree"/"pass". Exactly one vote per participant per
    statement (unique constraint; a concurrent second vote updates the first). Refused on
    an unknown value, a statement not on this issue or not votable (pending or moderated
    out), or an issue that is not open. Requests a recomputation of the analysis.
    """
    number = VALUES.get(value, value) if isinstance(value, str) else value
    if number not in (-1, 0, 1) or isinstance(number, bool):
        raise Refused("invalid_vote", _("Choose agree, disagree or pass."))
    if not issue.is_open:
        raise Refused("closed", CLOSED, 409)
    statement = (
        Statement.objects.filter(Statement.votable_q(), pk=statement_id, issue_key=issue.key)
        .only("pk")
        .first()
    )
    if statement is None:
        raise Refused("statement_unavailable", _("This statement cannot be voted on."), status=404)
    participant = participant_get_or_create(issue_key=issue.key, identity=identity)
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                vote = (
                    Vote.objects.select_for_update()
                    .filter(participant=participant, statement_id=statement.pk)
                    .first()
                )
                if vote is None:
                    vote = Vote.objects.create(
                        issue_key=issue.key,
                        participant=participant,
                        statement_id=statement.pk,
                        value=number,
                        created_at=now,
                    )
                elif vote.value != number:
                    vote.value = number
                    vote.changed_at = now
                    vote.save(update_fields=["value", "changed_at"])
            break
        except IntegrityError:
            continue  # the other request created it: update it on the second pass
    _analysis_request(issue.key)
    return vote


# ---------------------------------------------------------------- analysis
def _pending():
    return Q(requested_at__isnull=False) & (
        Q(computed_at__isnull=True) | Q(requested_at__gt=F("computed_at"))
    )


def _analysis_request(issue_key) -> None:
    """Mark the issue's analysis as out of date and, unless a recomputation is already
    pending, queue one after the commit (debounced: a burst of votes queues one task; the
    clock job catches anything a lost task missed)."""
    now = timezone.now()
    pending = AnalysisResult.objects.filter(_pending(), issue_key=issue_key).exists()
    updated = AnalysisResult.objects.filter(issue_key=issue_key).update(requested_at=now)
    if not updated:
        try:
            with transaction.atomic():
                AnalysisResult.objects.create(issue_key=issue_key, requested_at=now)
        except IntegrityError:
            AnalysisResult.objects.filter(issue_key=issue_key).update(requested_at=now)
    if not pending:
        from tawasul.discussions import tasks

        transaction.on_commit(lambda: tasks.analysis_refresh.enqueue(str(issue_key)))


def analysis_refresh(*, issue_key) -> bool:
    """Recompute the analysis if it was requested since it was last computed; returns
    whether it computed (idempotent: a second call right after does nothing)."""
    if not AnalysisResult.objects.filter(_pending(), issue_key=issue_key).exists():
        return False
    analysis_compute(issue_key=issue_key)
    return True


def analysis_compute(*, issue_key) -> AnalysisResult:
    """Run the opinion-group analysis on the issue's votes and store it (replacing the
    previous one). Reads the votes in one query as arrays; deterministic."""
    started = timezone.now()
    # Every statement is a column; those not votable (waiting, moderated out) count as 0.
    statements = list(
        Statement.objects.filter(issue_key=issue_key).order_by("pk").values_list("pk", flat=True)
    )
    votable = set(
        Statement.objects.filter(Statement.votable_q(), issue_key=issue_key).values_list(
            "pk", flat=True
        )
    )
    excluded_ids = [pk for pk in statements if pk not in votable]
    participants = list(
        Participant.objects.filter(issue_key=issue_key)
        .order_by("pk")
        .values_list("pk", "external_id")
    )
    # Votes streamed into one flat array (no Python tuple per vote kept), then mapped to
    # rows and columns by binary search on the ordered primary keys.
    votes = Vote.objects.filter(issue_key=issue_key).values_list(
        "participant_id", "statement_id", "value"
    )
    triples = np.fromiter(
        itertools.chain.from_iterable(votes.iterator(chunk_size=20_000)), dtype=np.int64
    ).reshape(-1, 3)
    participant_pks = np.array([pk for pk, _ext in participants], dtype=np.int64)
    statement_pks = np.array(statements, dtype=np.int64)
    # votes by participants or on statements newer than the lists above wait for next time
    known = np.isin(triples[:, 0], participant_pks) & np.isin(triples[:, 1], statement_pks)
    triples = triples[known]
    rows = np.searchsorted(participant_pks, triples[:, 0])
    cols = np.searchsorted(statement_pks, triples[:, 1])
    col = {pk: j for j, pk in enumerate(statements)}
    result = analysis.analyse(
        n_participants=len(participants),
        n_statements=len(statements),
        rows=rows,
        cols=cols,
        values=triples[:, 2],
        excluded=[col[pk] for pk in excluded_ids],
    )
    data = analysis_to_data(
        result,
        participant_ids=[ext if ext is not None else pk for pk, ext in participants],
        participant_pks=[pk for pk, _ext in participants],
        statement_ids=statements,
    )
    record, _created = AnalysisResult.objects.get_or_create(issue_key=issue_key)
    record.data = data
    record.votes = int(result.n_votes)
    record.computed_at = started
    record.save(update_fields=["data", "votes", "computed_at"])
    log.info(
        "opinion groups computed",
        extra={"issue_key": str(issue_key), "votes": result.n_votes, "groups": result.k},
    )
    return record


def analysis_to_data(result, *, participant_ids, participant_pks, statement_ids) -> dict:
    """The analysis as stored (JSON): ids are the public participant ids and statement pks."""

    def rep(r):
        return {
            "statement": statement_ids[r.statement],
            "direction": r.direction,
            "probability": round(r.probability, 4),
            "probability_test": round(r.probability_test, 4),
            "ratio": round(r.ratio, 4),
            "ratio_test": round(r.ratio_test, 4),
            "agrees": r.agrees,
            "disagrees": r.disagrees,
            "seen": r.seen,
        }

    def cons(c):
        return {
            "statement": statement_ids[c.statement],
            "probability": round(c.probability, 4),
            "probability_test": round(c.probability_test, 4),
        }

    positions = [
        [participant_pks[i], round(float(x), 4), round(float(y), 4), int(g)]
        for i, ((x, y), g) in enumerate(zip(result.positions, result.group_of, strict=True))
    ]
    counts = result.counts
    return {
        "groups": [
            {
                "id": g.id,
                "size": len(g.members),
                "participants": [participant_ids[i] for i in g.members],
                "centre": [round(g.centre[0], 4), round(g.centre[1], 4)],
                "representative": [rep(r) for r in g.representative],
            }
            for g in result.groups
        ],
        "consensus": {
            "agree": [cons(c) for c in result.consensus_agree],
            "disagree": [cons(c) for c in result.consensus_disagree],
        },
        "statements": {
            str(statement_ids[j]): {
                "agree": int(counts["agree"][j]),
                "disagree": int(counts["disagree"][j]),
                "seen": int(counts["seen"][j]),
                "extremity": round(float(result.extremity[j]), 4),
                "group_consensus": round(float(result.group_consensus[j]), 4),
            }
            for j in range(result.n_statements)
        },
        "positions": positions,  # [participant pk, x, y, group or -1]
        "participants": result.n_participants,
        "clustered": int(result.in_conversation.sum()),
        "votes": result.n_votes,
        "k": result.k,
        "silhouette": round(result.silhouette, 4),
        "explained": [round(v, 4) for v in result.explained],
    }


def analysis_refresh_due(*, limit: int = 20) -> int:
    """Recompute every analysis requested since it was last computed (the clock job);
    returns how many were computed."""
    due = list(
        AnalysisResult.objects.filter(_pending())
        .order_by("requested_at")
        .values_list("issue_key", flat=True)[:limit]
    )
    for issue_key in due:
        analysis_compute(issue_key=issue_key)
    return len(due)


# ---------------------------------------------------------------- import from Polis
@dataclass
class Imported:
    issue: DiscussionIssue
    created: bool
    statements: int
    participants: int
    votes: int


def _from_ms(value: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)


def _fingerprint(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in ("comments.csv", "votes.csv"):
        digest.update((directory / name).read_bytes())
    return "polis:" + digest.hexdigest()[:40]


def polis_import(*, directory, title: str = "", language: str = "") -> Imported:
    """Import a Polis export into a new (closed) issue with pseudonymous participants,
    then run the analysis.

    Validates the whole export first (``polis.PolisExportError`` with line numbers; nothing
    stored). Idempotent: the same files again return the issue already imported. Stored in
    one transaction: an error leaves nothing half-imported. Polis participants keep their
    ids (``Participant.external_id``); statements keep theirs (``external_id``); comments
    moderated out (−1) are kept, excluded from voting and from the analysis.
    """
    directory = Path(directory)
    export = polis.read_export(directory)
    source = _fingerprint(directory)
    existing = DiscussionIssue.objects.filter(source=source).first()
    if existing is not None:
        return Imported(existing, False, 0, 0, 0)
    locale = (
        Locale.objects.filter(language_code=language).first() if language else None
    ) or Locale.get_default()
    summary = ""
    summary_file = directory / "summary.csv"
    if summary_file.is_file():
        for line in summary_file.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("topic,"):
                summary = line.split(",", 1)[1].strip()
    name = title or summary or directory.name
    first = min((c.timestamp for c in export.comments), default=0)
    last = max((v.timestamp for v in export.votes), default=first)
    opens = _from_ms(first)
    closes = _from_ms(last + 1000)
    with transaction.atomic():
        issue = DiscussionIssue.objects.create(
            locale=locale,
            title=name[:200],
            question=name[:300],
            background=str(_("Imported from a Polis conversation export (%(name)s)."))
            % {"name": directory.name},
            status=DiscussionIssue.Status.CLOSED,
            opens_at=opens,
            closes_at=max(closes, opens + dt.timedelta(seconds=1)),
            source=source,
        )
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    issue_key=issue.key,
                    issue=issue,
                    text=c.body[:STATEMENT_MAX],
                    language="",
                    origin=Statement.Origin.IMPORTED,
                    excluded=c.moderated == -1,
                    matching_key=matching_key(c.body),
                    external_id=c.id,
                    created_at=_from_ms(c.timestamp),
                )
                for c in export.comments
            ],
            batch_size=1000,
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(issue_key=issue.key, identity=f"polis:{voter}", external_id=voter)
                for voter in export.voters
            ],
            batch_size=1000,
        )
        # bulk_create does not return primary keys on every database: read them back
        statement_pk = dict(
            Statement.objects.filter(issue_key=issue.key).values_list("external_id", "pk")
        )
        participant_pk = dict(
            Participant.objects.filter(issue_key=issue.key).values_list("external_id", "pk")
        )
        Vote.objects.bulk_create(
            [
                Vote(
                    issue_key=issue.key,
                    participant_id=participant_pk[v.voter],
                    statement_id=statement_pk[v.comment],
                    value=v.value,
                    created_at=_from_ms(v.timestamp),
                )
                for v in export.votes
            ],
            batch_size=2000,
        )
    analysis_compute(issue_key=issue.key)
    return Imported(issue, True, len(statements), len(participants), len(export.votes))
