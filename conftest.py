import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests render templates without collectstatic, and hash passwords fast.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run inside the test, as soon as they are enqueued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Every test starts with an empty cache (allauth's rate limits and the pages' cached figures live there).
    cache.clear()
    # ...and in the site's default language: a request in Chinese leaves it active in this thread, so a later
    # test's messages would depend on the order the tests ran in (mutmut runs them in its own order).
    translation.activate(settings.LANGUAGE_CODE)
    # The same for the time zone a signed-in candidate's request activates (accounts.middleware).
    timezone.deactivate()


@pytest.fixture
def seeded_bank(db):
    """The shipped bank, imported as `make setup` does."""
    call_command("import_bank", "fixtures/bank.md", stdout=io.StringIO())


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="owner")


@pytest.fixture
def other_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="other")


@pytest.fixture
def user_client(client, user):
    """A browser signed in as the owner of the objects under test."""
    client.force_login(user)
    return client


@pytest.fixture
def other_client(other_user):
    from django.test import Client

    other = Client()
    other.force_login(other_user)
    return other


@pytest.fixture
def hx():
    """The headers of an htmx request, for `client.get(url, **hx)`."""
    return {"HTTP_HX_REQUEST": "true"}
