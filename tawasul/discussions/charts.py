"""The opinion map and the report's content, computed on the server (the template draws SVG
from these numbers; no script, no style attribute).

The map is the analysis's 2-D plane: each participant a dot, each opinion group a region
(the convex hull of its members, padded), the viewer's own dot highlighted. The plane has no
reading direction, so it is not mirrored for Arabic. Very large conversations draw a
deterministic sample of dots (every n-th), the regions still cover every member.
"""

from __future__ import annotations

import numpy as np

WIDTH = 640
HEIGHT = 420
PAD = 24
MAX_DOTS = 3000
GROUP_LETTERS = "ABCDEFGHIJ"


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull (monotone chain) of 2-D points, counter-clockwise."""
    pts = np.unique(points, axis=0)
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(tuple(p))
    upper: list = []
    for p in pts[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(tuple(p))
    return np.array(lower[:-1] + upper[:-1])


def _region(points: np.ndarray, pad: float) -> str:
    """An SVG path around ``points``: their hull pushed out by ``pad`` from its centre
    (a circle for one or two points)."""
    hull = _hull(points)
    centre = points.mean(axis=0)
    if len(hull) < 3:
        radius = pad + (float(np.linalg.norm(hull[0] - hull[-1])) / 2 if len(hull) == 2 else 0)
        cx, cy = centre
        return (
            f"M {cx - radius:.1f} {cy:.1f} a {radius:.1f} {radius:.1f} 0 1 0 {2 * radius:.1f} 0 "
            f"a {radius:.1f} {radius:.1f} 0 1 0 {-2 * radius:.1f} 0 Z"
        )
    out = []
    for x, y in hull:
        dx, dy = x - centre[0], y - centre[1]
        norm = max(float(np.hypot(dx, dy)), 1e-9)
        out.append((x + dx / norm * pad, y + dy / norm * pad))
    return "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in out) + " Z"


def opinion_map(data: dict, *, own_participant: int | None = None) -> dict | None:
    positions = data.get("positions") or []
    if not positions:
        return None
    arr = np.array([[p[1], p[2]] for p in positions], dtype=float)
    groups = np.array([p[3] for p in positions], dtype=int)
    pks = [p[0] for p in positions]
    lo, hi = arr.min(axis=0), arr.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    scale = min((WIDTH - 2 * PAD) / span[0], (HEIGHT - 2 * PAD) / span[1])
    offset = np.array([WIDTH, HEIGHT]) / 2 - (lo + hi) / 2 * scale
    # y grows downwards in SVG: flip so the plane reads like a graph
    screen = arr * scale + offset
    screen[:, 1] = HEIGHT - screen[:, 1]
    regions = []
    for g in sorted(set(groups.tolist()) - {-1}):
        members = screen[groups == g]
        cx, cy = members.mean(axis=0)
        regions.append(
            {
                "id": g,
                "letter": GROUP_LETTERS[g % len(GROUP_LETTERS)],
                "path": _region(members, 14.0),
                "label_x": round(float(cx), 1),
                "label_y": round(float(cy), 1),
                "size": len(members),
            }
        )
    step = max(1, len(pks) // MAX_DOTS)
    dots = [
        {
            "x": round(float(screen[i, 0]), 1),
            "y": round(float(screen[i, 1]), 1),
            "group": int(groups[i]),
        }
        for i in range(0, len(pks), step)
        if pks[i] != own_participant
    ]
    own = None
    if own_participant is not None and own_participant in pks:
        i = pks.index(own_participant)
        own = {
            "x": round(float(screen[i, 0]), 1),
            "y": round(float(screen[i, 1]), 1),
            "group": int(groups[i]),
            "letter": GROUP_LETTERS[groups[i] % len(GROUP_LETTERS)] if groups[i] >= 0 else "",
        }
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "regions": regions,
        "dots": dots,
        "own": own,
        "sampled": step > 1,
        "shown": len(dots),
        "total": len(pks),
    }


def report_context(data: dict, *, statements: dict, own_participant=None, rtl=False) -> dict:
    """Everything the report page shows, with statement texts resolved (statements no longer
    published are left out)."""

    def with_text(items, key="statement"):
        out = []
        for item in items:
            statement = statements.get(item[key])
            if statement is not None:
                out.append(
                    {
                        **item,
                        "text": statement.text,
                        "pk": statement.pk,
                        "percent": round(item["probability"] * 100),
                    }
                )
        return out

    groups = [
        {
            **g,
            "letter": GROUP_LETTERS[g["id"] % len(GROUP_LETTERS)],
            "representative": with_text(g.get("representative", [])),
        }
        for g in data.get("groups", [])
    ]
    per_statement = data.get("statements", {})
    divisive = []
    if len(groups) >= 2:
        # statements that divide: lowest group-informed consensus among well-seen ones
        scored = []
        for pk, _s in statements.items():
            info = per_statement.get(str(pk))
            if info and info["seen"] >= 5:
                scored.append((info["group_consensus"], pk))
        scored.sort()
        divisive = [statements[pk] for _score, pk in scored[:5]]
    consensus = data.get("consensus", {})
    return {
        "map": opinion_map(data, own_participant=own_participant),
        "groups": groups,
        "consensus_agree": with_text(consensus.get("agree", [])),
        "consensus_disagree": with_text(consensus.get("disagree", [])),
        "divisive": divisive,
        "participants": data.get("participants", 0),
        "clustered": data.get("clustered", 0),
        "votes": data.get("votes", 0),
    }
