"""Staff screens in the Wagtail admin: the moderation queue, blocked authors, exports.

Every decision goes through ``services``, which logs it in Wagtail's audit log (each
comment's "History", and Reports → Site history). Bulk actions use Wagtail's own bulk
action footer and confirmation pages, with the reason and note on the confirmation.
"""

from __future__ import annotations

import django_filters
from django import forms as django_forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import registry as log_registry

from tawasul.comments import exports, rules, screening, selectors, services
from tawasul.comments.forms import ModerationForm
from tawasul.comments.models import AuthorBlock, Comment, Reason
from tawasul.news.models import NewsArticlePage

State = Comment.State

STATE_FILTERS = [
    ("review", gettext_lazy("Needs review")),
    (State.PENDING, State.PENDING.label),
    (State.PUBLISHED, State.PUBLISHED.label),
    (State.HIDDEN, State.HIDDEN.label),
    (State.REJECTED, State.REJECTED.label),
    ("deleted", gettext_lazy("Deleted by the author")),
    ("all", gettext_lazy("All")),
]


def author_label(comment: Comment) -> str:
    return comment.author.public_name if comment.author else _("Deleted account")


def flags_label(comment: Comment) -> str:
    parts = [screening.describe(flag) for flag in comment.screening]
    if comment.report_count:
        parts.append(
            ngettext("%(count)s report", "%(count)s reports", comment.report_count)
            % {"count": comment.report_count}
        )
    return "; ".join(parts)


def state_label(comment: Comment) -> str:
    if comment.is_deleted:
        return _("Deleted by the author")
    if comment.state == State.HIDDEN and comment.hidden_cause:
        return comment.get_hidden_cause_display()
    return comment.get_state_display()


# ---------------------------------------------------------------- the queue
class CommentFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"),
        choices=STATE_FILTERS,
        method="filter_state",
        empty_label=None,
        null_label=None,
    )
    article = django_filters.ModelChoiceFilter(
        label=gettext_lazy("News article"),
        field_name="thread__article",
        queryset=lambda request: NewsArticlePage.objects.filter(
            comment_thread__isnull=False
        ).order_by("-published_at"),
    )
    reports = django_filters.ChoiceFilter(
        label=gettext_lazy("Reports"),
        choices=[("yes", gettext_lazy("Reported")), ("no", gettext_lazy("Not reported"))],
        method="filter_reports",
    )
    screened = django_filters.ChoiceFilter(
        label=gettext_lazy("Screening"),
        choices=[
            ("yes", gettext_lazy("Held by screening")),
            ("no", gettext_lazy("Nothing found")),
        ],
        method="filter_screened",
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Posted"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Comment
        fields = []

    def filter_state(self, queryset, name, value):
        if value == "review" or not value:
            return queryset.filter(selectors.review_filter())
        if value == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        if value == "all":
            return queryset
        return queryset.filter(state=value, deleted_at=None)

    def filter_reports(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(reports__isnull=False).distinct()
        if value == "no":
            return queryset.filter(reports__isnull=True)
        return queryset

    def filter_screened(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(screening=[])
        if value == "no":
            return queryset.filter(screening=[])
        return queryset


class CommentIndexView(IndexView):
    """The moderation queue: what needs review first, oldest first (fair to authors)."""

    page_title = gettext_lazy("Comments")
    filterset_class = CommentFilterSet
    default_ordering = "created_at"
    paginate_by = 50
    template_name = "comments/admin/index.html"

    def get_base_queryset(self):
        queryset = Comment.objects.select_related("author", "thread__article")
        if not self.request.GET.get("state"):
            queryset = queryset.filter(selectors.review_filter())
        return queryset

    def get_edit_url(self, instance):
        return reverse("comment:moderate", args=(quote(instance.pk),))

    def get_inspect_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_add_url(self):
        return None

    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                _("History"),
                reverse("comment:history", args=(quote(instance.pk),)),
                icon_name="history",
                priority=10,
            )
        ]

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="comment"),
            self._get_title_column_class(TitleColumn)(
                "text",
                label=_("Comment"),
                accessor=lambda comment: comment.excerpt(140) or "—",
                get_url=self.get_edit_url,
                get_title_id=lambda comment: f"comment_{comment.pk}_title",
            ),
            Column("on", label=_("On"), accessor=lambda comment: str(comment.thread)),
            Column("author", label=_("Author"), accessor=author_label),
            Column("state", label=_("State"), accessor=state_label, sort_key="state"),
            Column("flags", label=_("Screening and reports"), accessor=flags_label),
            DateColumn("created_at", label=_("Posted"), sort_key="created_at"),
        ]


