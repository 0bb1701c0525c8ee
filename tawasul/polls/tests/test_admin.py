"""Staff screens: writing a poll in the admin, results and their log, exports, free answers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from tawasul.polls import selectors, services
from tawasul.polls.models import Poll, ResultsAccess, Vote

pytestmark = pytest.mark.django_db

# Wagtail's admin answers a permission refusal with a redirect to its dashboard.
DENIED = (302, 403)


def cast(poll, n: int, *indexes, other_text=""):
    choices = list(poll.choices.all())
    ballot = services.ballot_clean(
        poll,
        choices,
        choice_ids=[choices[i].pk for i in indexes],
        other=bool(other_text),
        other_text=other_text,
    )
    return services.poll_vote_cast(
        poll=poll, ballot=ballot, voter=services.Voter(browser=f"{n:032x}"), language="ar"
    )


def closed(poll):
    Poll.objects.filter(translation_key=poll.translation_key).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    poll.refresh_from_db()
    return poll


def form_data(**overrides) -> dict:
    now = timezone.localtime()
    data = {
        "question": "هل تؤيد تمديد ساعات العمل؟",
        "description": "",
        "kind": "single",
        "max_choices": "",
        "electorate": "anyone",
        "results_visibility": "after_voting",
        "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
        "status": "published",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "12",
        "choices-0-label": "نعم",
        "choices-0-ORDER": "1",
        "choices-1-label": "لا",
        "choices-1-ORDER": "2",
    }
    data.update(overrides)
    return data


def test_editor_writes_a_poll_in_the_admin(editor):
    response = editor.post("/admin/snippets/polls/poll/add/?locale=ar", form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    poll = Poll.objects.get(question="هل تؤيد تمديد ساعات العمل؟")
    assert poll.state == "open" and [c.label for c in poll.choices.all()] == ["نعم", "لا"]


def in_arabic(message: str, **params) -> str:
    """The admin speaks Arabic to these staff members (the site's first language)."""
    from django.utils import translation
    from django.utils.html import escape

    with translation.override("ar"):
        text = translation.gettext(message)
        return escape(text % params if params else text)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choices-TOTAL_FORMS": "1"}, None),  # Django's own "at least 2 forms"
        ({"closes_at": "2020-01-01 00:00"}, "The poll must close after it opens."),
        ({"kind": "multiple", "max_choices": "9"}, "That is more than the number of choices."),
    ],
)
def test_admin_refuses_a_poll_that_cannot_work(editor, overrides, message):
    response = editor.post("/admin/snippets/polls/poll/add/?locale=ar", form_data(**overrides))
    assert response.status_code == 200
    if message:
        assert in_arabic(message) in response.content.decode()
    assert not Poll.objects.filter(question="هل تؤيد تمديد ساعات العمل؟").exists()


