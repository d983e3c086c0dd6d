"""Settings come from the environment; production mode is secure."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!k2m" * 10,
    "DJANGO_ALLOWED_HOSTS": "quiz.example.com",
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        # As in deployment: without the browser tests' async override.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_passes_the_deploy_check_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_real_secret():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_production_logs_are_json_lines():
    import json
    import logging

    from quizsite.logs import JsonFormatter

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal error: %s", ("/x",), None)
    line = JsonFormatter().format(record)
    assert json.loads(line)["message"] == "Internal error: /x"


def test_with_redis_the_cache_and_sessions_are_shared():
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    result = manage("shell", "-c", script, REDIS_URL="redis://127.0.0.1:6379/9")
    assert result.stdout.split()[-2:] == [
        "quizsite.cache.ReusedClientRedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]
