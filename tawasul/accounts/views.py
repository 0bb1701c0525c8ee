"""Thin views: forms validate, services act."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from tawasul.accounts import forms, services


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/") if settings.DEBUG else settings.BASE_URL


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                language=translation.get_language(),
                base_url=_base_url(request),
            )
        except services.DuplicateEmail:
            form.add_error("email", forms.DUPLICATE_EMAIL)
        else:
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request):
    return render(
        request, "accounts/signup_done.html", {"email": request.session.get("signup_email")}
    )


def verify(request, token: str):
    user = services.verification_token_read(token)
    if user is None:
        return render(request, "accounts/verify_invalid.html", status=400)
    services.user_verify_email(user=user)
    messages.success(request, _("Your email address is confirmed. You can sign in now."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = forms.ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_resend_verification(
            email=form.cleaned_data["email"], base_url=_base_url(request)
        )
        # The same answer whether or not the address has an account.
        messages.info(
            request, _("If that address has an unconfirmed account, a new link is on its way.")
        )
        return redirect("accounts:login")
    return render(
        request,
        "accounts/form_page.html",
        {"form": form, "heading": _("Send the confirmation link again"), "button": _("Send")},
    )


class SigninView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.SigninForm
    redirect_authenticated_user = True


@require_POST
def signout(request):
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect(f"/{translation.get_language()}/")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = forms.ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def export_data(request):
    data = services.user_export_data(user=request.user)
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="tawasul-my-data-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = forms.DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, _("Your account and its data are deleted."))
        return redirect(f"/{translation.get_language()}/")
    return render(request, "accounts/delete.html", {"form": form})


password_reset = auth_views.PasswordResetView.as_view(
    form_class=forms.PasswordResetForm,
    template_name="accounts/form_page.html",
    extra_context={"heading": _lazy("Reset your password"), "button": _lazy("Send the link")},
    email_template_name="accounts/email/password_reset_body.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/form_page.html",
    extra_context={
        "heading": _lazy("Choose a new password"),
        "button": _lazy("Save the new password"),
    },
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/form_page.html",
    extra_context={
        "heading": _lazy("Change your password"),
        "button": _lazy("Change the password"),
    },
    success_url=reverse_lazy("accounts:profile"),
)