class CommentModerateView(InspectView):
    """One comment with everything a moderator needs, and the decisions to take."""

    template_name = "comments/admin/moderate.html"
    page_title = gettext_lazy("Moderate")

    def get_object(self, queryset=None):
        return get_object_or_404(
            Comment.objects.select_related("author", "thread__article", "parent__author"),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_fields(self):
        return []

    def dispatch(self, request, *args, **kwargs):
        if not rules.can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in ("approve", "reject", "hide", "block"):
            raise PermissionDenied
        form = ModerationForm(request.POST, reason_required=action in ("reject", "block"))
        if not form.is_valid():
            self.forms = {action: form}
            return self.render_to_response(self.get_context_data(), status=400)
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        comment = self.object
        try:
            if action == "approve":
                done = services.comment_approve(
                    comment_ids=[comment.pk], moderator=request.user, note=note
                )
                message = _("The comment is published.")
            elif action == "reject":
                done = services.comment_reject(
                    comment_ids=[comment.pk], moderator=request.user, reason=reason, note=note
                )
                message = _("The comment is rejected; the author is told why.")
            elif action == "hide":
                done = services.comment_hide(
                    comment_ids=[comment.pk], moderator=request.user, reason=reason, note=note
                )
                message = _("The comment is hidden.")
            else:
                done = services.author_block(
                    user_ids=[comment.author_id] if comment.author_id else [],
                    moderator=request.user,
                    reason=reason,
                    note=note,
                )
                message = _("The author is blocked and their comments are hidden.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("comment:moderate", comment.pk)
        if done:
            messages.success(request, message)
        else:
            messages.warning(request, _("Nothing changed: the comment was already in that state."))
        next_url = request.POST.get("next")
        if next_url and next_url.startswith("/admin/"):
            return redirect(next_url)
        return redirect("comment:moderate", comment.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.object
        target = comment.thread.target
        target_type = comment.thread.target_type
        forms = getattr(self, "forms", {})
        author_comments = {}
        if comment.author_id:
            for state in Comment.objects.filter(author_id=comment.author_id).values_list(
                "state", flat=True
            ):
                author_comments[state] = author_comments.get(state, 0) + 1
        history = log_registry.get_logs_for_instance(comment).select_related("user")
        context.update(
            comment=comment,
            text=comment.body,
            state=state_label(comment),
            target_title=target_type.title(target) if target is not None else "",
            target_url=target_type.url(target) if target is not None else "",
            target_live=target_type.is_open(target) if target is not None else False,
            author=author_label(comment),
            author_counts=[
                (State(state).label, count) for state, count in sorted(author_comments.items())
            ],
            blocked=AuthorBlock.objects.filter(user_id=comment.author_id).first()
            if comment.author_id
            else None,
            flags=[screening.describe(flag) for flag in comment.screening],
            reports=comment.reports.order_by("-created_at"),
            history=[
                {
                    "entry": entry,
                    "label": log_registry.get_action_label(entry.action)
                    if log_registry.action_exists(entry.action)
                    else entry.action,
                    "reason": Reason(entry.data["reason"]).label
                    if entry.data.get("reason") in Reason.values
                    else "",
                    "note": entry.data.get("note", ""),
                }
                for entry in history.order_by("-timestamp")
            ],
            can_approve=not comment.is_deleted and comment.state != State.PUBLISHED,
            can_reject=not comment.is_deleted and comment.state != State.REJECTED,
            can_hide=not comment.is_deleted and comment.state == State.PUBLISHED,
            can_block=comment.author_id is not None
            and not AuthorBlock.objects.filter(user_id=comment.author_id).exists(),
            approve_form=forms.get("approve") or ModerationForm(prefix="approve"),
            reject_form=forms.get("reject") or ModerationForm(reason_required=True),
            hide_form=forms.get("hide") or ModerationForm(),
            block_form=forms.get("block") or ModerationForm(reason_required=True),
            queue_url=reverse("comment:index"),
        )
        return context


class CommentHistoryView(HistoryView):
    """Wagtail's history of one comment: every decision, who took it and when."""

    any_permission_required = ["view"]


class CommentViewSet(ModelViewSet):
    model = Comment
    name = "comment"
    url_prefix = "comments"
    icon = "comment"
    menu_label = gettext_lazy("Moderation queue")
    index_view_class = CommentIndexView
    inspect_view_class = CommentModerateView
    history_view_class = CommentHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "usage_url_name"):
            kwargs[name] = None
        kwargs["inspect_url_name"] = None
        return kwargs

    def get_permissions_to_register(self):
        from django.contrib.auth.models import Permission

        return Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=["view_comment", "moderate_comment", "export_comment"],
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("moderate/<int:pk>/", self.inspect_view, name="moderate"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
        ]


# ---------------------------------------------------------------- bulk actions
class CommentBulkAction(BulkAction):
    models = [Comment]
    template_name = "comments/admin/bulk_confirm.html"
    form_class = ModerationForm
    reason_required = False
    classes = set()

    def check_perm(self, obj):
        return rules.can_moderate(self.request.user)

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(
            Comment.objects.filter(pk__in=object_ids).select_related("author", "thread__article")
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["reason_required"] = self.reason_required
        return kwargs

    def object_context(self, obj):
        return {
            "item": obj,
            "excerpt": obj.excerpt(200),
            "on": str(obj.thread),
            "state": state_label(obj),
            "url": reverse("comment:moderate", args=(obj.pk,)),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_label=self.display_name,
            action_button_text=self.display_name,
            no_action_button_text=_("Cancel"),
            header_icon="comment",
            action_help=self.help_text,
        )
        return context

    def get_execution_context(self):
        data = self.cleaned_form.cleaned_data
        return {
            "user": self.request.user,
            "reason": data.get("reason", ""),
            "note": data.get("note", ""),
        }

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s comment changed.", "%(count)s comments changed.", num_parent_objects
        ) % {"count": num_parent_objects}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class ApproveBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected comments")
    action_priority = 10
    help_text = gettext_lazy("The comments are published and their open reports closed.")

    @classmethod
    def execute_action(cls, objects, user=None, reason="", note="", **kwargs):
        done = services.comment_approve(
            comment_ids=[obj.pk for obj in objects], moderator=user, note=note
        )
        return len(done), 0


class RejectBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected comments")
    action_priority = 20
    reason_required = True
    classes = {"serious"}
    help_text = gettext_lazy("Each author is emailed the reason (and the note).")

    @classmethod
    def execute_action(cls, objects, user=None, reason="", note="", **kwargs):
        done = services.comment_reject(
            comment_ids=[obj.pk for obj in objects], moderator=user, reason=reason, note=note
        )
        return len(done), 0


class HideBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Hide")
    action_type = "hide"
    aria_label = gettext_lazy("Hide the selected comments")
    action_priority = 30
    help_text = gettext_lazy("Published comments are taken out of view; nobody is emailed.")

    @classmethod
    def execute_action(cls, objects, user=None, reason="", note="", **kwargs):
        done = services.comment_hide(
            comment_ids=[obj.pk for obj in objects], moderator=user, reason=reason, note=note
        )
        return len(done), 0


class BlockAuthorsBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Block authors")
    action_type = "block_authors"
    aria_label = gettext_lazy("Block the authors of the selected comments")
    action_priority = 40
    reason_required = True
    classes = {"serious"}
    help_text = gettext_lazy(
        "The authors can no longer comment, and all their comments are hidden."
    )

    @classmethod
    def execute_action(cls, objects, user=None, reason="", note="", **kwargs):
        authors = {obj.author_id for obj in objects if obj.author_id}
        done = services.author_block(user_ids=authors, moderator=user, reason=reason, note=note)
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s author blocked.", "%(count)s authors blocked.", num_parent_objects
        ) % {"count": num_parent_objects}


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, HideBulkAction, BlockAuthorsBulkAction]


