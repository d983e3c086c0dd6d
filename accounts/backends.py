from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

CACHE_SECONDS = 300


def cached_user_key(user_id) -> str:
    return f"accounts:user:{user_id}"


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, keeping the signed-in user in the shared cache between requests.

    Loading the user is a query on every signed-in request; the autosave of a mock interview, the
    busiest endpoint, then does half its database work for it. Used only with a shared cache
    (REDIS_URL): every save or delete of a user drops the cached copy, on every app server at once
    (accounts.signals).
    Bulk `QuerySet.update()`s of users bypass that, so they may take up to CACHE_SECONDS to show.
    """

    def get_user(self, user_id):
        user = cache.get(cached_user_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(cached_user_key(user_id), user, CACHE_SECONDS)
        return user
