"""Forms validate what people send; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.comments import services
from tawasul.comments.models import MAX_LENGTH, NotificationPreference, Reason, ReportReason
from tawasul.core.antibot import HoneypotForm


class BodyField(forms.CharField):
    """The text of a comment: line breaks count once (browsers send CR LF), and the
    limit is checked on the text as it will be stored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your comment"))
        kwargs.setdefault("strip", False)
        kwargs.setdefault(
            "widget",
            forms.Textarea(attrs={"rows": 5, "maxlength": MAX_LENGTH, "dir": "auto"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return services.clean_body(value)


class CommentForm(HoneypotForm):
    """Posting a comment or a reply. A filled-in honeypot does not refuse the comment
    (nothing a person wrote is lost): it holds it for review (``honeypot_tripped``)."""

    honeypot_rejects = False

    body = BodyField(required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].error_messages["required"] = _(
            "The form is incomplete. Reload the page and try again."
        )


class EditForm(forms.Form):
    body = BodyField(required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )


class NotificationForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["on_moderation", "on_reply"]


# ---------------------------------------------------------------- the admin
class ModerationForm(forms.Form):
    """The reason and note of a moderation decision (single or bulk)."""

    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices, required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the author with the reason when a comment is rejected."),
    )

    def __init__(self, *args, reason_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if not reason_required:
            self.fields["reason"].choices = [("", "—"), *Reason.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Reason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Please explain the reason in the note."))
        return cleaned
