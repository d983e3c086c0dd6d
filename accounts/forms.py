import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import Profile


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), help_text=_("Used only to reset your password."))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]


def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(tz for tz in zoneinfo.available_timezones() if "/" in tz and not tz.startswith(("Etc/", "SystemV/")))
    return [("UTC", "UTC"), *((tz, tz) for tz in zones)]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=Profile._meta.get_field("time_zone").verbose_name,
        choices=time_zone_choices,
        help_text=Profile._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = Profile
        fields = ["display_name", "language", "time_zone"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
