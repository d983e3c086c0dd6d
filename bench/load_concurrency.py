#!/usr/bin/env python
"""Concurrent candidates against one gunicorn on the embedded SQLite default, or on PostgreSQL.
Run by hand, loopback only, bounded in time:

    .venv/bin/python bench/load_concurrency.py                       # SQLite (a fresh file), 20 candidates, 40 s
    .venv/bin/python bench/load_concurrency.py --database postgres   # the same load on PostgreSQL

Each candidate first sends two interview starts at the same moment (a double click in two tabs),
then loops: a 3-question mock interview with two to four autosaves per question and a submit, then
a few practice cards (show the answer, rate it), now and then the dashboard. Every request is
checked; the script exits non-zero on any 5xx or connection error, or if a candidate's two
parallel starts made two interviews.
"""

import argparse
import http.client
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, manage, site_env, start_gunicorn  # noqa: E402

POSTGRES_DATABASE = "quizsite_concurrency"
PORT = 8310
SETUP = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.crypto import get_random_string
from progress.demo import seed_questions
seed_questions(count=300, topics=6)
out = []
for n in range(1, {candidates} + 1):
    user = get_user_model().objects.create_user(f"concurrent-{{n}}", password="x-" * 8)
    client = Client()
    client.force_login(user)
    out.append([client.cookies["sessionid"].value, get_random_string(32)])
print(json.dumps(out))
"""
START = {"question_count": 3, "timing": "per_question", "minutes_per_question": 5, "total_minutes": 15}


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes: dict[str, Counter] = defaultdict(Counter)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.double_starts: list[tuple[str, str]] = []

    def record(self, kind: str, outcome, seconds: float) -> None:
        with self.lock:
            self.outcomes[kind][outcome] += 1
            self.latencies[kind].append(seconds * 1000)


class Candidate(threading.Thread):
    def __init__(self, number: int, session: str, csrf: str, log: Log, stop_at: float, rng: random.Random):
        super().__init__(daemon=True)
        self.number, self.log, self.stop_at, self.rng = number, log, stop_at, rng
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}

    def request(self, kind: str, method: str, path: str, data: dict | None = None, htmx: bool = False):
        headers = dict(self.headers)
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        began = time.monotonic()
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            self.log.record(kind, response.status, time.monotonic() - began)
            return response.status, response.getheader("Location", ""), text
        except (OSError, http.client.HTTPException) as exc:
            self.log.record(kind, type(exc).__name__, time.monotonic() - began)
            return None, "", ""
        finally:
            connection.close()

    def parallel_starts(self) -> None:
        locations = [None, None]

        def start(i):
            locations[i] = self.request("start (two at once)", "POST", "/interviews/new/", START)[1]

        threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if locations[0] != locations[1]:
            with self.log.lock:
                self.log.double_starts.append(tuple(locations))

    def interview(self) -> None:
        status, location, _ = self.request("start", "POST", "/interviews/new/", START)
        match = re.search(r"/interviews/(\d+)/", location)
        if status != 302 or not match:
            return
        interview = match.group(1)
        for position in (1, 2, 3):
            for n in range(self.rng.randint(2, 4)):
                text = f"candidate {self.number}: 并行计算与混合精度训练，草稿 {n}"
                self.request(
                    "autosave", "POST", f"/interviews/{interview}/questions/{position}/draft/", {"answer": text}, True
                )
                time.sleep(self.rng.uniform(0.05, 0.3))
            self.request(
                "submit", "POST", f"/interviews/{interview}/questions/{position}/next/", {"answer": f"答案 {position}"}
            )

    def practise(self) -> None:
        status, _, page = self.request("practice card", "GET", "/practice/next/?scope=all")
        reveal = re.search(r'action="(/practice/questions/\d+/reveal/)"', page)
        token = re.search(r'name="token" value="([^"]+)"', page)
        if status != 200 or not reveal or not token:
            return
        data = {"answer": "可以用多卡并行计算来加速。", "token": token.group(1), "scope": "all"}
        status, location, _ = self.request("practice reveal", "POST", reveal.group(1), data)
        attempt = re.search(r"/practice/attempts/(\d+)/", location)
        if status == 302 and attempt:
            rating = {"rating": self.rng.randint(1, 4), "covered": [0], "scope": "all"}
            self.request("practice rate", "POST", f"/practice/attempts/{attempt.group(1)}/rate/", rating)

    def run(self) -> None:
        self.parallel_starts()
        while time.monotonic() < self.stop_at:
            self.interview()
            for _ in range(self.rng.randint(1, 3)):
                self.practise()
            if self.rng.random() < 0.3:
                self.request("dashboard", "GET", "/progress/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (the default config's 4)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory()
    if args.database == "sqlite":
        # The embedded default: the same settings as without DATABASE_URL, on a fresh file.
        env = site_env("unused", DATABASE_URL=f"sqlite:///{folder.name}/db.sqlite3")
        manage(env, "migrate", "--no-input", "-v", "0")
    else:
        env = site_env(POSTGRES_DATABASE)
        fresh_database(POSTGRES_DATABASE, env)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    sessions = json.loads(
        manage(env, "shell", "-c", SETUP.format(candidates=args.candidates), capture=True).strip().splitlines()[-1]
    )
    server = start_gunicorn(env, PORT, args.workers, args.threads)
    log = Log()
    stop_at = time.monotonic() + args.seconds
    rng = random.Random(11)
    candidates = [
        Candidate(n, session, csrf, log, stop_at, random.Random(rng.random()))
        for n, (session, csrf) in enumerate(sessions, start=1)
    ]
    try:
        for candidate in candidates:
            candidate.start()
        for candidate in candidates:
            candidate.join(timeout=args.seconds + 120)
    finally:
        server.terminate()
        server.wait()
        folder.cleanup()

    where = "SQLite (WAL, immediate transactions)" if args.database == "sqlite" else "PostgreSQL"
    print(f"{where}: {args.candidates} candidates, {args.seconds} s, gunicorn {args.workers} workers x {args.threads} threads")
    print("")
    print("| request | count | outcomes | p50 ms | p99 ms |")
    print("|---|---:|---|---:|---:|")
    failures = 0
    for kind, outcomes in log.outcomes.items():
        times = sorted(log.latencies[kind])
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        shown = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items(), key=str))
        print(f"| {kind} | {sum(outcomes.values())} | {shown} | {statistics.median(times):.0f} | {p99:.0f} |")
        failures += sum(v for k, v in outcomes.items() if not isinstance(k, int) or k >= 500)
    print("")
    if log.double_starts:
        print(f"FAILED: {len(log.double_starts)} candidates' two parallel starts made two interviews")
    if failures:
        print(f"FAILED: {failures} responses were 5xx or connection errors")
    if failures or log.double_starts:
        sys.exit(1)
    print("OK: no 5xx, no connection errors, every pair of parallel starts resumed one interview")


if __name__ == "__main__":
    main()
