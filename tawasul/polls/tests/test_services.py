"""Casting votes, keeping translations in step, reviewing free answers, logging staff views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tawasul.polls import selectors, services
from tawasul.polls.models import Poll, PollChoice, ResultsAccess, Vote, VoteChoice

pytestmark = pytest.mark.django_db

ENGLISH = ("What do you think of the service?", ("Excellent", "Good", "Poor"))


def ballot(poll, *indexes, other_text=""):
    choices = list(poll.choices.all())
    return services.ballot_clean(
        poll,
        choices,
        choice_ids=[choices[i].pk for i in indexes],
        other=bool(other_text),
        other_text=other_text,
    )


def browser(n: int) -> services.Voter:
    return services.Voter(browser=f"{n:032x}")


def votes(poll):
    return Vote.objects.filter(poll_key=poll.translation_key)


def counts(poll) -> dict[str, int]:
    return {row.label: row.votes for row in selectors.poll_tally(poll).rows}


def test_a_vote_is_counted_once(poll_factory):
    poll = poll_factory()
    result = services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, 0), voter=browser(1), language="ar"
    )
    assert not result.changed
    tally = selectors.poll_tally(poll)
    assert tally.voters == 1
    assert counts(poll) == {"ممتازة": 1, "جيدة": 0, "ضعيفة": 0}
    assert tally.rows[0].percent == 100.0


def test_second_vote_from_the_same_browser_is_refused_and_not_counted(poll_factory):
    poll = poll_factory()
    services.poll_vote_cast(poll=poll, ballot=ballot(poll, 0), voter=browser(1), language="ar")
    with pytest.raises(services.AlreadyVoted):
        services.poll_vote_cast(poll=poll, ballot=ballot(poll, 1), voter=browser(1), language="ar")
    assert counts(poll) == {"ممتازة": 1, "جيدة": 0, "ضعيفة": 0}
    assert votes(poll).count() == 1
    assert VoteChoice.objects.filter(poll_key=poll.translation_key).count() == 1


def test_second_vote_from_the_same_citizen_is_refused(poll_factory, user_factory):
    poll = poll_factory(electorate=Poll.Electorate.CITIZENS)
    citizen = services.Voter(user_id=user_factory().pk)
    services.poll_vote_cast(poll=poll, ballot=ballot(poll, 0), voter=citizen, language="ar")
    with pytest.raises(services.AlreadyVoted):
        services.poll_vote_cast(poll=poll, ballot=ballot(poll, 2), voter=citizen, language="en")


def test_signing_out_does_not_give_a_browser_a_second_vote(poll_factory, user_factory):
    poll = poll_factory()
    user = user_factory()
    signed_in = services.Voter(user_id=user.pk, browser="a" * 32)
    services.poll_vote_cast(poll=poll, ballot=ballot(poll, 0), voter=signed_in, language="ar")
    with pytest.raises(services.AlreadyVoted):
        services.poll_vote_cast(
            poll=poll, ballot=ballot(poll, 1), voter=services.Voter(browser="a" * 32), language="ar"
        )
    with pytest.raises(services.AlreadyVoted):  # the same account on another browser
        services.poll_vote_cast(
            poll=poll,
            ballot=ballot(poll, 1),
            voter=services.Voter(user_id=user.pk, browser="b" * 32),
            language="ar",
        )
    assert votes(poll).count() == 1


def test_a_vote_in_english_and_one_in_arabic_count_in_the_same_poll(poll_factory):
    poll = poll_factory(english=ENGLISH)
    english = Poll.objects.get(translation_key=poll.translation_key, locale__language_code="en")
    services.poll_vote_cast(poll=poll, ballot=ballot(poll, 1), voter=browser(1), language="ar")
    services.poll_vote_cast(
        poll=english, ballot=ballot(english, 1), voter=browser(2), language="en"
    )
    assert counts(poll)["جيدة"] == 2
    assert counts(english)["Good"] == 2
    with pytest.raises(services.AlreadyVoted):  # one vote per poll, whatever the language
        services.poll_vote_cast(
            poll=english, ballot=ballot(english, 0), voter=browser(1), language="en"
        )


def test_a_poll_that_allows_changes_replaces_the_vote(poll_factory):
    poll = poll_factory(allow_change=True)
    first = services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, 0), voter=browser(1), language="ar"
    )
    second = services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, 2), voter=browser(1), language="ar"
    )
    assert second.changed and second.vote_id == first.vote_id
    assert counts(poll) == {"ممتازة": 0, "جيدة": 0, "ضعيفة": 1}
    assert votes(poll).get().changed_at is not None


@pytest.mark.parametrize(
    ("change", "state"),
    [
        ({"closes_at": timezone.now() - dt.timedelta(minutes=1)}, "closed"),
        ({"opens_at": timezone.now() + dt.timedelta(days=1)}, "scheduled"),
        ({"status": Poll.Status.DRAFT}, "draft"),
    ],
)
def test_votes_in_a_poll_that_is_not_open_are_refused(poll_factory, change, state):
    poll = poll_factory(allow_change=True)
    the_ballot = ballot(poll, 0)
    for name, value in change.items():
        setattr(poll, name, value)
    poll.save()
    assert poll.state == state
    with pytest.raises(services.PollNotOpen):
        services.poll_vote_cast(poll=poll, ballot=the_ballot, voter=browser(1), language="ar")
    assert not votes(poll).exists()


def test_changing_a_vote_after_the_poll_closed_is_refused(poll_factory):
    poll = poll_factory(allow_change=True)
    services.poll_vote_cast(poll=poll, ballot=ballot(poll, 0), voter=browser(1), language="ar")
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save()
    with pytest.raises(services.PollNotOpen):
        services.poll_vote_cast(poll=poll, ballot=ballot(poll, 1), voter=browser(1), language="ar")
    assert counts(poll)["ممتازة"] == 1


# ---------------------------------------------------------------- ballots
def test_multiple_choice_counts_each_ticked_answer_and_the_voter_once(poll_factory):
    poll = poll_factory(kind=Poll.Kind.MULTIPLE, max_choices=2)
    services.poll_vote_cast(poll=poll, ballot=ballot(poll, 0, 2), voter=browser(1), language="ar")
    tally = selectors.poll_tally(poll)
    assert tally.voters == 1
    assert [row.votes for row in tally.rows] == [1, 0, 1]


def test_other_answer_is_counted_stored_and_waits_for_review(poll_factory):
    poll = poll_factory(allow_other=True)
    services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, other_text=" تطبيق للهاتف "), voter=browser(1), language="ar"
    )
    vote = votes(poll).get()
    assert vote.other_text == "تطبيق للهاتف"
    assert vote.other_status == Vote.OtherStatus.PENDING
    other = selectors.poll_tally(poll).rows[-1]
    assert other.is_other and other.votes == 1


@pytest.mark.parametrize(
    ("fields", "kwargs", "message"),
    [
        ({}, {"choice_ids": []}, "Please choose an answer."),
        ({}, {"choice_ids": [0, 1]}, "Please choose only one answer."),
        ({}, {"choice_ids": [999_999]}, "not an answer of this poll"),
        ({}, {"choice_ids": [0, 0]}, "sent twice"),
        ({}, {"choice_ids": [], "other": True, "other_text": "x"}, "no “Other” answer"),
        (
            {"kind": Poll.Kind.MULTIPLE, "max_choices": 2},
            {"choice_ids": [0, 1, 2]},
            "at most 2 answers",
        ),
        ({"allow_other": True}, {"choice_ids": [], "other": True}, "write your other answer"),
        (
            {"allow_other": True},
            {"choice_ids": [0], "other_text": "unticked"},
            "tick “Other”",
        ),
        (
            {"allow_other": True},
            {"choice_ids": [], "other": True, "other_text": "abc\u202edef"},
            "direction-changing",
        ),
        (
            {"allow_other": True},
            {"choice_ids": [], "other": True, "other_text": "x" * 301},
            "under 300 characters",
        ),
        (
            {"allow_other": True},
            {"choice_ids": [], "other": True, "other_text": "\u200b\u200b"},
            "invisible",
        ),
    ],
)
def test_bad_ballots_get_a_clear_message_and_count_nothing(poll_factory, fields, kwargs, message):
    from django.utils import translation

    poll = poll_factory(**fields)
    choices = list(poll.choices.all())
    ids = [choices[i].pk if i < len(choices) else i for i in kwargs.pop("choice_ids")]
    with translation.override("en"), pytest.raises(services.InvalidBallot) as refused:
        services.ballot_clean(poll, choices, choice_ids=ids, **kwargs)
    assert message in refused.value.message
    assert not votes(poll).exists()


def test_script_and_sql_in_a_free_answer_are_kept_as_plain_text(poll_factory):
    poll = poll_factory(allow_other=True)
    hostile = "<script>alert(1)</script>'; DROP TABLE polls_vote; --"
    services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, other_text=hostile), voter=browser(1), language="ar"
    )
    assert votes(poll).get().other_text == hostile


# ---------------------------------------------------------------- staff
def test_saving_one_language_copies_the_rules_and_choices_to_the_other(poll_factory):
    poll = poll_factory(english=ENGLISH)
    english = Poll.objects.get(translation_key=poll.translation_key, locale__language_code="en")
    poll.closes_at = timezone.now() + dt.timedelta(days=3)
    poll.allow_change = True
    poll.save()
    added = PollChoice.objects.create(poll=poll, label="لا أعرف", sort_order=3, locale=poll.locale)
    PollChoice.objects.filter(poll=poll, label="ضعيفة").delete()
    assert services.poll_sync_translations(poll=poll) == 1
    english.refresh_from_db()
    assert english.closes_at == poll.closes_at and english.allow_change
    keys = list(english.choices.values_list("translation_key", "label"))
    assert [key for key, _ in keys] == [c.translation_key for c in poll.choices.all()]
    assert (added.translation_key, "لا أعرف") in keys  # to be translated by staff
    assert services.poll_sync_translations(poll=poll) == 1  # idempotent
    assert english.choices.count() == 3


def test_closing_now_closes_every_language(poll_factory, user_factory):
    poll = poll_factory(english=ENGLISH)
    services.poll_close_now(poll=poll, user=user_factory())
    assert {p.state for p in Poll.objects.filter(translation_key=poll.translation_key)} == {
        "closed"
    }


def test_staff_views_of_live_results_are_logged_and_of_closed_ones_not(poll_factory, user_factory):
    poll = poll_factory()
    analyst = user_factory()
    entry = services.results_access_log(poll=poll, user=analyst, action="results")
    assert entry is not None and entry.user_email == analyst.email
    poll.closes_at = timezone.now() - dt.timedelta(seconds=1)
    poll.save()
    assert services.results_access_log(poll=poll, user=analyst, action="results") is None
    assert ResultsAccess.objects.filter(poll_key=poll.translation_key).count() == 1


def test_reviewing_a_free_answer_is_a_conditional_update(poll_factory, user_factory):
    poll = poll_factory(allow_other=True)
    services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, other_text="رأي"), voter=browser(1), language="ar"
    )
    services.poll_vote_cast(poll=poll, ballot=ballot(poll, 0), voter=browser(2), language="ar")
    moderator = user_factory()
    with_text, without = votes(poll).order_by("pk")
    assert services.vote_other_review(vote_id=with_text.pk, status="accepted", user=moderator)
    assert not services.vote_other_review(vote_id=without.pk, status="accepted", user=moderator)
    with_text.refresh_from_db()
    assert with_text.other_status == "accepted" and with_text.other_reviewed_by == moderator
    with pytest.raises(ValueError):
        services.vote_other_review(vote_id=with_text.pk, status="published", user=moderator)


def test_a_persons_votes_are_in_their_data_download(poll_factory, user_factory):
    from tawasul.accounts.services import user_export_data

    poll = poll_factory(electorate=Poll.Electorate.CITIZENS)
    user = user_factory()
    services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, 1), voter=services.Voter(user_id=user.pk), language="ar"
    )
    exported = user_export_data(user=user)["poll_votes"]
    assert exported[0]["poll"] == poll.question and exported[0]["choices"] == ["جيدة"]


def test_deleting_an_account_keeps_its_vote_counted(poll_factory, user_factory):
    from tawasul.accounts.services import user_delete

    poll = poll_factory(electorate=Poll.Electorate.CITIZENS)
    user = user_factory()
    services.poll_vote_cast(
        poll=poll, ballot=ballot(poll, 1), voter=services.Voter(user_id=user.pk), language="ar"
    )
    user_delete(user=user)
    assert selectors.poll_tally(poll).voters == 1
    assert votes(poll).get().user is None


def test_demo_polls_tallies_equal_their_stored_votes(demo_site):
    for poll in Poll.objects.all():
        tally = selectors.poll_tally(poll)
        assert tally.voters == Vote.objects.filter(poll_key=poll.translation_key).count()
        assert tally.selections == VoteChoice.objects.filter(poll_key=poll.translation_key).count()
    states = set(Poll.objects.values_list("locale__language_code", flat=True))
    assert states == {"ar", "en"}
    assert {poll.state for poll in Poll.objects.all()} == {"open", "closed"}
