"""The analyser alone: what each written word becomes at index and at query time."""

from __future__ import annotations

import pytest

from tawasul.search.analysis import analyse, analyse_word, stem_arabic, tokens
from tawasul.search.query import parse


def forms(text: str) -> list[tuple[str, str]]:
    return [(token.exact, token.stem) for token in tokens(text)]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("الداخليه", "داخل"),
        ("والداخليه", "داخل"),
        ("بالداخليه", "داخل"),
        ("للداخليه", "داخل"),
        ("وزاره", "وزار"),
        ("الوزاره", "وزار"),
        ("وزارات", "وزار"),
        ("قرارات", "قرار"),
        ("المستفيدين", "مستفيد"),
        ("صفحاتها", "صفح"),
        ("مواقع", "مواقع"),
        ("الله", "الله"),  # never fewer than three letters
    ],
)
def test_light_stemming(word, stem):
    assert stem_arabic(word)[0] == stem


def test_a_waw_word_offers_the_word_without_it():
    assert stem_arabic("وقرار") == ("وقرار", ("قرار",))
    # وزارة keeps its و in the stem that الوزارة and وزارات share; زار is only an alternate
    # (a query for زار also reaches وزارة, ranked below exact matches).
    assert stem_arabic("وزاره") == ("وزار", ("زار",))
    assert stem_arabic("وقع") == ("وقع", ())  # too short to lose a letter


def test_each_word_keeps_its_place_in_the_original():
    text = "دشنـت الوزارةُ  صفحتها"
    assert [text[token.start : token.end] for token in tokens(text)] == [
        "دشنـت",
        "الوزارةُ",
        "صفحتها",
    ]


def test_invisible_and_direction_characters_do_not_split_or_hide_words():
    assert forms("\u202eالوزارة\u202c") == forms("الوزارة")
    assert forms("الوزا\u200cرة") == forms("الوزارة")


def test_english_words_are_case_folded_and_stemmed():
    assert forms("Renewals PASSPORTS") == [("renewals", "renew"), ("passports", "passport")]


def test_stopwords_are_marked_not_removed():
    assert [token.stopword for token in tokens("في الوزارة")] == [True, False]
    assert analyse_word("في") == ("في", (), True)


def test_analysed_forms_stay_aligned_word_for_word():
    analysed = analyse("وزارة الداخلية في 2024")
    assert len(analysed.exact.split()) == len(analysed.stem.split()) == 4


def test_a_query_reads_phrases_exclusions_and_plain_words():
    query = parse('"وزارة الداخلية" جوازات -الخارجية')
    assert [len(clause.terms) for clause in query.required] == [2, 1]
    assert [clause.terms[0].exact for clause in query.excluded] == ["الخارجيه"]


def test_a_long_query_is_cut_with_a_notice():
    query = parse("كلمة " * 400)
    assert query.truncated and len(query.text) <= 200


def test_a_query_of_punctuation_only_is_empty():
    assert parse("!!! ??? ... ()").empty
    assert parse("").empty