# ---------------------------------------------------------------- blocked authors
class AuthorBlockIndexView(IndexView):
    page_title = gettext_lazy("Blocked authors")
    default_ordering = "-created_at"

    def get_base_queryset(self):
        return AuthorBlock.objects.select_related("user", "blocked_by")

    def get_edit_url(self, instance):
        return reverse("blocked_author:unblock", args=(instance.pk,))

    def get_add_url(self):
        return None

    def get_inspect_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "name",
                label=_("Author"),
                accessor=lambda block: block.user.public_name,
                get_url=self.get_edit_url,
            ),
            Column("reason", label=_("Reason"), accessor="get_reason_display"),
            Column(
                "by",
                label=_("Blocked by"),
                accessor=lambda block: block.blocked_by.email if block.blocked_by else "",
            ),
            DateColumn("created_at", label=_("Blocked at"), sort_key="created_at"),
        ]


class UnblockView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "comments/admin/unblock.html"
    page_title = gettext_lazy("Unblock an author")
    header_icon = "lock-open"

    def dispatch(self, request, *args, **kwargs):
        if not rules.can_moderate(request.user):
            raise PermissionDenied
        self.block = get_object_or_404(AuthorBlock.objects.select_related("user"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hidden = Comment.objects.filter(
            author_id=self.block.user_id, hidden_cause=Comment.HiddenCause.AUTHOR_BLOCKED
        ).count()
        context.update(block=self.block, hidden=hidden, index_url=reverse("blocked_author:index"))
        return context

    def post(self, request, *args, **kwargs):
        services.author_unblock(
            user_id=self.block.user_id,
            moderator=request.user,
            note=request.POST.get("note", "")[:1000],
        )
        messages.success(request, _("The author can comment again."))
        return redirect("blocked_author:index")


class AuthorBlockViewSet(ModelViewSet):
    model = AuthorBlock
    name = "blocked_author"
    url_prefix = "comments/blocked"
    icon = "lock"
    menu_label = gettext_lazy("Blocked authors")
    index_view_class = AuthorBlockIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "usage_url_name"):
            kwargs[name] = None
        return kwargs

    def get_permissions_to_register(self):
        from django.contrib.auth.models import Permission

        return Permission.objects.filter(
            content_type__app_label="comments", codename="view_authorblock"
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("unblock/<int:pk>/", UnblockView.as_view(), name="unblock"),
        ]


# ---------------------------------------------------------------- export
class ExportForm(django_forms.Form):
    FORMATS = [("xlsx", "Excel (XLSX)"), ("csv", "CSV (UTF-8)")]

    article = django_forms.ModelChoiceField(
        label=gettext_lazy("News article"),
        queryset=NewsArticlePage.objects.none(),
        required=False,
        empty_label=gettext_lazy("All articles"),
    )
    date_from = django_forms.DateField(
        label=gettext_lazy("Posted from"),
        required=False,
        widget=django_forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_forms.DateField(
        label=gettext_lazy("Posted until"),
        required=False,
        widget=django_forms.DateInput(attrs={"type": "date"}),
    )
    state = django_forms.ChoiceField(
        label=gettext_lazy("Comments"),
        choices=[
            (State.PUBLISHED, gettext_lazy("Published only")),
            ("all", gettext_lazy("All, with their state")),
        ],
        initial=State.PUBLISHED,
    )
    file_format = django_forms.ChoiceField(
        label=gettext_lazy("File"), choices=FORMATS, initial="xlsx"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = (
            NewsArticlePage.objects.filter(comment_thread__isnull=False)
            .select_related("locale")
            .order_by("-published_at")
        )
        self.fields["article"].label_from_instance = lambda page: (
            f"{page.title} ({page.locale.language_code})"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class ExportView(WagtailAdminTemplateMixin, FormView):
    template_name = "comments/admin/export.html"
    page_title = gettext_lazy("Export comments")
    header_icon = "download"
    form_class = ExportForm

    def dispatch(self, request, *args, **kwargs):
        if not rules.can_export(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A GET with parameters is an export (so a link can be shared between analysts).
        kwargs = super().get_form_kwargs()
        if self.request.GET.get("file_format"):
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        data = form.cleaned_data
        queryset = exports.comments_for_export(
            article=data.get("article"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            published_only=data["state"] == State.PUBLISHED,
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"tawasul-comments-{stamp}"
        if data["file_format"] == "csv":
            response = StreamingHttpResponse(
                exports.as_csv(queryset), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = HttpResponse(
                exports.as_xlsx(queryset),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class ExportMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_export(request.user)


class ExportViewSet(ViewSet):
    name = "comments_export"
    url_prefix = "comments/export"
    icon = "download"
    menu_label = gettext_lazy("Export")

    def get_urlpatterns(self):
        return [path("", ExportView.as_view(), name="index")]

    @property
    def menu_item_class(self):
        return ExportMenuItem


class CommentsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Comments")
    menu_icon = "comment"
    menu_order = 250
    items = (CommentViewSet, AuthorBlockViewSet, ExportViewSet)


# ---------------------------------------------------------------- dashboard
class ReviewPanel(Component):
    """On the admin's home page: how many comments wait for a moderator."""

    name = "comments_review"
    order = 90
    template_name = "comments/admin/review_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "count": selectors.review_count(),
            "url": reverse("comment:index"),
            "title": capfirst(_("comments awaiting review")),
        }
