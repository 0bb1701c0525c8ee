"""Public newsletter pages: subscribe, confirm, preferences (signed link), export, erase,
and the one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import json

from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from tawasul.core import ratelimit
from tawasul.core.net import client_ip
from tawasul.newsletter import services
from tawasul.newsletter.forms import PreferencesForm, SubscribeForm
from tawasul.newsletter.models import Topic


@csrf_exempt
@never_cache
def subscribe(request):
    """The sign-up form's target. Without CSRF token: the form is in every page's footer,
    and a token there would keep every page out of the anonymous page cache. A forged
    request can only make us mail a confirmation link (double opt-in), within the
    per-address and per-IP limits."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A bot filled the hidden field: look successful, do nothing.
                return redirect("newsletter:requested")
            try:
                services.subscriber_request(
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    topics=list(Topic.objects.filter(pk__in=form.cleaned_data["topics"])),
                    ip=client_ip(request),
                )
            except ratelimit.RateLimited as error:
                form.add_error(
                    None,
                    _("Too many sign-up requests. Please try again in %(minutes)d minutes.")
                    % {"minutes": error.minutes},
                )
            else:
                return redirect("newsletter:requested")
        status = 400 if not form.errors.get("__all__") else 429
        return render(request, "newsletter/subscribe.html", {"form": form}, status=status)
    return render(request, "newsletter/subscribe.html", {"form": SubscribeForm()})


def requested(request):
    return render(request, "newsletter/requested.html")


@never_cache
def confirm(request, token):
    """GET shows a button (mail scanners follow links); POST confirms."""
    if request.method == "POST":
        subscriber = services.subscriber_confirm(token=token, ip=client_ip(request))
        if subscriber is None:
            return render(request, "newsletter/link_invalid.html", status=400)
        return render(
            request,
            "newsletter/confirmed.html",
            {"manage_url": services.manage_url(subscriber)},
        )
    return render(request, "newsletter/confirm.html", {"token": token})


@never_cache
def manage(request, token):
    subscriber = services.subscriber_from_manage_token(token)
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.subscriber_update_preferences(
                subscriber=subscriber,
                language=form.cleaned_data["language"],
                topics=list(form.cleaned_data["topics"]),
            )
            saved = True
    else:
        form = PreferencesForm(
            initial={"language": subscriber.language, "topics": subscriber.topics.all()}
        )
    return render(
        request,
        "newsletter/manage.html",
        {"form": form, "subscriber": subscriber, "token": token, "saved": saved},
        status=400 if form.errors else 200,
    )


@never_cache
def export(request, token):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    subscriber = services.subscriber_from_manage_token(token)
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    data = services.subscriber_export(subscriber=subscriber)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
    return response


@never_cache
def erase(request, token):
    subscriber = services.subscriber_from_manage_token(token)
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    if request.method == "POST":
        services.subscriber_erase(subscriber=subscriber)
        return render(request, "newsletter/erased.html")
    return render(request, "newsletter/erase.html", {"token": token})


@csrf_exempt
@never_cache
def unsubscribe(request, token):
    """The List-Unsubscribe target. A POST (RFC 8058 one-click, sent by mailbox providers
    without cookies or CSRF token; or the button of the page below) unsubscribes and
    answers 200. A GET only shows the confirmation page, because mail scanners follow
    links. A bad token changes nothing."""
    subscriber = services.subscriber_from_manage_token(token)
    if request.method == "POST":
        if subscriber is None:
            return render(request, "newsletter/link_invalid.html", status=400)
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(
            request,
            "newsletter/unsubscribed.html",
            {"manage_url": services.manage_url(subscriber)},
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    return render(request, "newsletter/unsubscribe.html", {"token": token})


@csrf_exempt
@never_cache
def bounce_webhook(request):
    """Bounce and complaint notifications by HTTP: the raw message (a DSN or ARF report,
    ``message/rfc822``) as the POST body, with ``Authorization: Bearer <token>`` set to
    ``TAWASUL_NEWSLETTER_BOUNCE_WEBHOOK_TOKEN``. Off (404) when no token is configured."""
    import hmac

    from django.conf import settings
    from django.http import Http404

    from tawasul.newsletter import bounces

    expected = getattr(settings, "NEWSLETTER_BOUNCE_WEBHOOK_TOKEN", "")
    if not expected:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return HttpResponse(status=403)
    if len(request.body) > 1024 * 1024:
        return HttpResponse(status=413)
    outcome = bounces.ingest(request.body)
    return HttpResponse(
        json.dumps({"kind": outcome.kind, "matched": outcome.matched}),
        content_type="application/json",
    )
