"""With a shared cache, the signed-in user is kept in it between requests, and never outlives a change."""

import pytest
from django.core.cache import cache
from django.test import Client

BACKEND = "accounts.backends.CachedModelBackend"


@pytest.fixture
def cached_backend(settings):
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", BACKEND]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_in(cached_backend, user):
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_the_user_is_loaded_once(signed_in, django_assert_num_queries):
    signed_in.get("/accounts/profile/")
    # session, profile: no query for the user
    with django_assert_num_queries(2):
        assert signed_in.get("/accounts/profile/").status_code == 200


def test_a_password_change_elsewhere_signs_this_session_out(signed_in, user):
    signed_in.get("/accounts/profile/")  # the user is now cached
    user.set_password("Another-passw0rd!")
    user.save()
    response = signed_in.get("/accounts/profile/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_deactivated_user_is_signed_out_at_once(signed_in, user):
    signed_in.get("/accounts/profile/")
    user.is_active = False
    user.save()
    assert signed_in.get("/accounts/profile/").status_code == 302


def test_a_deleted_user_is_forgotten(signed_in, user):
    signed_in.get("/accounts/profile/")
    user.delete()
    assert signed_in.get("/accounts/profile/").status_code == 302
