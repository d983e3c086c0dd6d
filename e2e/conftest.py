"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# The tests use both Playwright (which runs an event loop) and the ORM in one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # `playwright install` cannot download browsers here: use the system's Chromium.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def bank(transactional_db):
    call_command("import_bank", "fixtures/bank.md", stdout=io.StringIO())


@pytest.fixture
def sign_in(live_server, page):
    """Put a signed-in session for `user` into the browser."""

    def _sign_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])

    return _sign_in


@pytest.fixture
def candidate(transactional_db):
    from accounts.tests.factories import UserFactory

    return UserFactory(username="candidate")


@pytest.fixture
def screenshots():
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
