"""What is searchable: each capability lists its public things in ``<app>/search.py``.

``SOURCES`` there is a list of :class:`Source`; the search app gathers them at start-up.
A source says how to list everything public of its kind (for a rebuild) and how to turn
one object into the text the index keeps (or None when it is not public any more).
Page sources are kept current by the search app itself, from Wagtail's publishing
signals; other sources from their model's save and delete signals (and, for ``timed``
sources, the worker's clock). A service may also call
``search.services.search_object_changed`` itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.module_loading import module_has_submodule


@dataclass
class Document:
    """What the index keeps of one thing."""

    title: str
    body: str
    url: str
    language: str
    published_at: dt.datetime | None


@dataclass
class Source:
    kind: str  # "news", "event", ... also the filter value on the search page
    label: str | Promise  # shown to people: "News"
    model: type
    public: Callable[[], Iterable]  # everything public of this kind
    document: Callable[[object], Document | None]
    order: int = 100  # where the kind appears in the search page's filter
    # Public from a time on, with nothing saved at that moment (a poll that opens): the
    # worker's clock refreshes these kinds every minute.
    timed: bool = False

    @property
    def is_page(self) -> bool:
        from wagtail.models import Page

        return issubclass(self.model, Page)


_sources: dict[str, Source] = {}


def load() -> None:
    """Collect ``SOURCES`` from every Tawasul app's ``search`` module."""
    for config in apps.get_app_configs():
        if config.name.startswith("tawasul.") and module_has_submodule(config.module, "search"):
            module = import_module(f"{config.name}.search")
            for source in getattr(module, "SOURCES", []):
                _sources[source.kind] = source


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.kind))


def source(kind: str) -> Source | None:
    return _sources.get(kind)


def source_for_model(model: type) -> Source | None:
    for candidate in _sources.values():
        if candidate.model is model:
            return candidate
    return None


# ---------------------------------------------------------------- helpers for page sources
def stream_text(value) -> str:
    """The words of a StreamField, without markup."""
    if not value:
        return ""
    parts = value.stream_block.get_searchable_content(value)
    return "\n".join(strip_tags(str(part)) for part in parts if part)


def rich_text(value) -> str:
    return strip_tags(str(value or "")).strip()


def page_document(page, *, published_at=None, parts: Iterable[str] = ()) -> Document:
    """A page's document: its title, the given text parts, its address and language."""
    return Document(
        title=page.title,
        body="\n".join(part for part in parts if part),
        url=page.url or "",
        language=page.locale.language_code,
        published_at=published_at or page.first_published_at or page.last_published_at,
    )


def live_pages(model):
    """Every live, public page of ``model`` (the rebuild's list)."""
    return model.objects.live().public().select_related("locale").specific()
