import functools
import zoneinfo

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Profile


class SignUpForm(allauth_forms.SignupForm):
    """allauth's sign-up, worded as the site's own form was."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail")
        self.fields["email"].help_text = _(
            "We send a link to confirm it. Only a confirmed address can reset your password."
        )
        self.fields["password2"].label = _("Password confirmation")


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """Sends a reset link only to a confirmed address.

    An address that was never confirmed is sent a confirmation link instead: whoever reads that
    mailbox confirms it, then asks for the reset again. The page says the same in every case, so it
    does not tell whether an account exists.
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        addresses = EmailAddress.objects.filter(email=email.lower(), user__is_active=True).select_related("user")
        self.users = [address.user for address in addresses if address.verified]
        self.unconfirmed = [address for address in addresses if not address.verified]
        return email

    def save(self, request, **kwargs) -> str:
        if self.users or not self.unconfirmed:
            return super().save(request, **kwargs)
        for address in self.unconfirmed:
            address.send_confirmation(request)
        return self.cleaned_data["email"]


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    """Checks the current password as a sign-in does, so the sign-in throttle (django-axes) counts it."""

    def clean_oldpassword(self) -> str:
        password = self.cleaned_data.get("oldpassword", "")
        if not get_adapter().reauthenticate(self.user, password):
            raise get_adapter().validation_error("enter_current_password")
        return password


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every zone of the installed tz database, UTC first (read from disk once per process)."""
    zones = sorted(tz for tz in zoneinfo.available_timezones() if "/" in tz and not tz.startswith(("Etc/", "SystemV/")))
    return ("UTC", *zones)


@functools.cache
def time_zone_options() -> str:
    return format_html_join("", '<option value="{}">{}</option>', ((tz, tz) for tz in time_zones()))


class TimeZoneSelect(forms.Widget):
    """A <select> of every time zone, its options written once per process.

    Through Django's Select, with a template and a choices copy per option, the ~600 zones took
    0.2–1 s per profile page (issue 16).
    """

    def render(self, name, value, attrs=None, renderer=None):
        options = time_zone_options()
        if value in time_zones():  # a known zone, so nothing in it needs escaping
            options = mark_safe(options.replace(f'value="{value}">', f'value="{value}" selected>', 1))
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class ProfileForm(forms.ModelForm):
    time_zone = forms.CharField(
        label=capfirst(Profile._meta.get_field("time_zone").verbose_name),
        help_text=Profile._meta.get_field("time_zone").help_text,
        widget=TimeZoneSelect,
    )

    class Meta:
        model = Profile
        fields = ["display_name", "language", "time_zone"]

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"]
        if value not in time_zones():
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return value


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        # Checked as a sign-in is, so the sign-in throttle (django-axes) counts wrong guesses.
        password = self.cleaned_data["password"]
        if not get_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError(_("That is not your password."))
        return password
