"""The results bar chart, drawn on the server as SVG (no script, no style attribute).

Geometry is computed here in *logical* coordinates (from the start of the line) and
mirrored for right-to-left pages, so Arabic bars grow from the right like the text;
the template only places what it is given. The table beside the chart carries the
same numbers for screen readers and for copying.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tawasul.core.dates import to_digits
from tawasul.polls.selectors import Tally

WIDTH = 640
ROW_HEIGHT = 54
PAD = 8
LABEL_BASELINE = 18
BAR_TOP = 26
BAR_HEIGHT = 18
VALUE_ROOM = 72  # room after the longest bar for "100%"
LABEL_CHARS = 80


def _truncate(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def percent_text(value: float, *, arabic_indic: bool = False) -> str:
    number = f"{value:.1f}".removesuffix(".0")
    return to_digits(_("%(percent)s%%") % {"percent": number}, arabic_indic=arabic_indic)


def bar_chart(tally: Tally, *, rtl: bool, arabic_indic: bool = False) -> dict:
    track = WIDTH - 2 * PAD - VALUE_ROOM
    rows = []
    for index, row in enumerate(tally.rows):
        top = index * ROW_HEIGHT + PAD
        length = round(track * row.percent / 100, 1)

        def place(start: float, width: float = 0.0) -> float:
            """x of a shape that begins ``start`` from the line's start (mirrored in RTL)."""
            return round(WIDTH - start - width, 1) if rtl else round(start, 1)

        rows.append(
            {
                "label": _truncate(row.label),
                "label_x": place(PAD),
                "label_y": top + LABEL_BASELINE,
                "track_x": place(PAD, track),
                "track_width": track,
                "bar_x": place(PAD, length),
                "bar_width": length,
                "bar_y": top + BAR_TOP,
                "value": percent_text(row.percent, arabic_indic=arabic_indic),
                "value_x": place(PAD + length + 6),
                "value_y": top + BAR_TOP + BAR_HEIGHT - 4,
                "is_other": row.is_other,
            }
        )
    return {
        "width": WIDTH,
        "height": len(rows) * ROW_HEIGHT + PAD,
        "bar_height": BAR_HEIGHT,
        "direction": "rtl" if rtl else "ltr",
        "rows": rows,
    }
