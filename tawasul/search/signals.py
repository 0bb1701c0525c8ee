"""Keeping page entries current: Wagtail's publishing signals queue the index update.

Signals are only the trigger (the style guide allows them for index invalidation); the
work is ``services.search_object_changed``, run by a task after the transaction commits,
so a rolled-back publish never reaches the index and publishing never waits for it.
"""

from __future__ import annotations

from django.db import transaction

from tawasul.search import registry


def _queue(kind: str, object_id: int) -> None:
    from tawasul.search import tasks

    transaction.on_commit(lambda: tasks.update_search_entry.enqueue(kind=kind, object_id=object_id))


def page_changed(sender, instance=None, **kwargs) -> None:
    """Published (new content) or unpublished (gone from search)."""
    source = registry.source_for_model(type(instance.specific))
    if source is not None:
        _queue(source.kind, instance.pk)


def page_moved(sender, instance=None, **kwargs) -> None:
    """A moved page has a new address; so do the pages under it."""
    for page in instance.get_descendants(inclusive=True).specific():
        source = registry.source_for_model(type(page))
        if source is not None:
            _queue(source.kind, page.pk)


def object_deleted(sender, instance=None, **kwargs) -> None:
    source = registry.source_for_model(sender)
    if source is not None:
        _queue(source.kind, instance.pk)


def object_saved(sender, instance=None, raw=False, **kwargs) -> None:
    """A saved object of a source that is not a page (pages wait for publishing)."""
    if raw:
        return
    source = registry.source_for_model(sender)
    if source is not None and not source.is_page:
        _queue(source.kind, instance.pk)
