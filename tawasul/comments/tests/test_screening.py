"""Screening finds what a moderator should read first, however it is disguised."""

from __future__ import annotations

import pytest

from tawasul.comments import screening
from tawasul.comments.models import CommentSettings


@pytest.mark.parametrize(
    "text",
    [
        "أنت حمار",
        "أنت حمـــــار",  # tatweel
        "أنت حِمَارٌ",  # harakat
        "أنت حماااااار",  # repeated letters
        "أنت ح م ا ر",  # spaces between letters
        "أنت ح.م.ا.ر",  # punctuation between letters
        "يا ﺣﻤﺎﺭ",  # presentation forms
        "والحمار",  # clitics
        "ربح  سريــع من البيت",  # a phrase
        "what an IDIOT",
        "what an 1d10t",  # character swaps
        "f u c k this",
        "ｆｕｃｋ",  # full-width
    ],
)
def test_blocked_words_are_found_in_every_disguise(text):
    assert screening.blocked_terms_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "شكراً للوزارة على هذه الخطوة",
        "The class was great and the assessment fair",
        "Scunthorpe residents welcome the news",
        "كلب الحراسة في المطار",  # a dog is not an insult
        "mission grass assess",
    ],
)
def test_ordinary_text_is_not_flagged(text):
    assert screening.blocked_terms_in(text) == []


def test_administrators_add_terms_in_settings():
    extra = "كلمة_ممنوعة\n# a comment line\n\nبضاعة مقلدة"
    assert screening.blocked_terms_in("هنا بضـاعة مقلّدة للبيع", extra) == ["بضاعة مقلدة"]


def test_links_are_counted_in_every_form():
    text = "https://a.example/x و www.b.org و c-shop.com/offer و moi.gov.qa"
    assert len(screening.links_in(text)) == 4
    assert screening.links_in("email me at name@example.com") == []


def test_more_links_than_allowed_hold_the_comment(db):
    comment_settings = CommentSettings(max_links=2)
    flags = screening.screen(
        text="http://a.example http://b.example http://c.example",
        author_id=None,
        comment_settings=comment_settings,
    )
    assert [flag.code for flag in flags] == ["links"]
    assert flags[0].detail == "3"


def test_the_same_text_is_the_same_whatever_the_spelling():
    assert screening.content_hash("شكرًا للوزارة!!") == screening.content_hash("شكـرا   للوزاره")
    assert screening.content_hash("   ") == ""


def test_the_honeypot_and_rate_flags_are_kept(db):
    flags = screening.screen(
        text="نص عادي",
        author_id=None,
        comment_settings=CommentSettings(),
        honeypot=True,
        rate_flags=[screening.Flag("rate_user", "7")],
    )
    assert [flag.code for flag in flags] == ["rate_user", "honeypot"]


def test_each_flag_reads_as_a_sentence_for_moderators():
    from django.utils import translation

    with translation.override("en"):
        assert screening.describe({"code": "links", "detail": "3"}) == "Too many links: 3"
        assert screening.describe({"code": "duplicate", "detail": "author"}).endswith(
            "by the same person"
        )
    with translation.override("ar"):
        assert screening.describe({"code": "links", "detail": "3"}) == "روابط أكثر من المسموح: 3"
