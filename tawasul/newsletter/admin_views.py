"""Staff screens of a campaign in the Wagtail admin: progress (live), preview, test send,
schedule and the lifecycle buttons. Every change goes through services."""

from __future__ import annotations

from datetime import datetime

from csp.decorators import csp_exempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tawasul.newsletter import selectors, sender, services
from tawasul.newsletter.message import MessageFactory, render_version
from tawasul.newsletter.models import Campaign, Delivery, Subscriber

URL_NAMESPACE = "newsletter_admin"


def _campaign(request, pk: int, perm: str = "view") -> Campaign:
    if not request.user.has_perm(f"newsletter.{perm}_campaign"):
        raise PermissionDenied
    return get_object_or_404(Campaign, pk=pk)


def detail(request, pk: int):
    campaign = _campaign(request, pk)
    title = _("Campaign: %(title)s") % {"title": campaign.title}
    return TemplateResponse(
        request,
        "newsletter/admin/campaign.html",
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "mail",
            "breadcrumbs_items": [],
            "campaign": campaign,
            "progress": selectors.campaign_progress(campaign),
            "can_change": request.user.has_perm("newsletter.change_campaign"),
            "growth": selectors.list_growth(),
        },
    )


def progress(request, pk: int):
    campaign = _campaign(request, pk)
    return JsonResponse(
        {"state": campaign.get_state_display(), **selectors.campaign_progress(campaign)}
    )


@csp_exempt()
def preview(request, pk: int, language: str):
    """The HTML version as subscribers see it (its inline styles need the CSP lifted
    for this one response, which holds only the campaign's own content)."""
    campaign = _campaign(request, pk)
    if language not in ("ar", "en"):
        raise PermissionDenied
    return HttpResponse(render_version(campaign, language)["html"])


def _act(request, pk: int, action) -> HttpResponse:
    campaign = _campaign(request, pk, "change")
    try:
        action(campaign)
    except services.NewsletterRefused as error:
        messages.error(request, str(error.message))
    return redirect(f"{URL_NAMESPACE}:detail", pk=campaign.pk)


@require_POST
def start(request, pk: int):
    def run(campaign):
        services.campaign_start(campaign_id=campaign.pk)
        messages.success(request, _("Sending has started."))

    return _act(request, pk, run)


@require_POST
def pause(request, pk: int):
    return _act(request, pk, lambda c: services.campaign_pause(campaign_id=c.pk))


@require_POST
def resume(request, pk: int):
    return _act(request, pk, lambda c: services.campaign_resume(campaign_id=c.pk))


@require_POST
def cancel(request, pk: int):
    return _act(request, pk, lambda c: services.campaign_cancel(campaign_id=c.pk))


@require_POST
def resend_ambiguous(request, pk: int):
    def run(campaign):
        count = sender.deliveries_resend_ambiguous(campaign_id=campaign.pk)
        messages.warning(request, _("%(count)d message(s) will be sent again.") % {"count": count})
        if campaign.state == Campaign.State.RUNNING:
            services._enqueue_send(campaign.pk)

    return _act(request, pk, run)


@require_POST
def schedule(request, pk: int):
    def run(campaign):
        try:
            when = datetime.fromisoformat(request.POST.get("when", ""))
        except ValueError:
            raise services.NewsletterRefused(_("Give the date and time to send.")) from None
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        if when <= timezone.now():
            raise services.NewsletterRefused(_("The time to send must be in the future."))
        services.campaign_schedule(campaign_id=campaign.pk, when=when)
        messages.success(request, _("The campaign is scheduled."))

    return _act(request, pk, run)


@require_POST
def test_send(request, pk: int):
    """Send one copy to the address given, in the language chosen (not recorded as a
    delivery; its links do not work)."""

    def run(campaign):
        address = request.POST.get("email", "").strip()
        language = request.POST.get("language", "ar")
        try:
            validate_email(address)
        except ValidationError:
            raise services.NewsletterRefused(_("Enter a valid email address.")) from None
        stand_in = Subscriber(pk=0, email=address, email_key=address, language=language)
        factory = MessageFactory(campaign)
        envelope, data = factory.build(Delivery(pk=0), stand_in)
        config = sender._smtp_settings()
        if config is None:
            from django.core.mail import get_connection

            get_connection().send_messages([factory.as_django(Delivery(pk=0), stand_in, data)])
        else:
            relay = sender.Relay(config)
            try:
                code, text = relay.send(envelope, address, data)
            except (OSError, sender.Ambiguous) as error:
                raise services.NewsletterRefused(
                    _("The mail relay could not be reached: %(error)s") % {"error": error}
                ) from None
            finally:
                relay.close()
            if code >= 300:
                raise services.NewsletterRefused(
                    _("The mail relay refused the message: %(code)s %(text)s")
                    % {"code": code, "text": text}
                )
        messages.success(request, _("A test copy was sent to %(email)s.") % {"email": address})

    return _act(request, pk, run)
