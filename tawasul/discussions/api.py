"""Issues for discussion in the public API (read-only): issues, their statements and the
opinion groups of the latest analysis. See docs/discussions.md."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tawasul.discussions import selectors
from tawasul.discussions.models import DiscussionIssue

router = Router(tags=["discussions"])


class ErrorOut(Schema):
    code: str
    message: str


class IssueOut(Schema):
    id: int
    key: uuid.UUID = Field(description="the issue across its languages")
    lang: str
    title: str
    question: str
    background: str
    state: Literal["open", "closed", "archived"]
    voters: Literal["citizens", "anyone"]
    opens_at: dt.datetime
    closes_at: dt.datetime | None
    url: str
    statements: int
    participants: int
    what_we_heard: str = Field(description="the ministry's outcome, once closed")
    what_we_will_do: str


class IssuePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IssueOut]


class IssueFilters(Schema):
    lang: Literal["ar", "en"] | None = Field(None, description="ar or en; both when absent")
    state: Literal["open", "closed", "archived"] | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class StatementOut(Schema):
    id: int
    text: str
    lang: str
    origin: Literal["citizen", "seed", "imported"]
    external_id: int | None = Field(description="the id in an imported export")
    agrees: int
    disagrees: int
    passes: int
    created_at: dt.datetime


class RepresentativeOut(Schema):
    statement: int
    direction: Literal["agree", "disagree"]
    probability: float = Field(description="share of the group on this side (smoothed)")
    ratio: float = Field(description="how much more than the rest of the participants")
    agrees: int
    disagrees: int
    seen: int


class GroupOut(Schema):
    id: int
    size: int
    participants: list[int] = Field(description="participant ids (as imported, if imported)")
    representative: list[RepresentativeOut]


class ConsensusItem(Schema):
    statement: int
    probability: float


class ConsensusOut(Schema):
    agree: list[ConsensusItem]
    disagree: list[ConsensusItem]


class OpinionGroupsOut(Schema):
    groups: list[GroupOut]
    consensus: ConsensusOut
    computed_at: dt.datetime | None
    participants: int
    votes: int


def _serialise(request, issue: DiscussionIssue) -> dict:
    from tawasul.discussions.models import Participant

    return {
        "id": issue.pk,
        "key": issue.key,
        "lang": issue.locale.language_code,
        "title": issue.title,
        "question": issue.question,
        "background": issue.background,
        "state": issue.state if issue.state != "scheduled" else "open",
        "voters": issue.voters,
        "opens_at": issue.opens_at,
        "closes_at": issue.closes_at,
        "url": request.build_absolute_uri(issue.get_absolute_url()),
        "statements": selectors.votable_statements(issue.key).count(),
        "participants": Participant.objects.filter(issue_key=issue.key).count(),
        "what_we_heard": issue.what_we_heard if issue.state != "open" else "",
        "what_we_will_do": issue.what_we_will_do if issue.state != "open" else "",
    }


def _not_found():
    return Status(404, {"code": "not_found", "message": "no such issue"})


@router.get("", response=IssuePage, summary="List issues for discussion")
def list_issues(request, filters: Query[IssueFilters], response: HttpResponse):
    issues = list(selectors.public_issues(filters.lang))
    if filters.state:
        issues = [i for i in issues if i.state == filters.state]
    start = (filters.page - 1) * filters.page_size
    page = issues[start : start + filters.page_size]
    return {
        "count": len(issues),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_serialise(request, issue) for issue in page],
    }


@router.get("/{issue_id}", response={200: IssueOut, 404: ErrorOut}, summary="One issue")
def get_issue(request, issue_id: int):
    issue = selectors.public_issue(issue_id)
    if issue is None:
        return _not_found()
    return _serialise(request, issue)


@router.get(
    "/{issue_id}/statements",
    response={200: list[StatementOut], 404: ErrorOut},
    summary="The published statements of an issue, with their votes",
)
def list_statements(request, issue_id: int):
    issue = selectors.public_issue(issue_id)
    if issue is None:
        return _not_found()
    return [
        {
            "id": s.pk,
            "text": s.text,
            "lang": s.language,
            "origin": s.origin,
            "external_id": s.external_id,
            "agrees": s.agrees,
            "disagrees": s.disagrees,
            "passes": s.passes,
            "created_at": s.created_at,
        }
        for s in selectors.statements_with_counts(issue.key)
    ]


@router.get(
    "/{issue_id}/opinion-groups",
    response={200: OpinionGroupsOut, 404: ErrorOut},
    summary="Opinion groups of the latest analysis",
)
def opinion_groups(request, issue_id: int):
    """The groups found by the latest analysis (recomputed in the background after votes,
    so it may lag the votes by a minute or so; `computed_at` tells when). Participants are
    listed by their pseudonymous id — for an imported conversation, the id in the export."""
    issue = selectors.public_issue(issue_id)
    if issue is None:
        return _not_found()
    result = selectors.analysis_of(issue.key)
    data = result.data if result else {}
    return {
        "groups": data.get("groups", []),
        "consensus": data.get("consensus", {"agree": [], "disagree": []}),
        "computed_at": result.computed_at if result else None,
        "participants": data.get("participants", 0),
        "votes": data.get("votes", 0),
    }
