"""The opinion-group analysis (pure): the design note's formulas, determinism, parity."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tawasul.discussions import analysis, polis

POLIS_DIR = Path("/work/shared/data/polis/15-per-hour-seattle")


def planted(n, c, groups, seed=3, share=0.1):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, groups, n)
    stance = rng.choice([-1, 1], size=(groups, c))
    per = max(1, int(share * c))
    rows = np.repeat(np.arange(n), per)
    cols = np.concatenate([rng.choice(c, per, replace=False) for _ in range(n)])
    roll = rng.random(len(rows))
    s = stance[truth[rows], cols]
    values = np.where(roll < 0.1, 0, np.where(roll < 0.9, s, -s))
    return truth, rows, cols, values


def test_later_vote_replaces_earlier_and_excluded_columns_are_zero():
    x, voted = analysis.vote_matrix(
        n_participants=2,
        n_statements=3,
        rows=[0, 0, 1, 1],
        cols=[0, 0, 1, 2],
        values=[1, -1, 1, 1],
        excluded=[2],
    )
    assert x.toarray().tolist() == [[-1, 0, 0], [0, 1, 0]]
    assert voted.toarray().tolist() == [[1, 0, 0], [0, 1, 1]]


@pytest.mark.parametrize(
    ("rows", "cols", "values"),
    [([0], [0], [2]), ([5], [0], [1]), ([0], [9], [1]), ([0, 1], [0], [1])],
)
def test_bad_votes_are_refused(rows, cols, values):
    with pytest.raises(ValueError):
        analysis.vote_matrix(n_participants=2, n_statements=2, rows=rows, cols=cols, values=values)


def test_planted_groups_are_recovered_deterministically():
    truth, rows, cols, values = planted(600, 60, 3, share=0.3)
    args = dict(n_participants=600, n_statements=60, rows=rows, cols=cols, values=values)
    first = analysis.analyse(**args)
    second = analysis.analyse(**args)
    assert first.k == 3
    assert analysis.adjusted_rand_index(truth, first.group_of) > 0.95
    assert (first.group_of == second.group_of).all()
    assert np.allclose(first.positions, second.positions)
    # groups are numbered by decreasing size
    sizes = [len(g.members) for g in first.groups]
    assert sizes == sorted(sizes, reverse=True)
    # each group's representative statements are ones its stance sets apart
    for group in first.groups:
        assert group.representative
        assert len(group.representative) <= 5
        directions = [r.direction for r in group.representative]
        assert directions == sorted(directions, key=lambda d: d != "agree")


def test_consensus_statement_found_and_excluded_statement_never_shown():
    _truth, rows, cols, values = planted(300, 20, 2, share=0.5)
    # statement 0: everybody agrees; statement 1: everybody agrees but it is moderated out
    values = np.where(np.isin(cols, [0, 1]), 1, values)
    result = analysis.analyse(
        n_participants=300, n_statements=20, rows=rows, cols=cols, values=values, excluded=[1]
    )
    agreed = [c.statement for c in result.consensus_agree]
    assert agreed[0] == 0
    assert 1 not in agreed
    assert result.group_consensus[0] > result.group_consensus[2:].max()
    assert result.group_consensus[1] == 0
    for group in result.groups:
        assert 1 not in [r.statement for r in group.representative]


def test_few_voters_are_clustered_up_to_fifteen_and_empty_input_is_fine():
    # 20 participants with 1..20 votes on 30 statements: 14 have >= 7; the top voter of
    # the rest (6 votes) is added to make 15
    rows = np.concatenate([np.full(i + 1, i) for i in range(20)])
    cols = np.concatenate([np.arange(i + 1) for i in range(20)])
    values = np.where(cols % 2 == 0, 1, -1)
    result = analysis.analyse(
        n_participants=20, n_statements=30, rows=rows, cols=cols, values=values
    )
    assert result.in_conversation.sum() == 15
    assert result.in_conversation[5] and not result.in_conversation[4]
    assert (result.group_of[~result.in_conversation] == -1).all()

    empty = analysis.analyse(n_participants=0, n_statements=0, rows=[], cols=[], values=[])
    assert empty.groups == [] and empty.k == 0


def test_formulas():
    assert analysis.prop_test(9, 10) == pytest.approx(2 * np.sqrt(11) * (10 / 11 - 0.5))
    z = analysis.two_prop_test(8, 2, 10, 10)
    p1, p2, pi = 9 / 11, 3 / 11, 12 / 22
    assert z == pytest.approx((p1 - p2) / np.sqrt(pi * (1 - pi) * (2 / 11)))
    assert analysis.two_prop_test(10, 10, 9, 9) == 0  # p̂ = 1
    fresh = analysis.routing_priority(agrees=[0], passes=[0], seen=[0], extremity=[0])
    old = analysis.routing_priority(agrees=[10], passes=[0], seen=[20], extremity=[0])
    assert fresh[0] == pytest.approx(((1 - 1 / 2) * 1 * (1 / 2) * 9) ** 2)
    assert fresh[0] > old[0]


def test_adjusted_rand_index():
    assert analysis.adjusted_rand_index([0, 0, 1, 1], [5, 5, 3, 3]) == 1.0
    assert analysis.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) < 0
    # the textbook example (Hubert & Arabie's formula) gives 0.24242...
    a = [0, 0, 0, 1, 1, 1]
    b = [0, 0, 1, 1, 2, 2]
    assert analysis.adjusted_rand_index(a, b) == pytest.approx(0.242424, abs=1e-5)


@pytest.mark.skipif(not POLIS_DIR.is_dir(), reason="shared Polis data not present")
def test_parity_with_polis_groups():
    export = polis.read_export(POLIS_DIR)
    result = export.analyse()
    row = {v: i for i, v in enumerate(export.voters)}
    theirs, ours = [], []
    with (POLIS_DIR / "participants-votes.csv").open(newline="") as fh:
        for rec in csv.DictReader(fh):
            if rec["group-id"] != "":
                theirs.append(int(rec["group-id"]))
                ours.append(result.group_of[row[int(rec["participant"])]])
    assert len(theirs) == result.in_conversation.sum() == 138
    assert result.k == len(set(theirs)) == 2
    assert analysis.adjusted_rand_index(theirs, ours) >= 0.8
