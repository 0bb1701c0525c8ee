"""The dashboard's line chart, drawn on the server as SVG (no script, no style attribute).

Points are placed in logical coordinates (time runs from the start of the line) and
mirrored for right-to-left pages, so in Arabic time runs from right to left like the
text. The table beside the chart carries the same numbers for screen readers.
"""

from __future__ import annotations

WIDTH = 720
HEIGHT = 260
PAD = 40
# Colours distinguishable in colour-blindness (Okabe-Ito), as SVG attributes.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def line_chart(series: list[tuple[str, list[int]]], labels: list[str], *, rtl: bool) -> dict:
    """``series``: (name, values per bucket); ``labels``: the buckets' labels. Returns
    what the template draws: lines (points, colour), the axis ticks and the scale."""
    count = max((len(values) for _name, values in series), default=0)
    top = max((max(values, default=0) for _name, values in series), default=0) or 1
    inner_w = WIDTH - 2 * PAD
    inner_h = HEIGHT - 2 * PAD

    def x_of(index: int) -> float:
        x = PAD + (inner_w * index / (count - 1) if count > 1 else inner_w / 2)
        return round(WIDTH - x if rtl else x, 1)

    def y_of(value: int) -> float:
        return round(HEIGHT - PAD - inner_h * value / top, 1)

    lines = []
    for n, (name, values) in enumerate(series):
        points = " ".join(f"{x_of(i)},{y_of(v)}" for i, v in enumerate(values))
        lines.append({"name": name, "points": points, "colour": PALETTE[n % len(PALETTE)]})
    step = max(1, count // 6)
    ticks = [{"x": x_of(i), "label": labels[i]} for i in range(0, count, step) if i < len(labels)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "ticks": ticks,
        "top": top,
        "top_y": y_of(top),
        "base_y": HEIGHT - PAD,
        "axis_x": WIDTH - PAD if rtl else PAD,
        "label_x": WIDTH - PAD + 4 if rtl else PAD - 4,
        "anchor": "start" if rtl else "end",
        "direction": "rtl" if rtl else "ltr",
    }
