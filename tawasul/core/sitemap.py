"""sitemap.xml over every language's tree, each page listing its translations (hreflang)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
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
