"""What can be commented on: one registered *target type* per kind of object.

A comment belongs to a :class:`~tawasul.comments.models.Thread`, and a thread points at
its object through one explicit, nullable foreign key per target type (``Thread.article``
today). Adding a second kind of commentable object (the discussions capability's issues)
is three small steps, all in one commit:

1. add the foreign key to ``Thread`` (``issue = models.OneToOneField(...)``) and its name to
   ``THREAD_TARGET_FIELDS`` in ``models.py``, then ``makemigrations comments``;
2. add the moderation setting for it to ``CommentSettings`` (``discussions_moderation``);
3. register the type in the owning app's ``AppConfig.ready()``::

       from tawasul.comments import targets

       targets.register(targets.TargetType(
           key="issue", field="issue", model="discussions.Issue",
           label=_("discussion issue"), empty_text=_("No opinions on this issue yet"),
           moderation_setting="discussions_moderation",
           is_open=lambda issue: issue.is_public and not issue.closed,
       ))

and render ``{% comment_thread issue %}`` in the issue's template. Nothing else changes:
services, screening, moderation, notifications and exports work on threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.functional import Promise


def _page_is_visible(page) -> bool:
    """A Wagtail page takes comments while it is live and not behind a privacy setting."""
    return bool(page.live) and not page.get_view_restrictions().exists()


def _page_url(page) -> str:
    return page.get_url() or page.url or ""


@dataclass(frozen=True)
class TargetType:
    key: str  # in URLs: /<lang>/comments/<key>/<id>/
    field: str  # the Thread foreign key that points at it
    model: str  # "app_label.ModelName"
    label: str | Promise
    empty_text: str | Promise
    moderation_setting: str  # the CommentSettings field with "pre" or "post"
    is_open: Callable[[Any], bool] = field(default=_page_is_visible)
    url: Callable[[Any], str] = field(default=_page_url)
    title: Callable[[Any], str] = field(default=lambda obj: str(obj))
    language: Callable[[Any], str] = field(
        default=lambda obj: getattr(getattr(obj, "locale", None), "language_code", "")
    )

    @property
    def model_class(self):
        return apps.get_model(self.model)


_types: dict[str, TargetType] = {}


def register(target_type: TargetType) -> None:
    _types[target_type.key] = target_type


def get(key: str) -> TargetType | None:
    return _types.get(key)


def all_types() -> list[TargetType]:
    return list(_types.values())


def for_object(obj) -> TargetType:
    """The registered type of ``obj`` (a page's specific class, or any registered model)."""
    specific = getattr(obj, "specific", obj)
    for target_type in _types.values():
        if isinstance(specific, target_type.model_class):
            return target_type
    raise LookupError(f"{type(specific).__name__} is not a registered comment target")


def for_field(name: str) -> TargetType:
    for target_type in _types.values():
        if target_type.field == name:
            return target_type
    raise LookupError(name)
