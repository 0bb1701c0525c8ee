"""Reading Polis exports: validation with line numbers, later votes replace earlier."""

from __future__ import annotations

import pytest

from tawasul.discussions import polis

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,x,0,10,0,0,1,First statement\n"
    "2,x,1,11,0,0,-1,Moderated out\n"
)


def write(tmp_path, comments=COMMENTS, votes=None):
    (tmp_path / "comments.csv").write_text(comments, encoding="utf-8")
    if votes is None:
        votes = "timestamp,datetime,comment-id,voter-id,vote\n5,x,0,7,1\n3,x,0,7,-1\n4,x,1,8,0\n"
    (tmp_path / "votes.csv").write_text(votes, encoding="utf-8")
    return tmp_path


def test_reads_and_keeps_the_latest_vote(tmp_path):
    export = polis.read_export(write(tmp_path))
    assert [c.id for c in export.comments] == [0, 1]
    assert export.comments[1].moderated == -1
    assert {(v.voter, v.comment): v.value for v in export.votes} == {(7, 0): 1, (8, 1): 0}
    assert export.voters == [7, 8]


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ("timestamp,comment-id,voter-id\n1,0,7\n", "votes.csv: missing column(s): vote"),
        ("timestamp,comment-id,voter-id,vote\n1,0,7,1\n1,9,7,1\n", "line 3: unknown comment id 9"),
        ("timestamp,comment-id,voter-id,vote\n1,0,7,2\n", "line 2: unknown vote value 2"),
        ("timestamp,comment-id,voter-id,vote\n1,0,seven,1\n", "line 2: comment-id, voter-id"),
    ],
)
def test_bad_exports_are_refused_with_line_numbers(tmp_path, votes, message):
    with pytest.raises(polis.PolisExportError) as info:
        polis.read_export(write(tmp_path, votes=votes))
    assert message in str(info.value)


def test_missing_files_and_comment_columns(tmp_path):
    with pytest.raises(polis.PolisExportError, match=r"comments\.csv: file not found"):
        polis.read_export(tmp_path)
    with pytest.raises(polis.PolisExportError, match="missing column"):
        polis.read_export(write(tmp_path, comments="comment-id,comment-body\n0,x\n"))
