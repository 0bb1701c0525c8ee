"""The home page's "interactive links" window, filled by the capabilities that exist.

An app registers a block in its ``AppConfig.ready()``::

    home.register("latest_news", "news/includes/home_latest.html", latest_news, order=10)

``latest_news(request, home_page)`` returns the block's context, or None to hide the
block (nothing to show yet). Capabilities that are not installed simply add no block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeBlock:
    name: str
    template: str
    context: Callable
    order: int


_blocks: dict[str, HomeBlock] = {}


def register(name: str, template: str, context: Callable, *, order: int = 100) -> None:
    _blocks[name] = HomeBlock(name, template, context, order)


def blocks_for(request, home_page) -> list[dict]:
    shown = []
    for block in sorted(_blocks.values(), key=lambda block: block.order):
        data = block.context(request, home_page)
        if data is not None:
            shown.append({"name": block.name, "template": block.template, "data": data})
    return shown


def social_profiles(request, home_page) -> dict | None:
    """The agency's social profiles, on the home page as well as in the footer."""
    from tawasul.core.models import SiteSettings

    profiles = SiteSettings.for_request(request).social_profiles()
    return {"profiles": profiles} if profiles else None
