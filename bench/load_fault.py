#!/usr/bin/env python
"""Load and faults, loopback only, bounded in time. Run by hand (as root, it restarts PostgreSQL):

    .venv/bin/python bench/load_fault.py                # 100 candidates, 60 s
    .venv/bin/python bench/load_fault.py --candidates 20 --seconds 20

Two gunicorn instances on different ports share one PostgreSQL database; each simulated
candidate takes mock interviews, sending every request to either instance at random (the app
servers are stateless). Mid-run one gunicorn worker is killed, later PostgreSQL is restarted.
Afterwards the database is checked against what the server acknowledged:

- every acknowledged autosave is there: each question's saved draft is the last acknowledged one,
  or a later one that was sent but whose answer was lost to a fault;
- every acknowledged "next" made that text the question's answer;
- no 5xx outside the PostgreSQL restart window, and both instances answer /healthz at the end.
Exits non-zero if any check fails.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, manage, site_env, start_gunicorn  # noqa: E402

DATABASE = "quizsite_load_fault"
PORTS = (8301, 8302)
SESSIONS = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.crypto import get_random_string
out = []
for user in get_user_model().objects.filter(username__startswith="load-").order_by("pk"):
    client = Client()
    client.force_login(user)
    out.append([client.cookies["sessionid"].value, get_random_string(32)])
print(json.dumps(out))
"""


@dataclass
class Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    responses: list = field(default_factory=list)  # (time, port, status or error)
    acked_drafts: dict = field(default_factory=dict)  # (interview, position) -> last acknowledged text
    sent_after_ack: dict = field(default_factory=dict)  # (interview, position) -> texts sent since
    acked_answers: dict = field(default_factory=dict)  # (interview, position) -> submitted text

    def record(self, port, outcome):
        with self.lock:
            self.responses.append((time.monotonic(), port, outcome))


class Candidate(threading.Thread):
    def __init__(self, number, session, csrf, log: Log, stop_at: float, rng: random.Random):
        super().__init__(daemon=True)
        self.number, self.log, self.stop_at, self.rng = number, log, stop_at, rng
        self.headers = {
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }

    def post(self, path, data, htmx=False):
        return self.request("POST", path, data, htmx)

    def request(self, method, path, data=None, htmx=False):
        port = self.rng.choice(PORTS)
        headers = {**self.headers, **({"HX-Request": "true"} if htmx else {})}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            connection.request(method, path, urllib.parse.urlencode(data) if data else None, headers)
            response = connection.getresponse()
            response.read()
            self.log.record(port, response.status)
            return response.status, response.getheader("Location", "")
        except (OSError, http.client.HTTPException) as exc:
            self.log.record(port, type(exc).__name__)
            return None, ""
        finally:
            connection.close()

    def run(self):
        seq = 0
        while time.monotonic() < self.stop_at:
            status, location = self.post(
                "/interviews/new/",
                {"question_count": 3, "timing": "per_question", "minutes_per_question": 5, "total_minutes": 15},
            )
            match = re.search(r"/interviews/(\d+)/", location)
            if status != 302 or not match:
                time.sleep(0.5)
                continue
            interview = int(match.group(1))
            for position in (1, 2, 3):
                key = (interview, position)
                self.request("GET", f"/interviews/{interview}/")  # serving the question starts its clock
                for _ in range(self.rng.randint(2, 5)):
                    seq += 1
                    text = f"candidate {self.number} interview {interview} q{position} draft {seq}"
                    with self.log.lock:
                        self.log.sent_after_ack.setdefault(key, []).append(text)
                    status, _ = self.post(
                        f"/interviews/{interview}/questions/{position}/draft/", {"answer": text}, htmx=True
                    )
                    if status == 200:
                        with self.log.lock:
                            self.log.acked_drafts[key] = text
                            self.log.sent_after_ack[key] = []
                    time.sleep(self.rng.uniform(0.2, 0.6))
                final = f"candidate {self.number} interview {interview} q{position} final"
                status, _ = self.post(f"/interviews/{interview}/questions/{position}/next/", {"answer": final})
                if status == 302:
                    with self.log.lock:
                        self.log.acked_answers[key] = final
                if time.monotonic() >= self.stop_at:
                    return


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def restart_postgres() -> tuple[float, float]:
    cluster = os.listdir("/etc/postgresql")[0]
    began = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
    return began, time.monotonic()


