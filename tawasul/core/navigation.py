"""The main navigation, filled by the capabilities that exist.

Each app adds its entry in its ``AppConfig.ready()`` with :func:`register`.
An entry whose URL cannot be resolved (its app is not installed yet) is left
out, so the header never links to a page that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    order: int


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


def unregister(key: str) -> None:
    _items.pop(key, None)


def main_navigation(current_path: str = "") -> list[dict]:
    entries = []
    for item in sorted(_items.values(), key=lambda item: item.order):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
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
