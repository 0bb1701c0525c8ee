"""Issues for discussion in the Wagtail admin: a translatable snippet (title, background,
question, period, rules, outcome), with seed statements added from the form. Citizens'
statements are moderated in the comments queue (they are comments on the issue)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tawasul.discussions import services
from tawasul.discussions.models import DiscussionIssue


class IssueAdminForm(WagtailAdminModelForm):
    seed_statements = forms.CharField(
        label=_lazy("Statements to start the discussion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_lazy(
            "Optional: one statement per line (at most 280 characters each), published at once."
        ),
    )

    def clean_seed_statements(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["seed_statements"].splitlines()]
        lines = [line for line in lines if line]
        for number, line in enumerate(lines, start=1):
            try:
                services.statement_text_clean(line)
            except ValidationError as error:
                raise ValidationError(
                    _("Line %(line)s: %(problem)s")
                    % {"line": number, "problem": " ".join(error.messages)}
                ) from error
        return lines

    def save(self, commit=True):
        instance = super().save(commit=commit)
        instance._seed_statements = self.cleaned_data.get("seed_statements") or []
        return instance


class StateColumn(Column):
    def get_value(self, instance):
        return instance.state_label


class IssueViewSet(SnippetViewSet):
    model = DiscussionIssue
    icon = "group"
    menu_label = _lazy("Issues for discussion")
    menu_order = 310
    add_to_admin_menu = True
    edit_handler = ObjectList(
        [*DiscussionIssue.panels, FieldPanel("seed_statements")], base_form_class=IssueAdminForm
    )
    list_display = ["title", StateColumn("state", label=_lazy("State")), "opens_at", "closes_at"]
    list_filter = ["status", "voters"]
    ordering = ["-opens_at", "-pk"]
    copy_view_enabled = False


register_snippet(IssueViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def seed_and_keep_translations_in_step(request, instance):
    if not isinstance(instance, DiscussionIssue):
        return
    for text in getattr(instance, "_seed_statements", []):
        services.statement_seed(issue=instance, text=text)
    if services.issue_sync_translations(issue=instance):
        messages.info(request, _("The rules and the period were copied to the other languages."))