def check(log: Log, restart: tuple[float, float], grace: float) -> list[str]:
    import psycopg

    problems = []
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/" + DATABASE) as db:
        rows = db.execute(
            "SELECT q.interview_id, q.position, q.draft, q.status, a.answer FROM interviews_interviewquestion q "
            "LEFT JOIN practice_attempt a ON a.id = q.attempt_id"
        ).fetchall()
    stored = {(i, p): (draft, status, answer) for i, p, draft, status, answer in rows}
    lost_drafts = 0
    for key, text in log.acked_drafts.items():
        draft, _, answer = stored.get(key, (None, None, None))
        allowed = {text, *log.sent_after_ack.get(key, []), log.acked_answers.get(key)}
        # A question closed by "next" keeps the submitted answer as its draft.
        if draft not in allowed and answer not in allowed:
            lost_drafts += 1
    if lost_drafts:
        problems.append(f"{lost_drafts} acknowledged autosaves are not in the database")
    lost_answers = sum(1 for key, text in log.acked_answers.items() if stored.get(key, (None, None, None))[2] != text)
    if lost_answers:
        problems.append(f"{lost_answers} acknowledged answers are not in the database")
    window = (restart[0], restart[1] + grace)
    late_5xx = [
        r for r in log.responses if isinstance(r[2], int) and r[2] >= 500 and not window[0] <= r[0] <= window[1]
    ]
    if late_5xx:
        problems.append(f"{len(late_5xx)} 5xx responses outside the PostgreSQL restart window")
    return problems, len(log.acked_drafts), len(log.acked_answers)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--grace", type=float, default=5.0, help="seconds after the restart during which 5xx are allowed"
    )
    args = parser.parse_args()

    env = site_env(DATABASE, DB_CONN_MAX_AGE="60")
    fresh_database(DATABASE, env)
    manage(env, "import_bank", "fixtures/bank.md", capture=True)
    manage(
        env, "seed_demo", "--users", str(args.candidates), "--attempts-per-user", "0", "--prefix", "load", capture=True
    )
    sessions = json.loads(manage(env, "shell", "-c", SESSIONS, capture=True).strip().splitlines()[-1])
    servers = [start_gunicorn(env, port, args.workers, args.threads) for port in PORTS]
    log = Log()
    began = time.monotonic()
    stop_at = began + args.seconds
    rng = random.Random(7)
    candidates = [
        Candidate(n, session, csrf, log, stop_at, random.Random(rng.random()))
        for n, (session, csrf) in enumerate(sessions)
    ]
    try:
        for candidate in candidates:
            candidate.start()
        time.sleep(args.seconds * 0.25)
        victim = worker_pids(servers[0].pid)[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic() - began
        time.sleep(args.seconds * 0.25)
        restart = restart_postgres()
        for candidate in candidates:
            candidate.join(timeout=args.seconds + 30)
        healthy = []
        for port in PORTS:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            healthy.append(connection.getresponse().status == 200)
    finally:
        for server in servers:
            server.terminate()
            server.wait()

    problems, drafts, answers = check(log, restart, args.grace)
    if not all(healthy):
        problems.append("an instance did not answer /healthz after the run")
    outcomes = Counter(r[2] for r in log.responses)
    after = [r for r in log.responses if r[0] > restart[1] + args.grace]
    print(f"{args.candidates} candidates, {args.seconds} s, instances on ports {PORTS[0]} and {PORTS[1]}")
    print(f"requests: {len(log.responses)}; outcomes: {dict(sorted(outcomes.items(), key=str))}")
    print(f"worker {victim} of port {PORTS[0]} killed at {killed_at:.1f} s")
    print(f"PostgreSQL restarted at {restart[0] - began:.1f} s, back after {restart[1] - restart[0]:.1f} s")
    print(
        f"after the restart window: {len(after)} requests, {sum(1 for r in after if r[2] == 200 or r[2] == 302)} succeeded"
    )
    print(f"acknowledged autosaves checked: {drafts}; acknowledged answers checked: {answers}")
    print(f"both instances healthy at the end: {all(healthy)}")
    if problems:
        print("FAILED: " + "; ".join(problems))
        sys.exit(1)
    print("OK: zero acknowledged answers lost, no 5xx outside the restart window, recovered by itself")


if __name__ == "__main__":
    main()
