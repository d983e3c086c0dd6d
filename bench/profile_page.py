#!/usr/bin/env python
"""Server time of the profile page (its time-zone select has ~600 options). Run by hand:

    .venv/bin/python bench/profile_page.py            # 100 requests after 10 to warm up
    .venv/bin/python bench/profile_page.py --runs 300

Production settings on a fresh SQLite file in a temporary folder; the time is the whole request inside
Django (middleware, session, view, template), measured through Django's test client, so no network.
Prints the wall-clock median and 90th percentile, and the median CPU time (steadier on a busy machine); docs/benchmarks.md keeps the measured figures.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="profile-bench-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + "k" * 60,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="quizsite.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    # Static files by name, so the page renders without collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    client = Client()
    client.force_login(get_user_model().objects.create_user("bench", "bench@example.com", "x"))
    for path in ("/accounts/profile/", "/accounts/password/change/"):
        for _ in range(10):
            assert client.get(path).status_code == 200
        wall, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        print(
            f"{path}: wall median {statistics.median(wall):.1f} ms, p90 {statistics.quantiles(wall, n=10)[-1]:.1f} ms;"
            f" CPU median {statistics.median(cpu):.1f} ms ({args.runs} requests)"
        )


if __name__ == "__main__":
    main()
