from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core import text
from tawasul.newsletter.models import LANGUAGES, Topic


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name_for()


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=LANGUAGES)
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every topic."),
    )
    # Hidden from people (CSS and aria-hidden); bots that fill every field fill it.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_email(self):
        value = self.cleaned_data["email"]
        if text.hidden_characters(value):
            raise forms.ValidationError(_("The address contains invisible characters."))
        return value.strip()


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=LANGUAGES)
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every topic."),
    )
