from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .backends import cached_user_key
from .middleware import remember_preferences
from .models import profile_for


@receiver(user_logged_in)
def load_preferences(sender, request, user, **kwargs):
    remember_preferences(request.session, profile_for(user))


def restore_editors_group(sender, **kwargs):
    from .roles import ensure_editors_group

    ensure_editors_group()


@receiver([post_save, post_delete], sender=get_user_model())
def forget_cached_user(sender, instance, **kwargs):
    """A changed or deleted user must not live on in the cache (CachedModelBackend)."""
    cache.delete(cached_user_key(instance.pk))
