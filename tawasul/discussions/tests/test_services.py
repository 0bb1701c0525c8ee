"""Statements, votes and the analysis through the services (what views and tasks call)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tawasul.comments import services as comments
from tawasul.comments.models import Comment
from tawasul.discussions import selectors, services
from tawasul.discussions.models import AnalysisResult, DiscussionIssue, Statement, Vote

pytestmark = pytest.mark.django_db

KEY = "k" * 20


def submit(issue, user, text, key=KEY):
    return services.statement_submit(issue=issue, author=user, text=text, idempotency_key=key)


def test_statement_is_moderated_by_the_comments_app(issue, citizen, moderator):
    statement = submit(issue, citizen.user, "  يجب توسيع  شبكة المترو\u202e  ")
    assert statement.text == "يجب توسيع شبكة المترو"  # neutralised, one line
    assert statement.state == Statement.State.PENDING
    assert statement.comment.thread.issue_statements_id == issue.pk
    assert statement not in selectors.votable_statements(issue.key)
    comments.comment_approve(comment_ids=[statement.comment_id], moderator=moderator.user)
    statement.refresh_from_db()
    assert statement.state == Statement.State.PUBLISHED
    assert statement in selectors.votable_statements(issue.key)
    comments.comment_reject(
        comment_ids=[statement.comment_id], moderator=moderator.user, reason="off_topic"
    )
    statement.refresh_from_db()
    assert statement.state == Statement.State.REJECTED


def test_post_moderation_publishes_at_once(issue, citizen, post_moderation):
    assert submit(issue, citizen.user, "أريد حافلات كهربائية").state == "published"


def test_same_form_twice_makes_one_statement(issue, citizen):
    first = submit(issue, citizen.user, "أريد حافلات كهربائية")
    again = submit(issue, citizen.user, "أريد حافلات كهربائية")
    assert first.pk == again.pk
    assert Statement.objects.filter(issue_key=issue.key, origin="citizen").count() == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("   ", "empty"), ("ب" * 281, "too_long")],
)
def test_bad_statements_are_refused(issue, citizen, text, code):
    with pytest.raises(ValidationError) as info:
        submit(issue, citizen.user, text)
    assert info.value.code == code
    assert not Comment.objects.filter(thread__issue_statements_id=issue.pk).exists()


def test_duplicate_statement_by_normalised_arabic_is_refused(issue, citizen, other_citizen):
    # the seed "الحافلات يجب أن تكون مجانية" with harakat, tatweel and other alef/ta forms
    with pytest.raises(services.Refused) as info:
        submit(issue, other_citizen.user, "الحافــلات يَجِب ان تكون مجانيه")
    assert info.value.code == "duplicate"
    assert not Comment.objects.filter(thread__issue_statements_id=issue.pk).exists()


def test_statement_on_a_closed_issue_is_refused(issue_factory, citizen):
    closed = issue_factory(status=DiscussionIssue.Status.CLOSED)
    with pytest.raises(services.Refused) as info:
        submit(closed, citizen.user, "رأي متأخر")
    assert info.value.code == "closed"


def test_vote_once_per_statement_and_changeable(issue, citizen):
    who = services.Identity(user_id=citizen.user.pk)
    statement = selectors.votable_statements(issue.key).first()
    services.vote_cast(issue=issue, statement_id=statement.pk, value="agree", identity=who)
    vote = services.vote_cast(
        issue=issue, statement_id=statement.pk, value="disagree", identity=who
    )
    assert Vote.objects.filter(statement=statement).count() == 1
    assert vote.value == -1 and vote.changed_at is not None


@pytest.mark.parametrize("value", ["yes", 2, None, True])
def test_unknown_vote_values_are_refused(issue, citizen, value):
    statement = selectors.votable_statements(issue.key).first()
    with pytest.raises(services.Refused):
        services.vote_cast(
            issue=issue,
            statement_id=statement.pk,
            value=value,
            identity=services.Identity(user_id=citizen.user.pk),
        )
    assert not Vote.objects.filter(issue_key=issue.key).exists()


def test_vote_on_a_moderated_out_or_pending_statement_is_refused(issue, citizen):
    pending = submit(issue, citizen.user, "رأي ينتظر المراجعة")
    seed = selectors.votable_statements(issue.key).first()
    Statement.objects.filter(pk=seed.pk).update(excluded=True)
    for statement in (pending, seed):
        with pytest.raises(services.Refused) as info:
            services.vote_cast(
                issue=issue,
                statement_id=statement.pk,
                value=1,
                identity=services.Identity(user_id=citizen.user.pk),
            )
        assert info.value.code == "statement_unavailable"


def test_votes_request_the_analysis_which_runs_in_a_task(
    issue, user_factory, django_capture_on_commit_callbacks
):
    statements = list(selectors.votable_statements(issue.key))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        for n in range(20):
            who = services.Identity(user_id=user_factory().pk)
            for i, statement in enumerate(statements):
                value = 1 if (n % 2 == 0) == (i % 2 == 0) else -1
                services.vote_cast(
                    issue=issue, statement_id=statement.pk, value=value, identity=who
                )
    assert len(queued) < 60  # debounced: not one computation per vote
    result = AnalysisResult.objects.get(issue_key=issue.key)
    assert result.computed_at is not None  # the immediate task backend ran it
    services.analysis_refresh_due()
    result = selectors.analysis_of(issue.key)
    assert result.votes == 60
    assert result.data["k"] == 2
    assert sorted(g["size"] for g in result.data["groups"]) == [10, 10]
    # nothing new: the refresh does nothing
    assert services.analysis_refresh(issue_key=issue.key) is False


def test_next_statement_prefers_unvoted_and_new_statements(issue, citizen):
    who = services.Identity(user_id=citizen.user.pk)
    seen = set()
    for _ in range(3):
        participant = selectors.participant_of(issue.key, who.key)
        statement = selectors.next_statement(issue.key, participant)
        assert statement.pk not in seen
        seen.add(statement.pk)
        services.vote_cast(issue=issue, statement_id=statement.pk, value=0, identity=who)
    participant = selectors.participant_of(issue.key, who.key)
    assert selectors.next_statement(issue.key, participant) is None
