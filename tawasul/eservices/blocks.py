"""The parts of a service page that editors compose: steps, documents, channels."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def _https(value: str) -> None:
    if value and not value.startswith("https://"):
        raise ValidationError(_("Use a secure address that starts with https://"))


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    detail = blocks.TextBlock(label=_("details"), required=False, max_length=1000)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class RequiredDocumentBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("document"), max_length=200)
    note = blocks.CharBlock(label=_("note"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Required document")


class OnlineChannelBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("address"), validators=[_https])
    label = blocks.CharBlock(label=_("link text"), required=False, max_length=120)

    class Meta:
        icon = "link"
        label = _("On the web")


class AppChannelBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("app name"), max_length=120)
    ios_url = blocks.URLBlock(label=_("App Store address"), required=False, validators=[_https])
    android_url = blocks.URLBlock(
        label=_("Google Play address"), required=False, validators=[_https]
    )

    class Meta:
        icon = "mobile-alt"
        label = _("Mobile app")


class CentreChannelBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("service centre"), max_length=200)
    address = blocks.CharBlock(label=_("address"), required=False, max_length=300)
    hours = blocks.CharBlock(label=_("opening hours"), required=False, max_length=200)
    phone = blocks.CharBlock(label=_("telephone"), required=False, max_length=40)

    class Meta:
        icon = "site"
        label = _("Service centre")


class ChannelsBlock(blocks.StreamBlock):
    online = OnlineChannelBlock()
    app = AppChannelBlock()
    centre = CentreChannelBlock()
