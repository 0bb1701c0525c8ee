"""Forms of the issue page: a vote on one statement, and a new statement."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core.antibot import HoneypotForm, HumanCheckForm
from tawasul.discussions.models import STATEMENT_MAX

HUMAN_SCOPE = "discussions:vote"


class VoteForm(HumanCheckForm, HoneypotForm):
    """Agree / disagree / pass on one statement (the button pressed is the value). The human
    check is asked once, of a browser's first vote on an issue open to anyone."""

    human_scope = HUMAN_SCOPE

    statement = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    value = forms.ChoiceField(
        choices=[
            ("agree", _("Agree")),
            ("disagree", _("Disagree")),
            ("pass", _("Pass / unsure")),
        ],
        error_messages={"invalid_choice": _("Choose agree, disagree or pass.")},
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX * 2,  # the service gives the clear message
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
        help_text=_(
            "One short opinion others can agree or disagree with, at most 280 characters. "
            "It is published after review."
        ),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("key", secrets.token_urlsafe(24))
        super().__init__(*args, **kwargs)
