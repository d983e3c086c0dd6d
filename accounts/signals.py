from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import remember_preferences
from .models import profile_for


@receiver(user_logged_in)
def load_preferences(sender, request, user, **kwargs):
    remember_preferences(request.session, profile_for(user))


def restore_editors_group(sender, **kwargs):
    from .roles import ensure_editors_group

    ensure_editors_group()
