"""`tawasul import-polis` and the public API: the groups of an imported conversation."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tawasul.discussions import analysis
from tawasul.discussions.models import DiscussionIssue, Participant, Statement, Vote

pytestmark = pytest.mark.django_db

POLIS_DIR = Path("/work/shared/data/polis/15-per-hour-seattle")
needs_data = pytest.mark.skipif(not POLIS_DIR.is_dir(), reason="shared Polis data not present")

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1000,x,0,10,0,0,1,First statement\n"
    "2000,x,1,11,0,0,-1,Moderated out\n"
    "3000,x,2,11,0,0,0,Third statement\n"
)
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n5000,x,0,7,1\n3000,x,0,7,-1\n4000,x,2,8,0\n"


def export(tmp_path, comments=COMMENTS, votes=VOTES) -> Path:
    (tmp_path / "comments.csv").write_text(comments, encoding="utf-8")
    (tmp_path / "votes.csv").write_text(votes, encoding="utf-8")
    return tmp_path


def run(directory) -> str:
    out = io.StringIO()
    call_command("import_polis", str(directory), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_is_idempotent_and_keeps_the_latest_vote(tmp_path):
    directory = export(tmp_path)
    assert "Imported issue" in run(directory)
    issue = DiscussionIssue.objects.get(source__startswith="polis:")
    assert issue.state == "closed"
    assert Statement.objects.filter(issue_key=issue.key).count() == 3
    assert Statement.objects.get(issue_key=issue.key, external_id=1).state == "rejected"
    assert sorted(
        Participant.objects.filter(issue_key=issue.key).values_list("external_id", flat=True)
    ) == [7, 8]
    assert Vote.objects.get(issue_key=issue.key, statement__external_id=0).value == 1
    assert "Already imported" in run(directory)
    assert DiscussionIssue.objects.filter(source__startswith="polis:").count() == 1


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ("timestamp,comment-id,voter-id\n1,0,7\n", "missing column(s): vote"),
        ("timestamp,comment-id,voter-id,vote\n1,0,7,1\n1,9,7,1\n", "line 3: unknown comment id 9"),
        ("timestamp,comment-id,voter-id,vote\n1,0,7,5\n", "line 2: unknown vote value 5"),
    ],
)
def test_bad_export_is_refused_with_line_numbers_and_nothing_stored(tmp_path, votes, message):
    directory = export(tmp_path, votes=votes)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_polis", str(directory), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue()
    assert not DiscussionIssue.objects.filter(source__startswith="polis:").exists()


def test_api_lists_issues_statements_and_groups(tmp_path, client):
    run(export(tmp_path))
    issue = DiscussionIssue.objects.get(source__startswith="polis:")
    listing = client.get("/api/v1/discussions", {"state": "closed"}).json()
    assert issue.pk in [i["id"] for i in listing["results"]]
    one = client.get(f"/api/v1/discussions/{issue.pk}").json()
    assert one["state"] == "closed" and one["statements"] == 2
    statements = client.get(f"/api/v1/discussions/{issue.pk}/statements").json()
    assert [s["external_id"] for s in statements] == [0, 2]  # the moderated one is left out
    groups = client.get(f"/api/v1/discussions/{issue.pk}/opinion-groups").json()
    assert set(groups) >= {"groups", "consensus", "computed_at"}
    assert set(groups["consensus"]) == {"agree", "disagree"}
    members = [p for g in groups["groups"] for p in g["participants"]]
    assert sorted(members) == [7, 8]
    assert client.get("/api/v1/discussions/999999").status_code == 404


def test_drafts_are_not_in_the_api(issue_factory, client):
    draft = issue_factory(status=DiscussionIssue.Status.DRAFT)
    assert client.get(f"/api/v1/discussions/{draft.pk}").status_code == 404


@needs_data
def test_imported_seattle_groups_match_polis(tmp_path, client):
    shutil.copy(POLIS_DIR / "comments.csv", tmp_path)
    shutil.copy(POLIS_DIR / "votes.csv", tmp_path)
    run(tmp_path)
    issue = DiscussionIssue.objects.get(source__startswith="polis:")
    groups = client.get(f"/api/v1/discussions/{issue.pk}/opinion-groups").json()["groups"]
    ours = {p: g["id"] for g in groups for p in g["participants"]}
    with (POLIS_DIR / "participants-votes.csv").open(newline="") as fh:
        theirs = {
            int(r["participant"]): int(r["group-id"])
            for r in csv.DictReader(fh)
            if r["group-id"] != ""
        }
    assert set(ours) == set(theirs)
    keys = sorted(theirs)
    ari = analysis.adjusted_rand_index([theirs[k] for k in keys], [ours[k] for k in keys])
    assert ari >= 0.8
    assert groups[0]["representative"]
