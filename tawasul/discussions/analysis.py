"""Opinion groups from agree / disagree / pass votes — the Polis method, as a pure module.

No Django here: the caller maps its participants and statements to row and column indices
(0 … n-1) and passes the votes as three parallel arrays. Everything is computed on sparse
matrices, so memory follows the number of votes, not participants × statements; the only
dense matrix is statements × statements (the covariance).

The steps and formulas are those of ``design/opinion-groups.md``:

* X: agree = +1, disagree = −1, pass = 0, unseen = missing; a later vote for the same cell
  replaces an earlier one (the last in the arrays wins); excluded (moderated-out) statements
  keep their column but count as 0 for everyone.
* PCA on the column-mean-filled, column-centred matrix — which is exactly the sparse matrix
  M with M_ij = x_ij − μ_j on voted cells and 0 elsewhere — so the covariance is MᵀM / n.
* Sparsity-aware projection p_i = sqrt(C / max(n_i, 1)) · M_i · pc.
* Base clusters (k-means, k = 100) on the clustered participants, groups by weighted k-means
  on base centres with k = 2 … min(5, 2 + ⌊n_base / 12⌋) chosen by silhouette.
* Representative statements per group, group-informed consensus, consensus statements.

Deterministic: the same votes give the same result (fixed seeds, a sign convention for the
principal components, and groups numbered by decreasing size).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.sparse as sp

AGREE = 1
DISAGREE = -1
PASS = 0

#: one-sided 90 % threshold used by Polis for its significance tests
Z_90 = 1.2816
BASE_K = 100
BASE_SAMPLE = 10_000
MAX_GROUPS = 5
REPRESENTATIVE_PER_GROUP = 5
CONSENSUS_PER_SIDE = 5
MIN_CLUSTERED = 15
MIN_VOTES = 7
SEED = 20140618


@dataclass(frozen=True)
class Representative:
    statement: int  # column index
    direction: str  # "agree" or "disagree"
    probability: float  # pa (or pd) inside the group
    probability_test: float
    ratio: float  # against the rest
    ratio_test: float
    score: float
    agrees: int
    disagrees: int
    seen: int


@dataclass(frozen=True)
class Group:
    id: int
    members: np.ndarray  # row indices, ascending
    centre: tuple[float, float]
    representative: list[Representative]


@dataclass(frozen=True)
class Consensus:
    statement: int
    probability: float
    probability_test: float


@dataclass
class Analysis:
    n_participants: int
    n_statements: int
    n_votes: int
    positions: np.ndarray  # (n_participants, 2)
    votes_per_participant: np.ndarray
    in_conversation: np.ndarray  # bool mask
    group_of: np.ndarray  # group id per participant, −1 when not clustered
    groups: list[Group]
    k: int
    silhouette: float
    components: np.ndarray  # (2, n_statements)
    explained: tuple[float, float]
    means: np.ndarray  # column means μ_j
    extremity: np.ndarray  # per statement
    group_consensus: np.ndarray  # per statement
    consensus_agree: list[Consensus] = field(default_factory=list)
    consensus_disagree: list[Consensus] = field(default_factory=list)
    counts: dict[str, np.ndarray] = field(default_factory=dict)  # agree/disagree/seen per stmt


# ---------------------------------------------------------------------------------------------
# the vote matrix


def vote_matrix(
    *, n_participants: int, n_statements: int, rows, cols, values, excluded=()
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Return (X, V): X holds the vote values, V is 1 on every voted cell (passes included).

    When a cell appears more than once the last occurrence wins. Values must be −1, 0 or 1;
    indices must be in range (``ValueError`` otherwise). Excluded columns are zero in X but
    keep their voted cells in V.
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    values = np.asarray(values, dtype=np.int64)
    if not (len(rows) == len(cols) == len(values)):
        raise ValueError("rows, cols and values must have the same length")
    if len(rows):
        if rows.min() < 0 or rows.max() >= n_participants:
            raise ValueError("participant index out of range")
        if cols.min() < 0 or cols.max() >= n_statements:
            raise ValueError("statement index out of range")
        if not np.isin(values, (AGREE, DISAGREE, PASS)).all():
            raise ValueError("vote values must be 1 (agree), -1 (disagree) or 0 (pass)")
    key = rows * n_statements + cols
    # keep the last occurrence of each cell
    _reversed_unique, first_from_end = np.unique(key[::-1], return_index=True)
    keep = len(key) - 1 - first_from_end
    rows, cols, values = rows[keep], cols[keep], values[keep].astype(np.float64)
    if len(excluded):
        values[np.isin(cols, np.asarray(list(excluded), dtype=np.int64))] = 0.0
    shape = (n_participants, n_statements)
    voted = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    x = sp.csr_matrix((values, (rows, cols)), shape=shape)
    x.eliminate_zeros()
    return x, voted


# ---------------------------------------------------------------------------------------------
# reduction


def _pca(x: sp.csr_matrix, voted: sp.csr_matrix):
    n, c = x.shape
    seen = np.asarray(voted.sum(axis=0)).ravel()
    sums = np.asarray(x.sum(axis=0)).ravel()
    means = np.divide(sums, seen, out=np.zeros(c), where=seen > 0)
    # M = X − μ on voted cells: X has the values, V·diag(μ) the means on the same pattern
    m = (x - voted @ sp.diags(means)).tocsr()
    cov = (m.T @ m).toarray() / max(n, 1)
    total = float(np.trace(cov))
    top = min(2, c)
    eigvals, eigvecs = scipy.linalg.eigh(cov, subset_by_index=[c - top, c - 1], driver="evx")
    order = np.argsort(eigvals)[::-1]
    comps = np.zeros((2, c))
    explained = [0.0, 0.0]
    for k, idx in enumerate(order):
        vec = eigvecs[:, idx]
        # sign convention: the largest absolute loading is positive (deterministic)
        if vec[np.argmax(np.abs(vec))] < 0:
            vec = -vec
        comps[k] = vec
        explained[k] = float(eigvals[idx] / total) if total > 0 else 0.0
    return m, means, comps, (explained[0], explained[1])


def _project(m: sp.csr_matrix, comps: np.ndarray, n_votes: np.ndarray) -> np.ndarray:
    c = m.shape[1]
    raw = m @ comps.T
    scale = np.sqrt(c / np.maximum(n_votes, 1))
    return raw * scale[:, None]


def _in_conversation(n_votes: np.ndarray, n_statements: int) -> np.ndarray:
    threshold = min(MIN_VOTES, n_statements)
    mask = (n_votes >= threshold) & (n_votes > 0)
    if mask.sum() < MIN_CLUSTERED:
        # add the top voters (ties by row order) until 15, never someone without a vote
        order = np.lexsort((np.arange(len(n_votes)), -n_votes))
        for i in order:
            if mask.sum() >= MIN_CLUSTERED or n_votes[i] == 0:
                break
            mask[i] = True
    return mask


# ---------------------------------------------------------------------------------------------
# clustering


def _sq_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    d = (
        (points**2).sum(axis=1)[:, None]
        - 2.0 * points @ centres.T
        + (centres**2).sum(axis=1)[None, :]
    )
    return np.maximum(d, 0.0)


def _kmeans_pp(points, weights, k, rng):
    n = len(points)
    first = int(rng.choice(n, p=weights / weights.sum()))
    centres = [points[first]]
    closest = _sq_distances(points, points[first : first + 1]).ravel()
    for _ in range(1, k):
        p = closest * weights
        total = p.sum()
        idx = int(rng.integers(n)) if total <= 0 else int(rng.choice(n, p=p / total))
        centres.append(points[idx])
        closest = np.minimum(closest, _sq_distances(points, points[idx : idx + 1]).ravel())
    return np.array(centres)


def kmeans(points: np.ndarray, weights: np.ndarray, k: int, *, seed: int, restarts: int = 1):
    """Weighted Lloyd's k-means with k-means++ seeding; returns (labels, centres, inertia).

    Deterministic for a given seed. Empty clusters keep their previous centre.
    """
    best = None
    rng = np.random.default_rng(seed)
    for _ in range(restarts):
        centres = _kmeans_pp(points, weights, k, rng)
        labels = np.zeros(len(points), dtype=np.int64)
        # Converged when no label changes; on large inputs, when at most 1 in 2,000 does
        # (the centres then move by far less than the dots drawn on the map).
        settled = len(points) // 2000
        previous = None
        for _ in range(100):
            d = _sq_distances(points, centres)
            labels = d.argmin(axis=1)
            if previous is not None and int((labels != previous).sum()) <= settled:
                break
            previous = labels
            w = np.bincount(labels, weights=weights, minlength=k)
            new = centres.copy()
            nonempty = w > 0
            for dim in range(points.shape[1]):
                s = np.bincount(labels, weights=weights * points[:, dim], minlength=k)
                new[nonempty, dim] = s[nonempty] / w[nonempty]
            if np.allclose(new, centres, rtol=0, atol=1e-12):
                centres = new
                break
            centres = new
        d = _sq_distances(points, centres)
        labels = d.argmin(axis=1)
        inertia = float((d[np.arange(len(points)), labels] * weights).sum())
        if best is None or inertia < best[2] - 1e-12:
            best = (labels, centres, inertia)
    return best


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette coefficient (Euclidean); 0 when there are fewer than two clusters."""
    ks = np.unique(labels)
    if len(ks) < 2 or len(points) < 3:
        return 0.0
    dist = np.sqrt(_sq_distances(points, points))
    scores = np.zeros(len(points))
    for i in range(len(points)):
        own = labels == labels[i]
        if own.sum() <= 1:
            continue
        a = dist[i, own].sum() / (own.sum() - 1)
        b = min(dist[i, labels == other].mean() for other in ks if other != labels[i])
        denom = max(a, b)
        scores[i] = 0.0 if denom == 0 else (b - a) / denom
    return float(scores.mean())


