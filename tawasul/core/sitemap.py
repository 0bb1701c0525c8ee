"""sitemap.xml over every language's tree, each page listing its translations (hreflang),
and the apps' own pages (polls, issues for discussion, results...) registered here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap covers one tree; ours covers the site's root in every language."""

    def _absolute(self, page: Page) -> str | None:
        relative = page.get_url(self.request)
        return self.request.build_absolute_uri(relative) if relative else None

    def location(self, obj):
        return self._absolute(obj)

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_tree = Q(pk__in=[])
        for root in roots:
            in_a_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.live()
            .public()
            .filter(in_a_tree)
            .order_by("path")
            .defer_streamfields()
            .select_related("locale")
            .specific()
        )

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        # One query for every translation of the pages on this sitemap page.
        translations = defaultdict(list)
        for other in (
            Page.objects.live()
            .public()
            .filter(translation_key__in={item.translation_key for item in items})
            .select_related("locale")
        ):
            translations[other.translation_key].append(other)
        urls, last_mods = [], set()
        for item in items:
            location = self._absolute(item)
            if location is None:
                continue
            group = translations.get(item.translation_key, [])
            alternates = (
                [
                    {"location": self._absolute(other), "lang_code": other.locale.language_code}
                    for other in group
                ]
                if len(group) > 1
                else []
            )
            lastmod = self.lastmod(item)
            urls.append(
                {"item": item, "location": location, "lastmod": lastmod, "alternates": alternates}
            )
            last_mods.add(lastmod)
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


# ---------------------------------------------------------------- the apps' own pages
@dataclass(frozen=True)
class Entry:
    """One page of an app in each language it exists in: language -> path."""

    paths: dict[str, str]
    lastmod: datetime | None = None


_SOURCES: dict[str, Callable[[], Iterable[Entry]]] = {}


def register(key: str, source: Callable[[], Iterable[Entry]]) -> None:
    """Add an app's public pages that are not Wagtail pages (polls, issues, results...).

    ``source`` is called on every sitemap request and returns :class:`Entry` objects in a
    fixed number of queries; one entry groups a thing's translations for hreflang.
    """
    _SOURCES[key] = source


def section(url_name: str, *args) -> Entry:
    """A page that exists in every language at the same URL name (an app's index)."""
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths[code] = reverse(url_name, args=args)
    return Entry(paths)


def translated(
    objects, *, url: Callable | None = None, lastmod: Callable | None = None
) -> list[Entry]:
    """Entries for translatable objects (``translation_key``, ``locale``): one entry per
    thing, with a path per language it exists in (``url(obj)``, else its own URL)."""
    url = url or (lambda obj: obj.get_absolute_url())
    groups: dict = defaultdict(list)
    for obj in objects:
        groups[obj.translation_key].append(obj)
    return [
        Entry(
            {obj.locale.language_code: url(obj) for obj in group},
            max((lastmod(obj) for obj in group), default=None) if lastmod else None,
        )
        for group in groups.values()
    ]


class AppSitemap(Sitemap):
    """The apps' registered pages, each listing its translations (hreflang)."""

    def __init__(self, request):
        super().__init__()
        self.request = request

    def items(self):
        return [
            (code, path, entry)
            for _key, source in sorted(_SOURCES.items())
            for entry in source()
            for code, path in sorted(entry.paths.items())
        ]

    def _urls(self, page, protocol, domain):
        urls = []
        for code, path, entry in self.paginator.page(page).object_list:
            alternates = (
                [
                    {"location": self.request.build_absolute_uri(other), "lang_code": other_code}
                    for other_code, other in sorted(entry.paths.items())
                ]
                if len(entry.paths) > 1
                else []
            )
            urls.append(
                {
                    "item": (code, path),
                    "location": self.request.build_absolute_uri(path),
                    "lastmod": entry.lastmod,
                    "alternates": alternates,
                }
            )
        return urls