def test_editing_one_language_keeps_the_translation_in_step(editor, poll_factory):
    poll = poll_factory(english=("Longer hours?", ("Yes", "No", "Maybe")))
    choices = list(poll.choices.all())
    data = form_data(
        question=poll.question,
        allow_change="on",
        **{
            "choices-TOTAL_FORMS": "3",
            "choices-INITIAL_FORMS": "3",
        },
    )
    for n, choice in enumerate(choices):
        data[f"choices-{n}-id"] = str(choice.pk)
        data[f"choices-{n}-label"] = choice.label
        data[f"choices-{n}-ORDER"] = str(n + 1)
    response = editor.post(f"/admin/snippets/polls/poll/edit/{poll.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    english = Poll.objects.get(translation_key=poll.translation_key, locale__language_code="en")
    assert english.allow_change is True
    assert english.question == "Longer hours?"


def test_a_choice_with_votes_cannot_be_removed(editor, poll_factory):
    poll = poll_factory()
    cast(poll, 1, 0)
    choices = list(poll.choices.all())
    data = form_data(
        question=poll.question, **{"choices-TOTAL_FORMS": "3", "choices-INITIAL_FORMS": "3"}
    )
    for n, choice in enumerate(choices):
        data[f"choices-{n}-id"] = str(choice.pk)
        data[f"choices-{n}-label"] = choice.label
        data[f"choices-{n}-ORDER"] = str(n + 1)
    data["choices-0-DELETE"] = "1"
    response = editor.post(f"/admin/snippets/polls/poll/edit/{poll.pk}/", data)
    assert response.status_code == 200
    expected = in_arabic("“%(choice)s” has votes and cannot be removed.", choice=choices[0].label)
    assert expected in response.content.decode()
    assert poll.choices.count() == 3


def test_a_poll_with_votes_cannot_be_deleted(admin, poll_factory):
    poll = poll_factory()
    cast(poll, 1, 0)
    response = admin.post(f"/admin/snippets/polls/poll/delete/{poll.pk}/")
    assert response.status_code == 302
    assert Poll.objects.filter(pk=poll.pk).exists()


# ---------------------------------------------------------------- results and the log
def test_analyst_sees_live_results_only_when_the_poll_allows_and_each_view_is_logged(
    analyst, poll_factory
):
    sealed = poll_factory(staff_see_live_results=False)
    response = analyst.get(f"/admin/polls_admin/results/{sealed.pk}/")
    assert response.status_code == 403
    assert not ResultsAccess.objects.filter(poll_key=sealed.translation_key).exists()
    watched = poll_factory(staff_see_live_results=True)
    cast(watched, 1, 0)
    response = analyst.get(f"/admin/polls_admin/results/{watched.pk}/")
    assert response.status_code == 200
    assert "poll-chart" in response.content.decode()
    entry = ResultsAccess.objects.get(poll_key=watched.translation_key)
    assert entry.user_email == "analyst@example.org" and entry.action == "results"
    log = analyst.get("/admin/polls/results-log/")
    assert log.status_code == 200 and "analyst@example.org" in log.content.decode()


def test_nobody_edits_or_deletes_the_log(admin, analyst, poll_factory):
    poll = poll_factory(staff_see_live_results=True)
    analyst.get(f"/admin/polls_admin/results/{poll.pk}/")
    entry = ResultsAccess.objects.get(poll_key=poll.translation_key)
    for client in (admin, analyst):
        assert client.get(f"/admin/polls/results-log/edit/{entry.pk}/").status_code in DENIED
        client.post(f"/admin/polls/results-log/delete/{entry.pk}/")
    assert ResultsAccess.objects.filter(pk=entry.pk).exists()


def test_editor_cannot_see_results(editor, poll_factory):
    poll = closed(poll_factory())
    assert editor.get(f"/admin/polls_admin/results/{poll.pk}/").status_code == 403
    export = editor.get(f"/admin/polls_admin/results/{poll.pk}/export/votes.csv")
    assert export.status_code in DENIED


def test_results_csv_for_analysts(analyst, poll_factory):
    poll = poll_factory()
    cast(poll, 1, 0)
    cast(poll, 2, 0)
    cast(poll, 3, 2)
    poll = closed(poll)
    response = analyst.get(f"/admin/polls_admin/results/{poll.pk}/export/results.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["ممتازة", "2", "66.7"] in rows and ["ضعيفة", "1", "33.3"] in rows
    assert not ResultsAccess.objects.filter(poll_key=poll.translation_key).exists()  # closed


def test_anonymised_votes_xlsx_has_times_and_no_voter(analyst, poll_factory):
    from openpyxl import load_workbook

    poll = poll_factory(allow_other=True)
    cast(poll, 1, 1)
    cast(poll, 2, other_text='=HYPERLINK("http://evil.example")')
    cast(poll, 3, other_text="رقم هاتفي 5555")
    accepted, rejected = (
        Vote.objects.filter(poll_key=poll.translation_key).exclude(other_status="").order_by("pk")
    )
    services.vote_other_review(vote_id=accepted.pk, status="accepted", user=analyst.user)
    services.vote_other_review(vote_id=rejected.pk, status="rejected", user=analyst.user)
    poll = closed(poll)
    response = analyst.get(f"/admin/polls_admin/results/{poll.pk}/export/votes.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert (len(rows) == 4 and rows[0][0] == "Number") or rows[0][0] == "الرقم"
    flat = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "5555" not in flat  # rejected free answer left out
    assert "'=HYPERLINK" in flat  # a formula is written as text
    assert "0" * 31 not in flat and f"{1:032x}" not in flat  # no browser identifier
    assert all(len(str(row[1])) == 16 for row in rows[1:])  # YYYY-MM-DD HH:MM


def test_exporting_live_results_is_logged(analyst, poll_factory):
    poll = poll_factory(staff_see_live_results=True)
    response = analyst.get(f"/admin/polls_admin/results/{poll.pk}/export/votes.csv")
    assert response.status_code == 200
    assert ResultsAccess.objects.get(poll_key=poll.translation_key).action == "export votes csv"


def test_odd_export_names_are_refused(analyst, poll_factory):
    poll = closed(poll_factory())
    for name in ("secrets.csv", "votes.pdf"):
        response = analyst.get(f"/admin/polls_admin/results/{poll.pk}/export/{name}")
        assert response.status_code in DENIED


def test_editor_closes_a_poll_early(editor, poll_factory):
    poll = poll_factory(english=("Q?", ("a", "b", "c")))
    response = editor.post(f"/admin/polls_admin/results/{poll.pk}/close/")
    assert response.status_code == 302
    assert {p.state for p in Poll.objects.filter(translation_key=poll.translation_key)} == {
        "closed"
    }


# ---------------------------------------------------------------- free answers
def test_moderator_reviews_free_answers(moderator, poll_factory):
    poll = poll_factory(allow_other=True)
    cast(poll, 1, other_text="<script>alert(1)</script>")
    queue = moderator.get("/admin/polls_admin/other-answers/")
    body = queue.content.decode()
    assert queue.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body
    vote = Vote.objects.get(poll_key=poll.translation_key)
    response = moderator.post(
        f"/admin/polls_admin/other-answers/{vote.pk}/review/", {"decision": "rejected"}
    )
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.other_status == "rejected"
    assert selectors.poll_tally(poll).rows[-1].votes == 1  # still counted as "Other"


def test_free_answers_are_for_moderators_only(analyst, editor):
    for client in (analyst, editor):
        assert client.get("/admin/polls_admin/other-answers/").status_code in DENIED


def test_free_answers_are_never_on_public_pages_or_the_api(anonymous, poll_factory):
    poll = poll_factory(allow_other=True, results_visibility=Poll.Visibility.ALWAYS)
    cast(poll, 1, other_text="نص سري لا يُنشر")
    Vote.objects.filter(poll_key=poll.translation_key).update(other_status="accepted")
    assert "نص سري" not in anonymous.get(f"/ar/polls/{poll.pk}/").content.decode()
    assert "نص سري" not in anonymous.get(f"/api/v1/polls/{poll.pk}").content.decode()
    assert "نص سري" not in anonymous.get("/api/v1/polls").content.decode()


def test_editor_translates_a_poll_with_wagtails_translate_action(editor, poll_factory):
    from wagtail.models import Locale

    poll = poll_factory(allow_other=True)
    english_locale = Locale.objects.get(language_code="en")
    response = editor.post(
        f"/admin/translation/submit/snippet/polls/poll/{poll.pk}/",
        {"locales": [english_locale.pk]},
    )
    assert response.status_code == 302
    english = Poll.objects.get(translation_key=poll.translation_key, locale=english_locale)
    assert english.allow_other and english.closes_at == poll.closes_at
    assert [c.translation_key for c in english.choices.all()] == [
        c.translation_key for c in poll.choices.all()
    ]
    # A vote through either language counts in the same poll.
    cast(poll, 1, 0)
    assert selectors.poll_tally(english).voters == 1
