from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    language = models.CharField(
        _("interface language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: follow the browser's language."),
    )
    # Checked against the installed tz database by the profile form, not here: choices on the
    # field would make migrations depend on each machine's tzdata.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        help_text=_("Your days (streaks, the heat map, “due today”) start at midnight here."),
    )

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


def profile_for(user) -> Profile:
    """The user's profile, made on first use."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
