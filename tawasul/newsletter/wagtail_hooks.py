"""The newsletter in the Wagtail admin: campaigns (composed there; sent, paused and
followed from their own screen), topics, subscribers and the suppression list."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from tawasul.newsletter import admin_views
from tawasul.newsletter.models import Campaign, Subscriber, Suppression, Topic


class CampaignForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.state not in (
            Campaign.State.DRAFT,
            Campaign.State.SCHEDULED,
        ):
            raise self.error_class_for_state()
        return cleaned

    def error_class_for_state(self):
        from django.core.exceptions import ValidationError

        return ValidationError(_("A campaign that has started cannot be changed."))


class ProgressColumn(Column):
    cell_template_name = "newsletter/admin/progress_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse(f"{admin_views.URL_NAMESPACE}:detail", args=[instance.pk])
        return context


class CampaignViewSet(ModelViewSet):
    name = "newsletter_campaign"
    url_prefix = "newsletter/campaigns"
    model = Campaign
    icon = "mail"
    menu_label = _lazy("Campaigns")
    add_to_admin_menu = False
    list_display = [
        "title",
        "state",
        "scheduled_at",
        "audience_size",
        ProgressColumn("progress", label=_lazy("Sending")),
    ]
    list_filter = ["state"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("topics"),
            MultiFieldPanel(
                [FieldPanel("subject_ar"), FieldPanel("body_ar")], heading=_lazy("Arabic")
            ),
            MultiFieldPanel(
                [FieldPanel("subject_en"), FieldPanel("body_en")], heading=_lazy("English")
            ),
        ],
        base_form_class=CampaignForm,
    )


class TopicViewSet(ModelViewSet):
    name = "newsletter_topic"
    url_prefix = "newsletter/topics"
    model = Topic
    icon = "tag"
    menu_label = _lazy("Topics")
    list_display = ["name_ar", "name_en", "slug"]
    form_fields = ["slug", "name_ar", "name_en", "sort_order"]


class SubscriberViewSet(ModelViewSet):
    name = "newsletter_subscriber"
    url_prefix = "newsletter/subscribers"
    model = Subscriber
    icon = "user"
    menu_label = _lazy("Subscribers")
    list_display = ["email", "language", "state", "source", "confirmed_at"]
    list_filter = ["state", "language", "source", "topics"]
    search_fields = ["email", "name"]
    form_fields = ["name", "language", "topics"]
    list_export = ["email", "name", "language", "state", "source", "requested_at", "confirmed_at"]


class SuppressionViewSet(ModelViewSet):
    name = "newsletter_suppression"
    url_prefix = "newsletter/suppressions"
    model = Suppression
    icon = "warning"
    menu_label = _lazy("Suppression list")
    list_display = ["email_hash", "reason", "created_at"]
    list_filter = ["reason"]
    form_fields = ["reason"]


class CampaignScreens(ViewSet):
    name = admin_views.URL_NAMESPACE
    url_prefix = "newsletter/campaign"
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [
            path("<int:pk>/", admin_views.detail, name="detail"),
            path("<int:pk>/progress.json", admin_views.progress, name="progress"),
            path("<int:pk>/preview/<str:language>/", admin_views.preview, name="preview"),
            path("<int:pk>/start/", admin_views.start, name="start"),
            path("<int:pk>/pause/", admin_views.pause, name="pause"),
            path("<int:pk>/resume/", admin_views.resume, name="resume"),
            path("<int:pk>/cancel/", admin_views.cancel, name="cancel"),
            path("<int:pk>/schedule/", admin_views.schedule, name="schedule"),
            path("<int:pk>/test/", admin_views.test_send, name="test_send"),
            path("<int:pk>/resend/", admin_views.resend_ambiguous, name="resend_ambiguous"),
        ]


class NewsletterGroup(ViewSetGroup):
    menu_label = _lazy("Newsletter")
    menu_icon = "mail"
    menu_order = 320
    items = (CampaignViewSet, TopicViewSet, SubscriberViewSet, SuppressionViewSet)


@hooks.register("register_admin_viewset")
def register_newsletter_admin():
    return NewsletterGroup()


@hooks.register("register_admin_viewset")
def register_campaign_screens():
    return CampaignScreens()


@hooks.register("insert_global_admin_js")
def newsletter_admin_js():
    from django.templatetags.static import static

    return format_html('<script src="{}" defer></script>', static("newsletter/progress.js"))
