import io

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests render templates without collectstatic, and hash passwords fast.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded_bank(db):
    """The shipped bank, imported as `make setup` does."""
    call_command("import_bank", "fixtures/bank.md", stdout=io.StringIO())
