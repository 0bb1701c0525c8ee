"""Every behaviour of the design note (docs: arabic search), end to end: a document is
indexed, a query is run, the document is found (or not), in the right order.

The same tests run on SQLite (FTS5) and on PostgreSQL (tsvector): one analyser, the same
results.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tawasul.search import selectors, services
from tawasul.search.analysis import analyse
from tawasul.search.query import parse
from tawasul.search.registry import Document

pytestmark = pytest.mark.django_db

_ids = itertools.count(1_000_000)


def index(title: str, body: str = "", *, language: str = "ar", kind: str = "news", days_ago=0):
    object_id = next(_ids)
    services.search_document_save(
        kind=kind,
        object_id=object_id,
        document=Document(
            title=title,
            body=body,
            url=f"/{language}/test/{object_id}/",
            language=language,
            published_at=timezone.now() - dt.timedelta(days=days_ago),
        ),
    )
    return object_id


def found(query: str, **filters) -> list[str]:
    return [hit.title for hit in selectors.search(query, kinds=["news"], **filters).hits]


@pytest.fixture(autouse=True)
def _only_test_documents(db):
    """The demo site is indexed too; these tests search kind "news" of their own making."""
    from tawasul.search.models import SearchDocument

    for document in SearchDocument.objects.filter(kind="news"):
        services.search_document_delete(kind="news", object_id=document.object_id)


# 1 -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("document", "query"),
    [("الداخلية", "الدَّاخِلِيَّةُ"), ("الدَّاخِلِيَّةُ", "الداخلية")],
)
def test_harakat_and_shadda_are_ignored_both_ways(document, query):
    index(f"خبر عن وزارة {document}")
    assert found(query) == [f"خبر عن وزارة {document}"]


# 2
def test_tatweel_is_ignored():
    index("دشنـت وزارة الداخليـة صفـحاتهـا")
    assert found("دشنت") == ["دشنـت وزارة الداخليـة صفـحاتهـا"]
    assert found("صفحاتها") == ["دشنـت وزارة الداخليـة صفـحاتهـا"]


# 3
@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("أحمد", "احمد"),
        ("احمد", "أحمد"),
        ("إسلام", "اسلام"),
        ("آمال", "امال"),
        ("ٱلمدينة", "المدينة"),
    ],
)
def test_alef_forms_are_one_letter(document, query):
    index(f"مقال {document}")
    assert found(query) == [f"مقال {document}"]


# 4
@pytest.mark.parametrize(
    ("document", "query"),
    [("مدرسة", "مدرسه"), ("مدرسه", "مدرسة"), ("مستشفى", "مستشفي"), ("مستشفي", "مستشفى")],
)
def test_taa_marbuta_and_alef_maqsura_fold(document, query):
    index(f"افتتاح {document} جديدة")
    assert found(query) == [f"افتتاح {document} جديدة"]


# 5
def test_hamza_seats_fold():
    index("تصريح مسؤول في الوزارة")
    assert found("مسئول") == ["تصريح مسؤول في الوزارة"]


# 6
@pytest.mark.parametrize("query", ["2024", "٢٠٢٤", "۲۰۲۴"])
def test_digits_match_in_every_script(query):
    index("خطة عام ٢٠٢٤")
    assert found(query) == ["خطة عام ٢٠٢٤"]


# 7
@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("ﺍﻟﻮﺯﺍﺭﺓ", "الوزارة"),
        ("الوزارة", "ﺍﻟﻮﺯﺍﺭﺓ"),
        ("ﻻ تنسَ", "لا تنس"),
        ("کتاب", "كتاب"),
        ("ی‌کی", "يكي"),
        ("الوزا\u200cرة", "الوزارة"),
        ("الوزا\u200dرة", "الوزارة"),
    ],
)
def test_presentation_forms_persian_letters_and_joiners(document, query):
    index(f"نص {document}")
    assert found(query) == [f"نص {document}"]


# 8
@pytest.mark.parametrize("form", ["والداخلية", "بالداخلية", "فالداخلية", "كالداخلية", "للداخلية"])
def test_prefixes_are_stripped(form):
    index(f"خبر {form}")
    assert found("الداخلية") == [f"خبر {form}"]


# 9
@pytest.mark.parametrize("form", ["الوزارة", "والوزارة", "وزارات", "وزارة"])
def test_words_that_begin_with_waw(form):
    index(f"إعلان {form}")
    assert found("وزارة") == [f"إعلان {form}"]


def test_a_conjunction_waw_is_stripped_too():
    index("قرار ووزارة")
    index("صدر وقرار")
    # Both found; the word as written ranks above the one reached through و.
    assert found("قرار") == ["قرار ووزارة", "صدر وقرار"]


# 10
@pytest.mark.parametrize(
    ("query", "form"),
    [("قرار", "قرارات"), ("مستفيد", "المستفيدين"), ("صفحة", "صفحاتها"), ("مواطن", "المواطنون")],
)
def test_sound_plurals_and_pronoun_suffixes(query, form):
    index(f"عن {form}")
    assert found(query) == [f"عن {form}"]


# 11
def test_no_root_stemming():
    index("حادث وقع أمس")
    assert found("مواقع") == []
    index("مواقع الوزارة")
    assert found("مواقع") == ["مواقع الوزارة"]


def test_stems_keep_three_letters():
    index("لها")  # would be "ل" if suffixes could eat it
    assert found("لهم") == []


# 12
def test_phrases_and_exclusions():
    index("وزارة الداخلية تعلن")
    index("الداخلية في وزارة الصحة")
    index("وزارة الخارجية والداخلية")
    assert found('"وزارة الداخلية"') == ["وزارة الداخلية تعلن"]
    assert set(found("وزارة -الخارجية")) == {"وزارة الداخلية تعلن", "الداخلية في وزارة الصحة"}
    assert found('الداخلية -"وزارة الصحة"') == [
        "وزارة الداخلية تعلن",
        "وزارة الخارجية والداخلية",
    ]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"وزارة',
        'وزارة"',
        "( * : AND OR NEAR -",
        "NEAR(وزارة الداخلية)",
        "وزارة*",
        "title_exact:وزارة",
        "{title_exact} : وزارة",
        "'; DROP TABLE search_searchdocument; --",
        "\u202eوزارة\u202c",
        "-",
        "--",
        '""',
        "^وزارة",
    ],
)
def test_search_syntax_typed_by_a_person_never_breaks(query):
    index("وزارة الداخلية")
    results = selectors.search(query, kinds=["news"])  # no error, whatever the syntax
    if query in {'"وزارة', 'وزارة"', "NEAR(وزارة الداخلية)", "وزارة*", "^وزارة"}:
        assert [hit.title for hit in results.hits] == ["وزارة الداخلية"]
    if query.startswith("\u202e"):
        assert [hit.title for hit in results.hits] == ["وزارة الداخلية"]


# 13
def test_stopwords_do_not_block():
    index("أخبار الداخلية")
    assert found("في الداخلية") == ["أخبار الداخلية"]


def test_a_stopword_only_query_still_answers():
    index("ماذا في الوزارة")
    assert found("في") == ["ماذا في الوزارة"]


# 14
def test_title_above_body():
    index("تقرير", "الجوازات الجديدة")
    index("الجوازات الجديدة", "تقرير")
    assert found("الجوازات") == ["الجوازات الجديدة", "تقرير"]


def test_tiers_every_word_in_the_title_then_in_the_text_then_some_words():
    index("تقرير عام", "تجديد الجوازات في المراكز", days_ago=1)
    index("تجديد الجوازات", "تقرير", days_ago=5)
    index("الجوازات", "خبر", days_ago=2)
    index("خبر", "الجوازات اليوم", days_ago=0)
    results = selectors.search("تجديد الجوازات", kinds=["news"])
    assert [hit.title for hit in results.hits] == ["تجديد الجوازات", "تقرير عام", "الجوازات", "خبر"]
    assert results.total_all == 2 and results.first_partial == 2


def test_exact_form_above_a_stem_only_match():
    index("قرارات اللجنة")
    index("قرار اللجنة")
    assert found("قرار") == ["قرار اللجنة", "قرارات اللجنة"]


def test_recency_breaks_ties():
    index("حملة التوعية", days_ago=30)
    index("حملة التوعية", "", days_ago=1)
    newest_first = selectors.search("التوعية", kinds=["news"]).hits
    assert newest_first[0].published_at > newest_first[1].published_at


# 15
def test_snippet_keeps_the_original_text_and_marks_the_match():
    index("خبر", "في المساء دشنـت الوزارةُ صفحتها الجديدة على الإنترنت")
    hit = selectors.search("دشنت", kinds=["news"]).hits[0]
    assert "<mark>دشنـت</mark>" in hit.snippet_html
    assert "الوزارةُ" in hit.snippet_html


def test_snippets_escape_what_people_wrote():
    index("خبر", "نص فيه <script>alert(1)</script> والوزارة")
    hit = selectors.search("الوزارة", kinds=["news"]).hits[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html


def test_a_long_text_gives_a_passage_around_the_match():
    index("خبر", "كلمة " * 300 + "الجوازات" + " كلمة" * 300)
    snippet = selectors.search("الجوازات", kinds=["news"]).hits[0].snippet_html
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 400


def test_marks_from_the_stored_forms_are_those_of_reading_the_text_again():
    text = "وزارةُ الداخلية ـ\u200c تُعلن: والمواطنون و\u064e الخدمات، Services serviced"
    exact, stems = selectors._keys(parse("الخدمة المواطن وزارة service"))
    analysed = analyse(text)
    from_index = selectors._marked(text, exact, stems, analysed=(analysed.exact, analysed.stem))
    read_again = selectors._marked(text, exact, stems)
    assert from_index == read_again
    assert [text[start:end] for start, end in from_index] == [
        "وزارةُ",
        "والمواطنون",
        "الخدمات",
        "Services",
        "serviced",
    ]


def test_stored_forms_that_do_not_line_up_are_not_trusted():
    text = "الخدمات الجديدة"
    exact, stems = selectors._keys(parse("الجديدة"))
    marked = selectors._marked(text, exact, stems, analysed=("خدمات قديمه اخري", "خدم قديم اخر"))
    assert [text[start:end] for start, end in marked] == ["الجديدة"]


# 16
def test_did_you_mean_comes_from_the_index_vocabulary():
    index("وزارة الداخلية")
    results = selectors.search("الدخلية", kinds=["news"])
    assert results.total == 0
    assert results.suggestion == "الداخلية"


def test_no_suggestion_when_there_are_results():
    index("وزارة الداخلية")
    index("الدخلية")  # a typo in a document: the query finds it, so no correction
    assert selectors.search("الدخلية", kinds=["news"]).suggestion is None


def test_no_suggestion_far_from_any_word():
    index("وزارة الداخلية")
    assert selectors.search("كمبيوتر", kinds=["news"]).suggestion is None


# 17
def test_english_is_case_folded_and_stemmed():
    index("Passport Renewals", language="en")
    assert found("passport renewal") == ["Passport Renewals"]
    assert found("PASSPORTS") == ["Passport Renewals"]


def test_arabic_and_english_in_one_document():
    index("خدمة Passport الجديدة")
    assert found("passport") == ["خدمة Passport الجديدة"]
    assert found("الخدمة") == ["خدمة Passport الجديدة"]


# filters ---------------------------------------------------------------------------
def test_filters_by_language_and_date():
    index("الجوازات أمس", language="ar", days_ago=400)
    index("الجوازات اليوم", language="ar")
    index("passports", language="en")
    assert found("الجوازات", language="ar") == ["الجوازات اليوم", "الجوازات أمس"]
    recent = found("الجوازات", date_from=timezone.now() - dt.timedelta(days=30))
    assert recent == ["الجوازات اليوم"]
    assert found("passports", language="ar") == []


def test_pages_of_results():
    for n in range(25):
        index(f"الجوازات {n}")
    first = selectors.search("الجوازات", kinds=["news"], page=1, page_size=10)
    third = selectors.search("الجوازات", kinds=["news"], page=3, page_size=10)
    assert (first.total, len(first.hits), len(third.hits)) == (25, 10, 5)


# keeping the index and its vocabulary right ------------------------------------------
def test_replacing_a_document_replaces_its_words():
    object_id = index("نص قديم")
    services.search_document_save(
        kind="news",
        object_id=object_id,
        document=Document("نص جديد", "", "/ar/x/", "ar", timezone.now()),
    )
    assert found("قديم") == []
    assert found("جديد") == ["نص جديد"]
    from tawasul.search.models import SearchTerm

    assert not SearchTerm.objects.filter(term="قديم").exists()


def test_deleting_a_document_forgets_it():
    object_id = index("نص للحذف")
    assert services.search_document_delete(kind="news", object_id=object_id)
    assert not services.search_document_delete(kind="news", object_id=object_id)
    assert found("للحذف") == []
