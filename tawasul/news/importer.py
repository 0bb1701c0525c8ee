"""Reading a news archive (JSON Lines) into checked records, before anything is written.

The format is documented in docs/import-news.md. Every line is checked; the import
itself (``services.news_import``) runs only on records that passed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nh3
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.text import slugify

from tawasul.core.text import hidden_characters, neutralise

LANGUAGES = {code for code, _name in settings.LANGUAGES}
ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "hr",
}
HOSTILE = re.compile(r"<\s*(script|style|iframe|object|embed)\b|\son[a-z]+\s*=|javascript:", re.I)
FIELDS = {
    "slug",
    "lang",
    "title",
    "subtitle",
    "summary",
    "body",
    "published_at",
    "category",
    "tags",
    "image",
    "translation_of",
}
MAX_LINE = 2_000_000  # characters: one article, generously


@dataclass
class ArticleRecord:
    line: int
    slug: str
    lang: str
    title: str
    subtitle: str = ""
    summary: str = ""
    body_html: str = ""
    published_at: dt.datetime | None = None
    category: str = ""
    tags: list[str] = field(default_factory=list)
    image: Path | None = None
    translation_of: str = ""


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def body_to_html(body: str) -> str:
    """HTML kept to safe tags; plain text becomes paragraphs."""
    if "<" not in body:
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n|\n", body) if part.strip()]
        return "".join(f"<p>{escape(part)}</p>" for part in paragraphs)
    return nh3.clean(body, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener")


def _text(
    value, name: str, line: int, problems: list[Problem], *, limit: int, required=False
) -> str:
    if value is None or value == "":
        if required:
            problems.append(Problem(line, f"'{name}' is missing"))
        return ""
    if not isinstance(value, str):
        problems.append(Problem(line, f"'{name}' must be text"))
        return ""
    hidden = hidden_characters(value)
    if hidden and name in {"slug", "title", "category"}:
        problems.append(
            Problem(line, f"'{name}' has invisible or direction characters ({', '.join(hidden)})")
        )
    value = neutralise(value).strip()
    if len(value) > limit:
        problems.append(Problem(line, f"'{name}' is longer than {limit} characters"))
    return value


def read_archive(path: Path) -> tuple[list[ArticleRecord], list[Problem]]:
    """Every line checked; returns the good records and the problems, with line numbers."""
    records: list[ArticleRecord] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        return [], [Problem(0, f"cannot read {path}: {error.strerror}")]
    with handle:
        try:
            lines = list(enumerate(handle, start=1))
        except UnicodeDecodeError:
            return [], [Problem(0, "the file is not UTF-8 text")]
    for number, raw in lines:
        if not raw.strip():
            continue
        before = len(problems)
        record = _read_line(number, raw, path.parent, problems)
        if record is None or len(problems) > before:
            continue
        key = (record.lang, record.slug)
        if key in seen:
            problems.append(
                Problem(
                    number, f"slug '{record.slug}' ({record.lang}) is already on line {seen[key]}"
                )
            )
            continue
        seen[key] = number
        records.append(record)
    return records, problems


def _read_line(
    number: int, raw: str, folder: Path, problems: list[Problem]
) -> ArticleRecord | None:
    if len(raw) > MAX_LINE:
        problems.append(Problem(number, "the line is too long"))
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        problems.append(Problem(number, f"not valid JSON ({error.msg}, column {error.colno})"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(number, "each line must be one JSON object"))
        return None
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        problems.append(Problem(number, f"unknown field(s): {', '.join(unknown)}"))
    lang = data.get("lang")
    if lang not in LANGUAGES:
        problems.append(
            Problem(number, f"'lang' must be one of {', '.join(sorted(LANGUAGES))}; got {lang!r}")
        )
        lang = ""
    slug = _text(data.get("slug"), "slug", number, problems, limit=200, required=True)
    if slug and slugify(slug, allow_unicode=True) != slug:
        problems.append(
            Problem(number, f"'slug' may hold only letters, digits and hyphens; got {slug!r}")
        )
    title = _text(data.get("title"), "title", number, problems, limit=255, required=True)
    subtitle = _text(data.get("subtitle"), "subtitle", number, problems, limit=250)
    summary = _text(data.get("summary"), "summary", number, problems, limit=600)
    category = _text(data.get("category"), "category", number, problems, limit=80)
    translation_of = _text(
        data.get("translation_of"), "translation_of", number, problems, limit=200
    )
    body = data.get("body") or ""
    if not isinstance(body, str):
        problems.append(Problem(number, "'body' must be text"))
        body = ""
    if HOSTILE.search(body):
        problems.append(
            Problem(number, "'body' contains a script, style, frame or event handler; remove it")
        )
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(
        isinstance(tag, str) and 0 < len(tag.strip()) <= 100 for tag in tags
    ):
        problems.append(Problem(number, "'tags' must be a list of short texts"))
        tags = []
    published_at = None
    if data.get("published_at"):
        published_at = (
            parse_datetime(str(data["published_at"]))
            if isinstance(data["published_at"], str)
            else None
        )
        if published_at is None:
            problems.append(
                Problem(
                    number, f"'published_at' is not an ISO 8601 date-time: {data['published_at']!r}"
                )
            )
        elif timezone.is_naive(published_at):
            published_at = timezone.make_aware(published_at)
    image = None
    if data.get("image"):
        image = (folder / str(data["image"])).resolve()
        if not image.is_file():
            problems.append(Problem(number, f"image file not found: {data['image']}"))
    return ArticleRecord(
        line=number,
        slug=slug,
        lang=lang,
        title=title,
        subtitle=subtitle,
        summary=summary,
        body_html=body_to_html(body) if body else "",
        published_at=published_at,
        category=category,
        tags=[neutralise(tag).strip() for tag in tags],
        image=image,
        translation_of=translation_of,
    )
