"""One import at a time: parallel commands or confirms give one copy of the bank (run on PostgreSQL too)."""

import io
import re
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from accounts.tests.factories import UserFactory
from questions.models import Question

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "bank.md"

# Threads share SQLite's in-memory test database badly; the locking under test is PostgreSQL's and SQLite's file lock.
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")


def in_parallel(*jobs) -> list:
    """Run the jobs in threads started together; each gets its own database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def generated_bank(path: Path, count: int) -> None:
    path.write_text("".join(f"## {n}. 第{n}题是什么？\n\n第{n}题的答案。\n\n" for n in range(1, count + 1)), "utf-8")


@pytest.mark.django_db(transaction=True)
def test_two_import_bank_runs_at_once_give_one_copy(tmp_path):
    path = tmp_path / "bank.md"
    generated_bank(path, 200)

    def job():
        out = io.StringIO()
        try:
            call_command("import_bank", str(path), "--topics", "", stdout=out)
        except CommandError as exc:
            return str(exc)
        return out.getvalue()

    results = in_parallel(job, job)
    assert Question.objects.count() == 200
    assert sum("200 created" in str(r) for r in results) == 1
    assert sum("200 unchanged" in str(r) or "another import" in str(r) for r in results) == 1


@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_one_upload_give_one_copy():
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Question editors"))
    client = Client()
    client.force_login(editor)
    response = client.post(
        "/admin/questions/question/import/", {"file": SimpleUploadedFile("bank.md", SEED.read_bytes())}
    )
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)

    def confirm():
        other = Client()
        other.force_login(editor)
        return other.post("/admin/questions/question/import/", {"confirm": "1", "token": token}).status_code

    assert in_parallel(confirm, confirm) == [302, 302]
    assert Question.objects.count() == 11
