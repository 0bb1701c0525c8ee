"""The main navigation, filled by the capabilities that exist.

Each app adds its entry in its ``AppConfig.ready()``: :func:`register` for a Django
URL name, :func:`register_page` for a Wagtail section page (found in the visitor's
language). An entry whose target does not exist (its app is not installed yet, or no
such page is published) is left out, so the header never links to a missing page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    target: str | Callable[[], str | None]  # a URL name, or a function giving the URL
    order: int

    def url(self) -> str | None:
        if callable(self.target):
            return self.target()
        try:
            return reverse(self.target)
        except NoReverseMatch:
            return None


# The order of the seed's portal; apps register the ones they provide.
ORDER = {
    "news": 10,
    "events": 20,
    "discussions": 30,
    "polls": 40,
    "inquiries": 50,
    "eservices": 60,
    "newsletter": 70,
}
_items: dict[str, NavItem] = {}


def register(key: str, label: str | Promise, url_name: str) -> None:
    _items[key] = NavItem(key, label, url_name, ORDER.get(key, 100))


def register_page(key: str, label: str | Promise, model_label: str) -> None:
    """A section whose home is a Wagtail page of ``model_label`` (e.g. "news.NewsIndexPage")."""

    def section_url() -> str | None:
        from django.apps import apps
        from wagtail.models import Locale

        model = apps.get_model(model_label)
        page = model.objects.live().public().filter(locale=Locale.get_active()).first()
        return page.url if page is not None else None

    _items[key] = NavItem(key, label, section_url, ORDER.get(key, 100))


def unregister(key: str) -> None:
    _items.pop(key, None)


def main_navigation(current_path: str = "") -> list[dict]:
    entries = []
    for item in sorted(_items.values(), key=lambda item: item.order):
        url = item.url()
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
