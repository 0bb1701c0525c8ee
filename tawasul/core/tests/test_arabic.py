"""One matching key per word, however it is typed (core/arabic.py)."""

from __future__ import annotations

import pytest

from tawasul.core.arabic import is_arabic, normalise, squeeze


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("الدَّاخِلِيَّةُ", "الداخلية"),  # harakat and shadda
        ("دشنـت", "دشنت"),  # tatweel
        ("صفـحاتهـا", "صفحاتها"),
        ("أحمد", "احمد"),  # alef forms
        ("إسلام", "اسلام"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),
        ("مدرسة", "مدرسه"),  # taa marbuta
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مسئول", "مسؤول"),  # hamza seats
        ("٢٠٢٤", "2024"),  # Arabic-Indic digits
        ("۲۰۲۴", "2024"),  # Eastern Arabic-Indic digits
        ("ﺍﻟﻮﺯﺍﺭﺓ", "الوزارة"),  # presentation forms
        ("ﻻ", "لا"),
        ("کتاب", "كتاب"),  # Persian keheh
        ("علی", "علي"),  # Persian yeh
        ("وزا\u200cرة", "وزارة"),  # zero-width non-joiner
        ("وز\u202eارة", "وزارة"),  # bidi override
        ("Ministry", "ministry"),  # case
        ("ｍｉｎｉｓｔｒｙ", "ministry"),  # full-width Latin
        ("café", "cafe"),
        ("  وزارة \n\t الداخلية  ", "وزارة الداخلية"),  # white space
    ],
)
def test_spellings_of_one_word_share_one_key(typed, written):
    assert normalise(typed) == normalise(written)


def test_normalising_twice_changes_nothing():
    text = "الدَّاخِلِيَّـةُ ﻻ ٢٠٢٤ Ministry مسئول"
    assert normalise(normalise(text)) == normalise(text)


def test_different_words_keep_different_keys():
    assert normalise("وزارة") != normalise("زيارة")
    assert normalise("قرار") != normalise("قرارات")


def test_empty_text_gives_an_empty_key():
    assert normalise("") == ""
    assert normalise("\u200b\u0640") == ""


def test_squeeze_collapses_letters_repeated_for_emphasis():
    assert squeeze("رااااائع") == "رائع"
    assert squeeze("sooooo") == "so"
    assert squeeze(normalise("حمـــااار")) == "حمار"


def test_arabic_letters_are_recognised():
    assert is_arabic("hello مرحبا")
    assert not is_arabic("hello 2024")