def _base_clusters(points: np.ndarray, seed: int):
    """Return (labels per point, centres, sizes)."""
    distinct, inverse = np.unique(np.round(points, 12), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    if len(distinct) <= BASE_K:
        sizes = np.bincount(inverse, minlength=len(distinct)).astype(float)
        return inverse, distinct, sizes
    # k-means on distinct positions weighted by multiplicity: same result, less work
    mult = np.bincount(inverse).astype(float)
    # restarts make small conversations stable; on large ones one run is already stable
    restarts = 4 if len(distinct) <= 5000 else 1
    if len(distinct) <= BASE_SAMPLE:
        labels, centres, _ = kmeans(distinct, mult, BASE_K, seed=seed, restarts=restarts)
    else:
        # Large conversations: fit the base centres on an evenly spaced sample of the
        # positions (ordered by np.unique, so deterministic), then give every position its
        # nearest centre. Base clusters only summarise the plane for the group step.
        pick = np.linspace(0, len(distinct) - 1, BASE_SAMPLE).astype(np.int64)
        _, centres, _ = kmeans(distinct[pick], mult[pick], BASE_K, seed=seed)
        labels = np.concatenate(
            [
                _sq_distances(distinct[i : i + 20_000], centres).argmin(axis=1)
                for i in range(0, len(distinct), 20_000)
            ]
        )
    used = np.unique(labels)
    remap = np.full(BASE_K, -1)
    remap[used] = np.arange(len(used))
    point_labels = remap[labels[inverse]]
    sizes = np.bincount(point_labels, minlength=len(used)).astype(float)
    return point_labels, centres[used], sizes


def _groups_from_base(centres: np.ndarray, sizes: np.ndarray, seed: int):
    n_base = len(centres)
    if n_base < 2:
        return np.zeros(n_base, dtype=np.int64), 1, 0.0
    max_k = min(MAX_GROUPS, 2 + n_base // 12, n_base)
    best = None
    for k in range(2, max_k + 1):
        labels, _, _ = kmeans(centres, sizes, k, seed=seed + k, restarts=8)
        if len(np.unique(labels)) < 2:
            continue
        s = silhouette(centres, labels)
        if best is None or s > best[2] + 1e-12:
            best = (labels, k, s)
    if best is None:
        return np.zeros(n_base, dtype=np.int64), 1, 0.0
    return best


# ---------------------------------------------------------------------------------------------
# statistics


def prop_test(s, n):
    """One-proportion test of Polis: 2·sqrt(n + 1)·((s + 1)/(n + 1) − 0.5)."""
    s = np.asarray(s, dtype=float)
    n = np.asarray(n, dtype=float)
    return 2.0 * np.sqrt(n + 1.0) * ((s + 1.0) / (n + 1.0) - 0.5)


def two_prop_test(s1, s2, n1, n2):
    """Two-proportion z test with the +1 pseudocounts of Polis; 0 when p̂ = 1."""
    s1, s2, n1, n2 = (np.asarray(v, dtype=float) for v in (s1, s2, n1, n2))
    p1 = (s1 + 1.0) / (n1 + 1.0)
    p2 = (s2 + 1.0) / (n2 + 1.0)
    pi = (s1 + s2 + 2.0) / (n1 + n2 + 2.0)
    var = pi * (1.0 - pi) * (1.0 / (n1 + 1.0) + 1.0 / (n2 + 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, (p1 - p2) / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
    return z


def _representative(agree_g, disagree_g, seen_g, agree_all, disagree_all, seen_all, allowed):
    out: list[Representative] = []
    a_rest, d_rest, s_rest = agree_all - agree_g, disagree_all - disagree_g, seen_all - seen_g
    for direction, s_g, s_rest_dir in (
        ("agree", agree_g, a_rest),
        ("disagree", disagree_g, d_rest),
    ):
        p = (s_g + 1.0) / (seen_g + 2.0)
        pt = prop_test(s_g, seen_g)
        r = p / ((s_rest_dir + 1.0) / (s_rest + 2.0))
        rt = two_prop_test(s_g, s_rest_dir, seen_g, s_rest)
        ok = allowed & (seen_g > 0) & (rt > Z_90) & (pt > Z_90)
        for j in np.flatnonzero(ok):
            out.append(
                Representative(
                    statement=int(j),
                    direction=direction,
                    probability=float(p[j]),
                    probability_test=float(pt[j]),
                    ratio=float(r[j]),
                    ratio_test=float(rt[j]),
                    score=float(r[j] * rt[j] * p[j] * pt[j]),
                    agrees=int(agree_g[j]),
                    disagrees=int(disagree_g[j]),
                    seen=int(seen_g[j]),
                )
            )
    # best first; a statement appears once (its stronger side); ties by column index
    out.sort(key=lambda r: (-r.score, r.statement, r.direction))
    chosen: list[Representative] = []
    used: set[int] = set()
    for rep in out:
        if rep.statement in used:
            continue
        used.add(rep.statement)
        chosen.append(rep)
        if len(chosen) == REPRESENTATIVE_PER_GROUP:
            break
    chosen.sort(key=lambda r: (r.direction != "agree", -r.score, r.statement))
    return chosen


def _consensus(s, n, allowed) -> list[Consensus]:
    p = (s + 1.0) / (n + 2.0)
    pt = prop_test(s, n)
    ok = allowed & (n > 0) & (p > 0.5) & (pt > Z_90)
    idx = np.flatnonzero(ok)
    score = p[idx] * pt[idx]
    order = np.lexsort((idx, -score))[:CONSENSUS_PER_SIDE]
    return [Consensus(int(idx[o]), float(p[idx[o]]), float(pt[idx[o]])) for o in order]


# ---------------------------------------------------------------------------------------------
# the whole analysis


def analyse(
    *,
    n_participants: int,
    n_statements: int,
    rows,
    cols,
    values,
    excluded=(),
    seed: int = SEED,
) -> Analysis:
    """Run the whole method; see the module docstring. Pure and deterministic."""
    x, voted = vote_matrix(
        n_participants=n_participants,
        n_statements=n_statements,
        rows=rows,
        cols=cols,
        values=values,
        excluded=excluded,
    )
    n_votes = np.asarray(voted.sum(axis=1)).ravel()
    allowed = np.ones(n_statements, dtype=bool)
    if len(excluded):
        allowed[np.asarray(list(excluded), dtype=np.int64)] = False

    if n_participants == 0 or n_statements == 0 or voted.nnz == 0:
        positions = np.zeros((n_participants, 2))
        comps = np.zeros((2, n_statements))
        means = np.zeros(n_statements)
        explained = (0.0, 0.0)
    else:
        m, means, comps, explained = _pca(x, voted)
        # Excluded statements count as a 0 vote from everyone (Polis zeroes their column), so
        # they weigh in the projection's scaling like a pass would.
        n_excluded = len(set(excluded))
        counted = n_votes - np.asarray(voted[:, ~allowed].sum(axis=1)).ravel() + n_excluded
        positions = _project(m, comps, counted)
    extremity = np.sqrt((comps**2).sum(axis=0) * n_statements)

    agree_m = (x > 0).astype(np.float64).tocsr()
    disagree_m = (x < 0).astype(np.float64).tocsr()
    agree_all = np.asarray(agree_m.sum(axis=0)).ravel()
    disagree_all = np.asarray(disagree_m.sum(axis=0)).ravel()
    seen_all = np.asarray(voted.sum(axis=0)).ravel()

    in_conv = _in_conversation(n_votes, n_statements) if n_participants else np.zeros(0, bool)
    rows_in = np.flatnonzero(in_conv)
    group_of = np.full(n_participants, -1, dtype=np.int64)
    groups: list[Group] = []
    k = 0
    sil = 0.0
    if len(rows_in):
        base_labels, base_centres, base_sizes = _base_clusters(positions[rows_in], seed)
        base_groups, k, sil = _groups_from_base(base_centres, base_sizes, seed)
        raw = base_groups[base_labels]
        # number groups by decreasing size, ties by smallest member row: stable labels
        sizes = np.bincount(raw, minlength=k)
        firsts = [rows_in[raw == g].min() if sizes[g] else n_participants for g in range(k)]
        order = sorted(range(k), key=lambda g: (-sizes[g], firsts[g]))
        order = [g for g in order if sizes[g]]
        relabel = np.full(k, -1)
        relabel[order] = np.arange(len(order))
        group_of[rows_in] = relabel[raw]
        k = len(order)

        members_in = group_of[rows_in]
        indicator = sp.csr_matrix(
            (np.ones(len(rows_in)), (members_in, rows_in)), shape=(k, n_participants)
        )
        agree_g = (indicator @ agree_m).toarray()
        disagree_g = (indicator @ disagree_m).toarray()
        seen_g = (indicator @ voted).toarray()
        # "rest" means the other clustered participants
        agree_in = agree_g.sum(axis=0)
        disagree_in = disagree_g.sum(axis=0)
        seen_in = seen_g.sum(axis=0)
        for g in range(k):
            members = rows_in[members_in == g]
            centre = positions[members].mean(axis=0)
            reps = _representative(
                agree_g[g], disagree_g[g], seen_g[g], agree_in, disagree_in, seen_in, allowed
            )
            groups.append(
                Group(
                    id=g,
                    members=members,
                    centre=(float(centre[0]), float(centre[1])),
                    representative=reps,
                )
            )
        group_consensus = np.prod((agree_g + 1.0) / (seen_g + 2.0), axis=0)
    else:
        group_consensus = np.zeros(n_statements)
    group_consensus = np.where(allowed, group_consensus, 0.0)

    return Analysis(
        n_participants=n_participants,
        n_statements=n_statements,
        n_votes=int(voted.nnz),
        positions=positions,
        votes_per_participant=n_votes.astype(np.int64),
        in_conversation=in_conv,
        group_of=group_of,
        groups=groups,
        k=k,
        silhouette=float(sil),
        components=comps,
        explained=explained,
        means=means,
        extremity=extremity,
        group_consensus=group_consensus,
        consensus_agree=_consensus(agree_all, seen_all, allowed),
        consensus_disagree=_consensus(disagree_all, seen_all, allowed),
        counts={"agree": agree_all, "disagree": disagree_all, "seen": seen_all},
    )


# ---------------------------------------------------------------------------------------------
# routing and comparison


def routing_priority(*, agrees, passes, seen, extremity) -> np.ndarray:
    """Priority of showing each statement next (design note):

    [(1 − (P+1)/(S+2)) · (E+1) · (A+1)/(S+2) · (1 + 8·2^(−S/5))]²
    """
    a = np.asarray(agrees, dtype=float)
    p = np.asarray(passes, dtype=float)
    s = np.asarray(seen, dtype=float)
    e = np.asarray(extremity, dtype=float)
    importance = (1.0 - (p + 1.0) / (s + 2.0)) * (e + 1.0) * (a + 1.0) / (s + 2.0)
    novelty = 1.0 + 8.0 * np.power(2.0, -s / 5.0)
    return (importance * novelty) ** 2


def adjusted_rand_index(labels_a, labels_b) -> float:
    """Adjusted Rand index of two labellings of the same items (1 = identical partitions)."""
    a = np.asarray(labels_a)
    b = np.asarray(labels_b)
    if len(a) != len(b):
        raise ValueError("labellings must have the same length")
    n = len(a)
    if n < 2:
        return 1.0
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = sp.coo_matrix((np.ones(n), (ai.ravel(), bi.ravel()))).toarray()

    def comb2(v):
        v = np.asarray(v, dtype=float)
        return float((v * (v - 1) / 2).sum())

    index = comb2(table)
    rows = comb2(table.sum(axis=1))
    cols = comb2(table.sum(axis=0))
    total = n * (n - 1) / 2
    expected = rows * cols / total
    maximum = (rows + cols) / 2
    if math.isclose(maximum, expected):
        return 1.0
    return float((index - expected) / (maximum - expected))
