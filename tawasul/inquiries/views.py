"""Thin public views: send an inquiry, ask for the tracking link, follow the case and add
to it, rate the answer, read the FAQ. Forms validate, services act. Pages about one case
are never cached (they show personal data)."""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tawasul.core import ratelimit
from tawasul.core.net import client_ip
from tawasul.inquiries import rules, selectors, services
from tawasul.inquiries.forms import AddForm, CaseForm, RateForm, TrackForm
from tawasul.inquiries.models import Case, FaqEntry

SENT_KEY = "inquiries_sent"


def _wait_message(limited: ratelimit.RateLimited) -> str:
    return ngettext(
        "Too many attempts. Please try again in %(minutes)s minute.",
        "Too many attempts. Please try again in %(minutes)s minutes.",
        limited.minutes,
    ) % {"minutes": limited.minutes}


def _services(language: str):
    from tawasul.eservices.models import ServicePage

    return ServicePage.objects.live().filter(locale__language_code=language).order_by("title")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    language = translation.get_language()
    topics = list(selectors.topics_for(language))
    services_list = list(_services(language))
    user = request.user
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES, topics=topics, services=services_list)
        form.human_check_skipped = user.is_authenticated
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.case_submit(
                    kind=data["kind"],
                    topic=data["topic"],
                    service=data["service"],
                    subject=data["subject"],
                    message=data["message"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    language=data["language"],
                    consent=data["consent"],
                    user=user,
                    files=form.checked_files,
                    idempotency_key=(data.get("form_key") or "")[:64],
                    ip_address=client_ip(request),
                )
            except ratelimit.RateLimited as limited:
                form.add_error(None, _wait_message(limited))
                status = 429
            except services.ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SENT_KEY] = result.case.reference
                return redirect("inquiries:sent")
        return render(request, "inquiries/index.html", {"form": form}, status=status)
    initial = {"language": language, "form_key": secrets.token_urlsafe(24)}
    if user.is_authenticated:
        initial.update(name=user.public_name, email=user.email)
    # "Ask about this service" links from an e-service page carry ?service=<id>.
    wanted = request.GET.get("service", "")
    if wanted.isdigit() and any(str(s.pk) == wanted for s in services_list):
        initial["service"] = wanted
    # The home page's "Ask us" block links each kind: ?kind=question, ...
    if request.GET.get("kind") in Case.Kind.values:
        initial["kind"] = request.GET["kind"]
    form = CaseForm(initial=initial, topics=topics, services=services_list)
    form.human_check_skipped = user.is_authenticated
    return render(request, "inquiries/index.html", {"form": form})


@never_cache
@require_safe
def sent(request):
    reference = request.session.get(SENT_KEY)
    if not reference:
        return redirect("inquiries:index")
    return render(request, "inquiries/sent.html", {"reference": reference})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    done = False
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        form.human_check_skipped = request.user.is_authenticated
        if form.is_valid():
            try:
                services.tracking_link_send(
                    reference=form.cleaned_data["reference"],
                    email=form.cleaned_data["email"],
                    ip_address=client_ip(request),
                )
                done = True
            except ratelimit.RateLimited as limited:
                form.add_error(None, _wait_message(limited))
                status = 429
        else:
            status = 400
    else:
        form = TrackForm()
        form.human_check_skipped = request.user.is_authenticated
    if done:
        form = TrackForm()
        form.human_check_skipped = request.user.is_authenticated
    return render(request, "inquiries/track.html", {"form": form, "done": done}, status=status)


def _link_expired(request):
    return render(request, "inquiries/link_expired.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def case(request, token: str):
    case = services.tracking_token_read(token)
    if case is None:
        return _link_expired(request)
    status = 200
    error = ""
    form = AddForm() if rules.can_citizen_add(case) else None
    if request.method == "POST" and not rules.can_citizen_add(case):
        error = services.CaseRefused("closed").message
        status = 409
    elif request.method == "POST":
        form = AddForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.case_citizen_message(
                    case_id=case.pk, body=form.cleaned_data["message"], files=form.checked_files
                )
            except services.CaseRefused as refused:
                form.add_error(None, refused.message)
            except services.ValidationError as error:
                form.add_error("message", error)
            else:
                messages.success(request, _("Thank you: your information is added."))
                return redirect("inquiries:case", token=token)
        status = 400
    case.refresh_from_db()
    context = {
        "case": case,
        "history": selectors.public_messages(case),
        "error": error,
        "form": form if rules.can_citizen_add(case) else None,
        "rate_token": services.rating_token_make(case) if rules.can_rate(case) else "",
    }
    return render(request, "inquiries/case.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rate(request, token: str):
    """GET shows the form (mail scanners follow links; nothing changes); POST rates once."""
    case = services.rating_token_read(token)
    if case is None:
        return _link_expired(request)
    initial = {}
    if request.GET.get("score", "").isdigit():
        initial["score"] = int(request.GET["score"])
    form = RateForm(request.POST or None, initial=initial)
    status = 200
    done = case.rated_at is not None
    if request.method == "POST" and not done:
        status = 400
        if form.is_valid():
            try:
                services.case_rate(
                    case_id=case.pk,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
                done, status = True, 200
            except services.CaseRefused as refused:
                form.add_error(None, refused.message)
                status = 409
    return render(
        request,
        "inquiries/rate.html",
        {"case": case, "form": form, "done": done, "open": rules.can_rate(case)},
        status=status,
    )


@require_safe
def faq(request):
    entries = FaqEntry.objects.filter(
        state=FaqEntry.State.PUBLISHED, language=translation.get_language()
    ).select_related("topic")
    return render(request, "inquiries/faq.html", {"entries": entries})


@csrf_exempt
@require_POST
def inbound(request):
    """The webhook for mail providers: the raw message (RFC 5322) as the request body,
    with the shared secret in ``X-Tawasul-Secret``. Off unless the secret is set."""
    secret = settings.INQUIRIES_WEBHOOK_SECRET
    given = request.headers.get("X-Tawasul-Secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponseForbidden("forbidden")
    if len(request.body) > 30 * 1024 * 1024:
        return HttpResponse("too large", status=413)
    outcome = services.mail_ingest(raw=request.body)
    return HttpResponse(
        outcome, content_type="text/plain", status=400 if outcome == "malformed" else 200
    )
