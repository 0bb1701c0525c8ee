"""The voting form: the poll's answers, the optional free answer, and, for people who
are not signed in, the honeypot and the human check (core/antibot.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core.antibot import HoneypotForm, HumanCheckForm
from tawasul.polls import services
from tawasul.polls.models import OTHER_TEXT_MAX, Poll, PollChoice

OTHER = "other"
HUMAN_SCOPE = "polls:vote"


class VoteForm(HumanCheckForm, HoneypotForm):
    human_scope = HUMAN_SCOPE

    other_text = forms.CharField(
        label=_("Your other answer"),
        required=False,
        max_length=OTHER_TEXT_MAX * 2,  # the ballot check gives the clear message
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, poll: Poll, choices: list[PollChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.poll_choices = choices
        options = [(str(choice.pk), choice.label) for choice in choices]
        if poll.allow_other:
            options.append((OTHER, _("Other")))
        if poll.is_multiple:
            self.fields["answer"] = forms.MultipleChoiceField(
                label=poll.question, choices=options, required=False
            )
        else:
            self.fields["answer"] = forms.ChoiceField(
                label=poll.question, choices=options, required=False
            )
        self.fields["answer"].error_messages["invalid_choice"] = _(
            "One of the answers sent is not an answer of this poll."
        )
        if not poll.allow_other:
            del self.fields["other_text"]
        self.order_fields(["answer", "other_text"])
        self.ballot: services.Ballot | None = None

    @property
    def input_type(self) -> str:
        return "checkbox" if self.poll.is_multiple else "radio"

    def options(self) -> list[dict]:
        """The answers as the template draws them, with what is ticked."""
        field = self.fields["answer"]
        if self.is_bound:
            raw = (
                self.data.getlist(self.add_prefix("answer"))
                if hasattr(self.data, "getlist")
                else self.data.get("answer")
            )
        else:
            raw = self.initial.get("answer")
        ticked = {str(value) for value in (raw if isinstance(raw, list) else [raw]) if value}
        return [
            {
                "value": value,
                "label": label,
                "id": f"poll-{self.poll.pk}-answer-{value}",
                "checked": value in ticked,
                "is_other": value == OTHER,
            }
            for value, label in field.choices
        ]

    def most_choices(self) -> int:
        return self.poll.most_choices(len(self.poll_choices))

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("answer") or []
        values = raw if isinstance(raw, list) else [raw]
        other = OTHER in values
        ids = []
        for value in values:
            if value != OTHER:
                ids.append(int(value))
        try:
            self.ballot = services.ballot_clean(
                self.poll,
                self.poll_choices,
                choice_ids=ids,
                other=other,
                other_text=cleaned.get("other_text", ""),
            )
        except services.InvalidBallot as error:
            self.add_error("answer", error.message)
        return cleaned
