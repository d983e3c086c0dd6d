#!/usr/bin/env python
"""A task worker killed mid-task: the grading job is retried, or reported, never lost silently.

    .venv/bin/python bench/task_fault.py

On a fresh PostgreSQL database, with the LLM grader pointed at a slow fake OpenAI-compatible
server started here (loopback, port 8601), six answers are recorded; their grading jobs queue up
for `manage.py db_worker`. The worker is SIGKILLed while the grader is answering the first job,
twice over:

1. after the first kill the job is still "running" (django-tasks-db does not notice a dead worker);
   past GRADING_JOB_LIMIT_SECONDS `recover_grading_jobs` queues it again, and a new worker grades it;
2. the second job is killed on both of its tries: the sweep then gives it up as failed
   ("the grading worker stopped"), keeping the local score, and says so on the page.

At the end every job must be done or failed with a reason, none open. Exits non-zero otherwise.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, ROOT, fresh_database, manage, site_env  # noqa: E402

DATABASE = "quiz_scoring_taskfault"
FAKE_PORT = 8601
REPLY_SECONDS = 5  # how long the fake grader "thinks": the window in which the worker is killed
LIMIT = 8  # GRADING_JOB_LIMIT_SECONDS for this run

RECORD = """
from django.contrib.auth import get_user_model
from django.db import transaction
from practice.services import attempt_record
from questions.models import Question
user, _ = get_user_model().objects.get_or_create(username="fault-candidate")
for n, question in enumerate(Question.objects.order_by("pk")[:6]):
    with transaction.atomic():
        attempt_record(user=user, question=question, answer=f"第{n}个回答：用多卡并行计算和混合精度训练。")
"""


class SlowGrader(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(REPLY_SECONDS)
        content = json.dumps({"covered": [1], "feedback": "并行计算答到了，其余要点没有展开。"})
        body = json.dumps(
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
            }
        ).encode()
        with contextlib.suppress(OSError):  # the worker that asked was killed
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def status(env) -> dict:
    """The grading jobs and django-tasks-db's results, read with psql (fast enough to poll)."""
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAF",
            "|",
            DATABASE,
            "-c",
            "SELECT id, status, tries, failure FROM grading_gradingjob ORDER BY id",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    jobs = [dict(zip(("pk", "status", "tries", "failure"), line.split("|"), strict=True)) for line in out.split()]
    for job in jobs:
        job["pk"], job["tries"] = int(job["pk"]), int(job["tries"])
    results = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            "SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at",
            DATABASE,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {"jobs": jobs, "task_results": results}


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--queue-name", "default", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def wait_for(env, predicate, what: str, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = status(env)
        if predicate(state):
            return state
        time.sleep(0.2)
    sys.exit(f"timed out waiting for {what}: {status(env)}")


def running_job(state, other_than=()) -> int | None:
    return next((j["pk"] for j in state["jobs"] if j["status"] == "running" and j["pk"] not in other_than), None)


def sweep(env) -> None:
    time.sleep(LIMIT + 1)
    print("  sweep:", manage(env, "recover_grading_jobs", capture=True).strip())


def kill_during(env, what: str, pick) -> int:
    """Start a worker, wait until pick(state) names the job it is running, and SIGKILL it there."""
    worker = start_worker(env)
    state = wait_for(env, lambda s: pick(s) is not None, what)
    job = pick(state)
    kill(worker)
    print(f"worker killed while grading job {job} ({what}); the job is left", status(env)["jobs"][job - 1]["status"])
    return job


def main():
    server = ThreadingHTTPServer(("127.0.0.1", FAKE_PORT), SlowGrader)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = site_env(
        DATABASE,
        SCORER_BACKEND="llm",
        LLM_BASE_URL=f"http://127.0.0.1:{FAKE_PORT}/v1",
        LLM_MODEL="fake",
        LLM_TIMEOUT="30",
        GRADING_JOB_LIMIT_SECONDS=str(LIMIT),
    )
    fresh_database(DATABASE, env)
    manage(env, "import_bank", "fixtures/bank.md", capture=True)
    manage(env, "shell", "-c", RECORD, capture=True)
    print(f"{len(status(env)['jobs'])} grading jobs queued")

    first = kill_during(env, "first try", running_job)
    print("  django-tasks-db's own results:", status(env)["task_results"])
    sweep(env)
    second = kill_during(env, "another job's first try", lambda s: running_job(s, other_than={first}))
    sweep(env)
    kill_during(
        env,
        "that job's second try",
        lambda s: (
            second
            if any(j["pk"] == second and j["status"] == "running" and j["tries"] == 2 for j in s["jobs"])
            else None
        ),
    )
    sweep(env)
    worker = start_worker(env)
    final = wait_for(env, lambda s: all(j["status"] in ("done", "failed") for j in s["jobs"]), "every job to end", 180)
    kill(worker)
    server.shutdown()
    for job in final["jobs"]:
        reason = f" ({job['failure']})" if job["failure"] else ""
        print(f"job {job['pk']}: {job['status']} after {job['tries']} tr{'y' if job['tries'] == 1 else 'ies'}{reason}")
    by_pk = {j["pk"]: j for j in final["jobs"]}
    failures = []
    if (by_pk[first]["status"], by_pk[first]["tries"]) != ("done", 2):
        failures.append(f"the job killed once should be done on its second try: {by_pk[first]}")
    if (by_pk[second]["status"], by_pk[second]["failure"]) != ("failed", "worker_lost"):
        failures.append(f"the job killed twice should be given up as worker_lost: {by_pk[second]}")
    if any(j["status"] != "done" for pk, j in by_pk.items() if pk not in (first, second)):
        failures.append("a job that no kill touched did not finish")
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print("OK: the job killed once was graded on its retry, the one killed twice was reported; none lost")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
