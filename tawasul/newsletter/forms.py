from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core import text
from tawasul.newsletter.models import LANGUAGES, Topic


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name_for()


TOPICS_CACHE_KEY = "tawasul:newsletter:topics"


def topic_choices() -> list[tuple[int, str]]:
    """(id, name in the current language) of every topic, from the cache: the sign-up form
    is on the home page, whose queries must not grow (refreshed when a topic changes)."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    rows = cache.get(TOPICS_CACHE_KEY)
    if rows is None:
        rows = list(Topic.objects.values_list("pk", "name_ar", "name_en"))
        cache.set(TOPICS_CACHE_KEY, rows, timeout=None)
    english = (get_language() or "ar").startswith("en")
    return [(pk, name_en if english else name_ar) for pk, name_ar, name_en in rows]


def topics_changed(**_kwargs) -> None:
    from django.core.cache import cache

    cache.delete(TOPICS_CACHE_KEY)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=LANGUAGES)
    topics = forms.TypedMultipleChoiceField(
        label=_("Topics"),
        choices=topic_choices,
        coerce=int,
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
