"""The main navigation, filled by the capabilities that exist.

Each app adds its entry in its ``AppConfig.ready()``: :func:`register` for a Django
URL name, :func:`register_page` for a Wagtail section page (found in the visitor's
language). An entry whose target does not exist (its app is not installed yet, or no
such page is published) is left out, so the header never links to a missing page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    target: str  # a URL name, or (page_model) the label of a section page's model
    order: int
    page_model: bool = False

    def url(self, section_urls: dict[str, str]) -> str | None:
        if self.page_model:
            return section_urls.get(self.target)
        try:
            return reverse(self.target)
        except NoReverseMatch:
            return None


# The order of the seed's portal; apps register the ones they provide.
ORDER = {
    "news": 10,
    "events": 20,
    "awareness": 25,
    "discussions": 30,
    "polls": 40,
    "results": 45,
    "inquiries": 50,
    "eservices": 60,
    "newsletter": 70,
}
_items: dict[str, NavItem] = {}


def register(key: str, label: str | Promise, url_name: str) -> None:
    _items[key] = NavItem(key, label, url_name, ORDER.get(key, 100))


def register_page(key: str, label: str | Promise, model_label: str) -> None:
    """A section whose home is a Wagtail page of ``model_label`` (e.g. "news.NewsIndexPage")."""
    _items[key] = NavItem(key, label, model_label, ORDER.get(key, 100), page_model=True)


def _section_urls() -> dict[str, str]:
    """The URL of each registered section page in the active language, by model label.

    One query for every section, kept in the cache until anything is published,
    unpublished or moved (the page cache's generation), so a page view pays nothing.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.db.models import Q
    from django.utils import translation
    from wagtail.models import Page

    from tawasul.core import pagecache

    labels = sorted(item.target for item in _items.values() if item.page_model)
    if not labels:
        return {}
    language = translation.get_language() or "ar"
    key = f"tawasul:nav:{pagecache.generation()}:{language}:{','.join(labels)}"
    urls = cache.get(key)
    if urls is not None:
        return urls
    # Read-only: ContentType.objects.get_for_models would create missing rows.
    natural = {}
    wanted = Q(pk__in=[])
    for label in labels:
        meta = apps.get_model(label)._meta
        natural[(meta.app_label, meta.model_name)] = label
        wanted |= Q(app_label=meta.app_label, model=meta.model_name)
    by_type = {
        content_type.pk: natural[(content_type.app_label, content_type.model)]
        for content_type in ContentType.objects.filter(wanted)
    }
    urls = {}
    pages = (
        Page.objects.live()
        .public()
        .filter(locale__language_code=language, content_type_id__in=by_type)
        .order_by("path")
        .only("url_path", "content_type_id", "locale_id", "path", "depth")
    )
    for page in pages:
        label = by_type[page.content_type_id]
        if label not in urls:
            url = page.url
            if url:
                urls[label] = url
    cache.set(key, urls, timeout=3600)
    return urls


def unregister(key: str) -> None:
    _items.pop(key, None)


def main_navigation(current_path: str = "") -> list[dict]:
    entries = []
    section_urls = _section_urls()
    for item in sorted(_items.values(), key=lambda item: item.order):
        url = item.url(section_urls)
        if url is None:
            continue
        entries.append(
            {
                "key": item.key,
                "label": item.label,
                "url": url,
                "current": bool(current_path) and current_path.startswith(url),
            }
        )
    return entries


def search_url() -> str | None:
    try:
        return reverse("search:search")
    except NoReverseMatch:
        return None
