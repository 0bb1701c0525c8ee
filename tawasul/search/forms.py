from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tawasul.search import registry


class SearchForm(forms.Form):
    """The search page's query and filters (a GET form: every search has an address)."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )
    type = forms.MultipleChoiceField(
        label=_("Kind"), required=False, widget=forms.CheckboxSelectMultiple
    )
    lang = forms.ChoiceField(label=_("Language"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(source.kind, source.label) for source in registry.sources()]
        self.fields["lang"].choices = [
            ("", _("This language")),
            ("all", _("All languages")),
            *[(code, name) for code, name in settings.LANGUAGES_IN_WORDS],
        ]
        self.fields["q"].widget.input_type = "search"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    @staticmethod
    def day_start(day: dt.date | None):
        from django.utils import timezone

        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
