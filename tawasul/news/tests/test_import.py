"""Importing a news archive: all or nothing, upserts, translations, hostile input refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tawasul.news.models import NewsArticlePage, NewsCategory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent / "data"

GOOD = [
    {
        "slug": "new-passport-service",
        "lang": "ar",
        "title": "إطلاق خدمة تجديد جواز السفر إلكترونيًا",
        "subtitle": "دون الحاجة إلى مراجعة المكاتب",
        "summary": "خدمة جديدة توفر الوقت والجهد.",
        "body": "الفقرة الأولى.\n\nالفقرة الثانية.",
        "published_at": "2026-03-01T10:00:00+03:00",
        "category": "الخدمات الإلكترونية",
        "tags": ["جواز السفر", "خدمات"],
        "image": "lead.png",
    },
    {
        "slug": "new-passport-service",
        "lang": "en",
        "title": "Passport renewal goes online",
        "body": "<p>First paragraph.</p><p>Second <a href='https://moi.example'>link</a>.</p>",
        "published_at": "2026-03-01T10:00:00",
        "category": "E-services",
        "translation_of": "new-passport-service",
    },
]


def write(tmp_path: Path, rows: list, *, raw_lines: list[str] = ()) -> Path:
    shutil.copy(DATA / "lead.png", tmp_path / "lead.png")
    path = tmp_path / "archive.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_news", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_articles_in_both_languages_linked_as_translations(demo_site, tmp_path):
    out, _err = run(write(tmp_path, GOOD))
    assert "2 new" in out and "1 translation link" in out
    arabic = NewsArticlePage.objects.get(slug="new-passport-service", locale__language_code="ar")
    english = NewsArticlePage.objects.get(slug="new-passport-service", locale__language_code="en")
    assert arabic.live and english.live
    assert arabic.translation_key == english.translation_key
    assert arabic.category.name == "الخدمات الإلكترونية"
    assert sorted(tag.name for tag in arabic.tags.all()) == ["جواز السفر", "خدمات"]
    assert arabic.lead_image is not None
    assert arabic.published_at.isoformat() == "2026-03-01T07:00:00+00:00"


def test_imported_article_is_readable_and_switches_language(demo_site, tmp_path, anonymous):
    run(write(tmp_path, GOOD))
    html = anonymous.get("/ar/news/new-passport-service/").content.decode()
    assert "<p>الفقرة الأولى.</p>" in html
    assert 'href="/en/news/new-passport-service/" lang="en"' in html


def test_running_the_same_import_twice_creates_nothing_new(demo_site, tmp_path):
    from wagtail.images import get_image_model

    images_before = get_image_model().objects.count()
    path = write(tmp_path, GOOD)
    run(path)
    before = (NewsArticlePage.objects.count(), NewsCategory.objects.count())
    rows = [dict(GOOD[0], title="عنوان معدّل"), GOOD[1]]
    out, _err = run(write(tmp_path, rows))
    assert "0 new, 2 updated" in out
    assert (NewsArticlePage.objects.count(), NewsCategory.objects.count()) == before
    assert get_image_model().objects.count() == images_before + 1
    assert (
        NewsArticlePage.objects.get(slug="new-passport-service", locale__language_code="ar").title
        == "عنوان معدّل"
    )


@pytest.mark.parametrize(
    ("row_or_line", "message"),
    [
        ("{not json", "line 3: not valid JSON"),
        ('["a list"]', "line 3: each line must be one JSON object"),
        ({"slug": "x", "lang": "fr", "title": "t"}, "line 3: 'lang' must be one of ar, en"),
        ({"lang": "ar", "title": "بلا معرّف"}, "line 3: 'slug' is missing"),
        (
            {"slug": "new-passport-service", "lang": "ar", "title": "مكرر"},
            "line 3: slug 'new-passport-service' (ar) is already on line 1",
        ),
        (
            {"slug": "s", "lang": "ar", "title": "t", "body": "<p>hi</p><script>alert(1)</script>"},
            "line 3: 'body' contains a script",
        ),
        (
            {"slug": "s", "lang": "ar", "title": "t", "body": '<p onclick="x()">hi</p>'},
            "line 3: 'body' contains a script",
        ),
        (
            {"slug": "s", "lang": "ar", "title": "t", "image": "missing.jpg"},
            "line 3: image file not found: missing.jpg",
        ),
        (
            {"slug": "s", "lang": "ar", "title": "t", "published_at": "yesterday"},
            "line 3: 'published_at' is not an ISO 8601",
        ),
        (
            {"slug": "s", "lang": "ar", "title": "t\u202ex"},
            "line 3: 'title' has invisible or direction characters",
        ),
        ({"slug": "bad slug!", "lang": "ar", "title": "t"}, "line 3: 'slug' may hold only"),
        (
            {"slug": "s", "lang": "en", "title": "t", "translation_of": "nowhere"},
            "line 3: 'translation_of'",
        ),
    ],
)
def test_a_bad_line_is_reported_by_number_and_nothing_is_imported(
    demo_site, tmp_path, row_or_line, message
):
    extra = (
        row_or_line if isinstance(row_or_line, str) else json.dumps(row_or_line, ensure_ascii=False)
    )
    path = write(tmp_path, GOOD, raw_lines=[extra])
    before = NewsArticlePage.objects.count()
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path)
    assert NewsArticlePage.objects.count() == before
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_news", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue()


def test_skip_invalid_imports_the_good_lines_and_reports_the_rest(demo_site, tmp_path):
    path = write(tmp_path, GOOD, raw_lines=["{broken"])
    out, err = run(path, "--skip-invalid")
    assert "2 new" in out and "1 line(s) skipped" in out
    assert "line 3: not valid JSON" in err


def test_unreadable_file_is_a_clear_error(demo_site, tmp_path):
    with pytest.raises(CommandError, match="nothing was imported"):
        run(tmp_path / "absent.jsonl")
    (tmp_path / "latin1.jsonl").write_bytes('{"title": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(CommandError):
        run(tmp_path / "latin1.jsonl")


def test_dry_run_writes_nothing(demo_site, tmp_path):
    before = NewsArticlePage.objects.count()
    out, _err = run(write(tmp_path, GOOD), "--dry-run")
    assert "2 article(s) would be imported" in out
    assert NewsArticlePage.objects.count() == before


def test_html_is_kept_to_safe_tags(demo_site, tmp_path):
    row = {
        "slug": "s",
        "lang": "ar",
        "title": "t",
        "body": (
            '<p>نص <img src="x"><u>u</u> <a href="https://a.example" target="_blank">رابط</a></p>'
        ),
    }
    run(write(tmp_path, [row]))
    body = NewsArticlePage.objects.get(slug="s").body[0].value.source
    assert "<img" not in body and "<u>" not in body
    assert 'href="https://a.example"' in body


def test_the_command_is_reachable_as_import_news_with_a_hyphen(demo_site, tmp_path):
    from tawasul.core.tests.test_env import run_tawasul

    result = run_tawasul(["import-news", "--help"], {}, tmp_path)
    assert result.returncode == 0
    assert "--skip-invalid" in result.stdout
