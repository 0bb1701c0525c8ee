"""Every write to the news goes through here."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from tawasul.news.importer import ArticleRecord, Problem
from tawasul.news.models import NewsArticlePage, NewsCategory, NewsIndexPage


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    linked: int = 0


def news_import_check(records: list[ArticleRecord]) -> list[Problem]:
    """What the archive needs from the site: a news section per language, and the
    article each ``translation_of`` names (in the file or already on the site)."""
    problems = []
    languages = {record.lang for record in records}
    for lang in sorted(languages):
        if not NewsIndexPage.objects.filter(locale__language_code=lang).exists():
            problems.append(
                Problem(0, f"the site has no news section in '{lang}'; create it first")
            )
    in_file = {(record.lang, record.slug) for record in records}
    for record in records:
        if not record.translation_of:
            continue
        others = [
            (lang, record.translation_of)
            for lang in languages | {"ar", "en"}
            if lang != record.lang
        ]
        found = (
            any(key in in_file for key in others)
            or NewsArticlePage.objects.filter(slug=record.translation_of)
            .exclude(locale__language_code=record.lang)
            .exists()
        )
        if not found:
            problems.append(
                Problem(
                    record.line,
                    f"'translation_of': no article '{record.translation_of}' in another language",
                )
            )
    return problems


def news_import(records: Iterable[ArticleRecord], *, progress=None) -> ImportReport:
    """Create or update (by language and slug) every article, then link translations.

    All in one transaction: on any error nothing is written. Re-running the same file
    updates the articles in place and creates nothing twice.
    """
    records = list(records)
    report = ImportReport()
    with transaction.atomic():
        indexes = {
            index.locale.language_code: index
            for index in NewsIndexPage.objects.select_related("locale")
        }
        for record in records:
            index = indexes[record.lang]
            article = NewsArticlePage.objects.child_of(index).filter(slug=record.slug).first()
            created = article is None
            if created:
                article = NewsArticlePage(slug=record.slug, locale=index.locale)
            _apply(article, record, index.locale)
            if created:
                index.add_child(instance=article)
                report.created += 1
            else:
                report.updated += 1
            article.tags.set(record.tags, clear=True) if record.tags else article.tags.clear()
            article.save_revision().publish()
            if progress is not None:
                progress.update(1)
        for record in records:
            if record.translation_of and _link_translation(record):
                report.linked += 1
    return report


def _apply(article: NewsArticlePage, record: ArticleRecord, locale: Locale) -> None:
    article.title = record.title
    article.subtitle = record.subtitle
    article.summary = record.summary
    if record.published_at is not None:
        article.published_at = record.published_at
    article.body = [("paragraph", RichText(record.body_html))] if record.body_html else []
    article.category = _category(record.category, locale) if record.category else None
    if record.image is not None:
        article.lead_image = image_from_file(record.image, record.title)


def _category(name: str, locale: Locale) -> NewsCategory:
    category = NewsCategory.objects.filter(name=name, locale=locale).first()
    if category is None:
        base = slugify(name, allow_unicode=True) or "category"
        slug, n = base, 1
        while NewsCategory.objects.filter(slug=slug, locale=locale).exists():
            n += 1
            slug = f"{base}-{n}"
        category = NewsCategory.objects.create(name=name, slug=slug, locale=locale)
    return category


def image_from_file(path, title: str):
    """An image from a file on disk; the same file twice is one image (by content hash)."""
    Image = get_image_model()
    data = path.read_bytes()
    digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    existing = Image.objects.filter(file_hash=digest).first()
    if existing is not None:
        return existing
    with path.open("rb") as handle:
        image = Image(title=title[:255], file=ImageFile(handle, name=path.name))
        image.save()
    image.get_file_hash()  # stored, so the next import finds it
    return image


def _link_translation(record: ArticleRecord) -> bool:
    article = NewsArticlePage.objects.get(slug=record.slug, locale__language_code=record.lang)
    other = (
        NewsArticlePage.objects.filter(slug=record.translation_of)
        .exclude(locale__language_code=record.lang)
        .first()
    )
    if other is None or other.translation_key == article.translation_key:
        return False
    # The other language's article may already be paired with a different one; the
    # archive says which pairs belong together, so this article joins that group.
    # An earlier partner in this article's language steps aside (gets a key of its own).
    Page.objects.filter(translation_key=other.translation_key, locale_id=article.locale_id).exclude(
        pk=article.pk
    ).update(translation_key=uuid.uuid4())
    Page.objects.filter(pk=article.pk).update(translation_key=other.translation_key)
    return True
