"""Polls in the Wagtail admin: the polls (a translatable snippet with its choices), the
results screen with exports, the review of free answers, and the log of live-results
views. One "Polls" menu holds them, each shown only to those who may use it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from tawasul.polls import admin_views, rules, services
from tawasul.polls.models import Poll, ResultsAccess, Vote, VoteChoice


# ---------------------------------------------------------------- the poll form
class PollAdminForm(WagtailAdminModelForm):
    """Checks what the model alone cannot: the choices, and what may no longer change
    once people have voted (the kind of poll, or a choice someone ticked)."""

    def is_valid(self):
        # The choices' formset is cleaned after the form itself (modelcluster), so the
        # checks that need both run once both are valid.
        return super().is_valid() and self._check_choices()

    def _check_choices(self) -> bool:
        formset = self.formsets["choices"]
        kept = [
            form
            for form in formset.forms
            if form.cleaned_data and not formset._should_delete_form(form)
        ]
        if len(kept) < 2:
            self.add_error(None, _("A poll needs at least two choices."))
        kind = self.cleaned_data.get("kind")
        most = self.cleaned_data.get("max_choices")
        offered = len(kept) + (1 if self.cleaned_data.get("allow_other") else 0)
        if kind == Poll.Kind.MULTIPLE and most is not None and most > offered:
            self.add_error("max_choices", _("That is more than the number of choices."))
        if self.instance.pk and services.poll_has_votes(self.instance):
            original = Poll.objects.get(pk=self.instance.pk)
            if kind and kind != original.kind:
                self.add_error(
                    "kind", _("People have voted already: the kind of poll cannot change.")
                )
            for form in formset.forms:
                if form.instance.pk and formset._should_delete_form(form):
                    ticked = VoteChoice.objects.filter(
                        poll_key=self.instance.translation_key,
                        choice_key=form.instance.translation_key,
                    ).exists()
                    if ticked:
                        self.add_error(
                            None,
                            _("“%(choice)s” has votes and cannot be removed.")
                            % {"choice": form.instance.label},
                        )
        return not self.errors


class StateColumn(Column):
    def get_value(self, instance):
        return instance.state_label


class ResultsColumn(Column):
    cell_template_name = "polls/admin/results_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse(f"{admin_views.URL_NAMESPACE}:results", args=[instance.pk])
        return context


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "list-ul"
    menu_label = _lazy("Polls")
    edit_handler = ObjectList(Poll.panels, base_form_class=PollAdminForm)
    list_display = [
        "question",
        StateColumn("state", label=_lazy("State")),
        "opens_at",
        "closes_at",
        ResultsColumn("results", label=_lazy("Results")),
    ]
    list_filter = ["status", "kind", "electorate"]
    ordering = ["-opens_at", "-pk"]
    copy_view_enabled = False


# ---------------------------------------------------------------- staff tools
class PermissionMenuItem(MenuItem):
    permission = ""

    def is_shown(self, request):
        return rules.is_staff_with(request.user, self.permission)


class OtherAnswersViewSet(ViewSet):
    name = admin_views.URL_NAMESPACE
    icon = "comment"
    menu_label = _lazy("Free answers")
    menu_icon = "comment"

    @property
    def menu_item_class(self):
        return type("OtherAnswersMenuItem", (PermissionMenuItem,), {"permission": "moderate_other"})

    @property
    def menu_url(self):
        return reverse(f"{admin_views.URL_NAMESPACE}:other_answers")

    def get_urlpatterns(self):
        return [
            path("other-answers/", admin_views.other_answers, name="other_answers"),
            path(
                "other-answers/<int:vote_id>/review/",
                admin_views.other_answer_review,
                name="other_answer_review",
            ),
            path("results/<int:pk>/", admin_views.results, name="results"),
            path("results/<int:pk>/close/", admin_views.close, name="close"),
            path(
                "results/<int:pk>/export/<str:what>.<str:fmt>",
                admin_views.export,
                name="export",
            ),
        ]


class ViewOnlyPolicy(ModelPermissionPolicy):
    """The log is evidence: nobody adds, edits or deletes entries through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class ResultsAccessViewSet(ModelViewSet):
    model = ResultsAccess
    name = "polls_results_log"
    url_prefix = "polls/results-log"
    icon = "history"
    menu_label = _lazy("Live results log")
    list_display = ["at", "user_email", "action", "question"]
    exclude_form_fields = []
    inspect_view_enabled = True
    list_export = ["at", "user_email", "action", "question", "poll_key"]


register_permission_policy(ResultsAccess, ViewOnlyPolicy(ResultsAccess))


class PollsGroup(ViewSetGroup):
    menu_label = _lazy("Polls")
    menu_icon = "list-ul"
    menu_order = 300
    items = (PollViewSet, OtherAnswersViewSet, ResultsAccessViewSet)


@hooks.register("register_admin_viewset")
def register_polls_admin():
    return PollsGroup()


# ---------------------------------------------------------------- hooks
@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def keep_translations_in_step(request, instance):
    if isinstance(instance, Poll):
        updated = services.poll_sync_translations(poll=instance)
        if updated:
            messages.info(
                request, _("The rules and the choices were copied to the other languages.")
            )


@hooks.register("before_delete_snippet")
def keep_polls_with_votes(request, instances):
    for instance in instances:
        if (
            isinstance(instance, Poll)
            and Vote.objects.filter(poll_key=instance.translation_key).exists()
        ):
            siblings = Poll.objects.filter(translation_key=instance.translation_key).count()
            if siblings <= 1:
                messages.error(
                    request,
                    _(
                        "“%(poll)s” has votes: it cannot be deleted. Close it instead; its "
                        "results stay on record."
                    )
                    % {"poll": instance.question},
                )
                return redirect(reverse("wagtailsnippets_polls_poll:list"))
    return None


@hooks.register("insert_global_admin_css")
def polls_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("tawasul/css/polls-admin.css"))
