"""What people type is kept as text: cleaned when stored, escaped and linked when shown."""

from __future__ import annotations

import unicodedata

import pytest

from tawasul.comments.text import clean, to_html


def test_line_breaks_are_kept_and_shown_as_breaks():
    stored = clean("السطر الأول\r\nالسطر الثاني")
    assert stored == "السطر الأول\nالسطر الثاني"
    assert to_html(stored) == "السطر الأول<br>\nالسطر الثاني"


def test_runs_of_empty_lines_shrink_to_one():
    assert clean("أ\n\n\n\n\n\nب") == "أ\n\nب"


@pytest.mark.parametrize(
    "hidden", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200f", "\ufeff", "\x00"]
)
def test_bidi_overrides_zero_width_and_control_characters_are_removed(hidden):
    assert clean(f"مرحبا{hidden}بكم") == "مرحبابكم"
    assert hidden not in str(to_html(f"x{hidden}y"))


def test_piles_of_combining_marks_are_cut_to_three():
    zalgo = "a" + "\u0301" * 40 + "b"
    assert clean(zalgo) == unicodedata.normalize("NFC", "a" + "\u0301" * 3 + "b")
    # Arabic with shadda and a haraka is untouched.
    assert clean("الدَّاخِلِيَّةُ") == "الدَّاخِلِيَّةُ"


def test_html_is_shown_as_text_never_as_markup():
    html = str(to_html('<script>alert(1)</script> <b onmouseover="x">bold</b> &amp;'))
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;amp;" in html


def test_web_addresses_become_nofollow_ugc_links():
    html = str(to_html("انظر https://moi.example/news?id=1&x=2، وأيضاً www.example.org."))
    assert (
        '<a href="https://moi.example/news?id=1&amp;x=2" rel="nofollow ugc noopener" dir="ltr">'
        "https://moi.example/news?id=1&amp;x=2</a>، " in html
    )
    assert '<a href="https://www.example.org" rel="nofollow ugc noopener" dir="ltr">' in html
    assert html.endswith("</a>.")


@pytest.mark.parametrize(
    "payload",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_other_schemes_are_never_links(payload):
    assert "<a " not in str(to_html(payload))


def test_quotes_cannot_leave_the_link_attribute():
    html = str(to_html('https://x.example/"onmouseover="alert(1)'))
    assert 'href="https://x.example/"' in html
    assert "onmouseover=&quot;" in html or "onmouseover" not in html.split(">")[0]


def test_a_bracket_that_belongs_to_the_address_stays_in_it():
    html = str(to_html("(see https://en.wikipedia.org/wiki/Doha_(city))"))
    assert 'href="https://en.wikipedia.org/wiki/Doha_(city)"' in html
