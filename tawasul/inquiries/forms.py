"""The public forms: sending an inquiry, asking for the tracking link, adding
information and rating. Anonymous senders get the honeypot and the human check."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tawasul.core.antibot import HoneypotForm, HumanCheckForm
from tawasul.inquiries import files
from tawasul.inquiries.models import MESSAGE_MAX, SUBJECT_MAX, Case


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _files_help():
    return _("Optional: up to %(count)s files of %(size)s MB each (PDF, images, Word, Excel).") % {
        "count": settings.INQUIRIES_MAX_FILES,
        "size": settings.INQUIRIES_MAX_FILE_MB,
    }


class FilesMixin(forms.Form):
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _files_help()
        self.checked_files = []

    def clean_attachments(self):
        try:
            self.checked_files = files.check(self.cleaned_data.get("attachments") or [])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return []


class CaseForm(HumanCheckForm, HoneypotForm, FilesMixin):
    human_scope = "inquiries:submit"

    kind = forms.ChoiceField(label=_("What is it?"), choices=Case.Kind.choices)
    topic = forms.ChoiceField(label=_("Topic"))
    service = forms.ChoiceField(label=_("Related e-service (optional)"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your email"),
        error_messages={
            "required": _("Please give your email, so we can answer you."),
            "invalid": _("Please check your email address; it does not look complete."),
        },
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("Answer me in"), choices=settings.LANGUAGES_IN_WORDS)
    consent = forms.BooleanField(
        label=_("I agree that the ministry keeps my details to answer this message, as the "
                "privacy notice says."),
        error_messages={"required": _("Please agree to the privacy notice, so we can answer you.")},
    )  # fmt: skip
    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    field_order = [
        "kind", "topic", "service", "subject", "message", "attachments",
        "name", "email", "phone", "language", "consent",
    ]  # fmt: skip

    def __init__(self, *args, topics, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {str(topic.pk): topic for topic in topics}
        self.services = {str(service.pk): service for service in services}
        self.fields["topic"].choices = [("", "—")] + [(k, t.name) for k, t in self.topics.items()]
        self.fields["service"].choices = [("", "—")] + [
            (k, s.title) for k, s in self.services.items()
        ]

    def clean_topic(self):
        value = self.cleaned_data.get("topic")
        if value not in self.topics:
            raise forms.ValidationError(_("Please choose a topic."))
        return self.topics[value]

    def clean_service(self):
        return self.services.get(self.cleaned_data.get("service") or "")


class TrackForm(HumanCheckForm, HoneypotForm):
    human_scope = "inquiries:track"

    reference = forms.CharField(
        label=_("Reference"), max_length=30, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    email = forms.EmailField(label=_("Your email"))


class AddForm(FilesMixin):
    message = forms.CharField(
        label=_("Add information"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
