from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .backends import cached_user_key
from .middleware import remember_preferences
from .models import profile_for


@receiver(user_logged_in)
def load_preferences(sender, request, user, **kwargs):
    remember_preferences(request.session, profile_for(user))


@receiver(user_signed_up)
def welcome(sender, request, user, **kwargs):
    messages.success(request, _("Welcome! Pick a topic to start practising."))


def restore_editors_group(sender, **kwargs):
    """The one place the editors' group is made: after every migrate, and every flush in tests."""
    from .roles import ensure_editors_group

    ensure_editors_group()


@receiver([post_save, post_delete], sender=get_user_model())
def forget_cached_user(sender, instance, **kwargs):
    """A changed or deleted user must not live on in the cache (CachedModelBackend)."""
    cache.delete(cached_user_key(instance.pk))
