from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.models import User, normalise_email
from tawasul.core.antibot import HoneypotForm, HumanCheckForm
from tawasul.core.text import hidden_characters, neutralise

DUPLICATE_EMAIL = _(
    "An account with this email address already exists. Sign in, or reset its password."
)


def clean_display_name(value: str) -> str:
    hidden = hidden_characters(value)
    if hidden:
        raise forms.ValidationError(
            _(
                "The name contains invisible or direction-changing characters (%(chars)s). "
                "Please type it again without them."
            ),
            code="hidden_characters",
            params={"chars": ", ".join(hidden)},
        )
    cleaned = neutralise(value).strip()
    if value.strip() and not cleaned:
        raise forms.ValidationError(_("Please enter a name with visible letters."))
    return cleaned


class SignupForm(HumanCheckForm, HoneypotForm, forms.ModelForm):
    """Each sign-up sends a mail, so a flood of them is a flood of mail: the human check
    and the honeypot keep scripts out."""

    human_scope = "accounts:signup"

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["email", "display_name"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
        }

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(DUPLICATE_EMAIL, code="duplicate_email")
        return email

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name", ""))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            probe = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SigninForm(auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("The email address or the password is not right. Please try again."),
        "inactive": _("This account is closed."),
        "unverified": _(
            "Please confirm your email address first: open the link we sent to it. "
            "You can ask for a new link below."
        ),
    }

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data.get("username", ""))

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Staff accounts are made by an administrator, who vouches for the address.
        if not user.email_verified and not user.has_perm("wagtailadmin.access_admin"):
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name", ""))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="wrong_password")
        return password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, but the mail goes through the task queue."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.template import loader

        from tawasul.accounts import tasks

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        tasks.send_account_email.enqueue(subject=subject, body=body, to=to_email)
