#!/usr/bin/env python
"""Throughput and latency of the main pages on gunicorn + PostgreSQL, side by side in one run,
every candidate page at one connection, and the time to import a generated 10,000-question bank.
Run by hand, not in the test suite:

    .venv/bin/python bench/bench.py                 # 100,000 questions, 1,000 users x 1,000 attempts (seeds once)
    .venv/bin/python bench/bench.py --reseed        # seed the history again
    .venv/bin/python bench/bench.py --seed-only     # seed (if needed) and stop: measure later on a quiet machine
    .venv/bin/python bench/bench.py --users 50 --attempts 200 --questions 1000 --duration 5   # a quick look

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and wrk (apt-get install wrk).
Prints a Markdown report; docs/benchmarks.md keeps the measured figures.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, database_exists, fresh_database, manage, psql, site_env, start_gunicorn
from replicate import replicate

DATABASE = "quizsite_scale_bench"
IMPORT_DATABASE = "quizsite_scale_bench_import"

# Signs in the measured candidate, times in-process what one request's cache cannot hide (an
# interview start, the dashboard's figures when not cached), and names the URLs of their pages.
SETUP = """
import json, statistics, time
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from interviews.models import Interview
from interviews.services import InterviewSettings, interview_abandon, interview_start
from practice.models import Attempt
from progress import selectors
from questions.models import Question
user = get_user_model().objects.get(username="bench-1")
Interview.objects.filter(user=user, status="in_progress").update(status="abandoned")

def median_ms(action, times=15):
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        action()
        spent.append((time.perf_counter() - began) * 1000)
    return statistics.median(spent)

start_ms = median_ms(lambda: interview_abandon(interview=interview_start(user=user, choice=InterviewSettings(5, [], 180, None))))
figures_ms = median_ms(lambda: selectors.dashboard_figures(user=user, now=timezone.now(), days=30, topic_slug=None))
ended = Interview.objects.filter(user=user, status="finished").latest("pk")
interview = interview_start(user=user, choice=InterviewSettings(3, [], None, 7200))
topic = Question.objects.filter(attempts__user=user).values_list("topic__slug", flat=True).first()
attempt = Attempt.objects.filter(user=user, mode="practice").exclude(question__in=interview.questions.values("question")).first()
client = Client(SERVER_NAME="localhost")
client.force_login(user)
# Interleaved in one process, so that the load of other programs weighs on all three alike.
client.get("/progress/")
client.get("/progress/")
autosave = f"/interviews/{interview.pk}/questions/1/draft/"
spent = {"healthz": [], "dashboard": [], "autosave": []}
for _ in range(200):
    for name, call in (("healthz", lambda: client.get("/healthz")), ("dashboard", lambda: client.get("/progress/")),
                       ("autosave", lambda: client.post(autosave, {"answer": "模型" * 40}, HTTP_HX_REQUEST="true"))):
        began = time.perf_counter()
        assert call().status_code == 200
        spent[name].append((time.perf_counter() - began) * 1000)
in_process = {name: statistics.median(times) for name, times in spent.items()}
print(json.dumps({
    "in_process": in_process,
    "session": client.cookies["sessionid"].value, "csrf": get_random_string(32), "interview": interview.pk,
    "attempts": user.attempts.count(), "questions": Question.objects.count(), "all_attempts": Attempt.objects.count(),
    "start_ms": start_ms, "figures_ms": figures_ms,
    "pages": {
        "home": "/", "dashboard": "/progress/", "topic page": f"/progress/topics/{topic}/",
        "practice topics": "/practice/", "practice card": "/practice/next/?scope=all",
        "attempt page": f"/practice/attempts/{attempt.pk}/", "interviews": "/interviews/",
        "interview setup": "/interviews/new/", "interview question": f"/interviews/{interview.pk}/",
        "interview report": f"/interviews/{ended.pk}/report/", "profile": "/accounts/profile/",
    },
}))
"""

AUTOSAVE_LUA = """
wrk.method = "POST"
wrk.body = "answer=" .. string.rep("%E6%A8%A1%E5%9E%8B", 40)
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
wrk.headers["Cookie"] = "sessionid=@SESSION@; csrftoken=@CSRF@"
wrk.headers["X-CSRFToken"] = "@CSRF@"
wrk.headers["Connection"] = "close"
"""


def wrk_command(url: str, duration: int, connections: int, cookie: str | None = None, script: str | None = None) -> list:
    # A new connection per request: gunicorn's gthread workers keep a keep-alive connection on the worker
    # that accepted it, so wrk's connections could all land on one process (one core); a load balancer in
    # front spreads requests, as this does.
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency", "-H", "Connection: close", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    if script:
        command[1:1] = ["-s", script]
    return command


def wrk_figures(out: str) -> dict:
    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def wrk(url: str, duration: int, connections: int, cookie: str | None = None, script: str | None = None) -> dict:
    command = wrk_command(url, duration, connections, cookie, script)
    figures = wrk_figures(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    drained(url)
    return figures


def drained(url: str) -> None:
    """Wait until the server has worked off the requests wrk left queued (it stops waiting after its
    timeout, but gunicorn still serves them), so that one run's backlog does not slow the next."""
    origin = "/".join(url.split("/", 3)[:3])
    with urllib.request.urlopen(f"{origin}/healthz", timeout=120) as response:
        response.read()


def side_by_side(floor_url: str, url: str, duration: int, connections: int, **options) -> tuple[dict, dict]:
    """/healthz and the endpoint loaded at the same moment, half the connections each: on a shared
    machine the ratio of the two is what holds, whatever else the cores are doing."""
    half = max(1, connections // 2)
    floor = subprocess.Popen(wrk_command(floor_url, duration, half), stdout=subprocess.PIPE, text=True)
    endpoint = subprocess.Popen(wrk_command(url, duration, half, **options), stdout=subprocess.PIPE, text=True)
    figures = wrk_figures(floor.communicate()[0]), wrk_figures(endpoint.communicate()[0])
    drained(url)
    return figures


def generated_bank(path: Path, questions: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("# 生成的题库\n\n")
        for n in range(1, questions + 1):
            f.write(f"#### {n}. 第{n}道题：如何在场景{n}中优化大模型的训练？\n\n**答案：** 方法包括：\n")
            for k in range(1, 5):
                f.write(f"- **要点{k}-{n}：** 第{k}个要点的说明，场景{n}。\n")
            f.write(f"\n**解析：** 第{n}题的解析。\n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100, help="candidates seeded by seed_demo")
    parser.add_argument("--replicate", type=int, default=9, help="then copies of them made in SQL (bench/replicate.py)")
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=100_000, help="generated questions besides the shipped bank")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8320, help="gunicorn's port on 127.0.0.1")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--seed-only", action="store_true", help="seed the database (if needed) and stop")
    parser.add_argument("--import-questions", type=int, default=10_000, help="0: skip the import benchmark")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3", help="REDIS_URL for the site ('' for none)")
    args = parser.parse_args()

    # As deployed with several app servers: PostgreSQL plus the shared Redis cache (sessions read from it).
    env = site_env(DATABASE, REDIS_URL=args.redis)
    report = [
        f"Machine: {platform.machine()}, {subprocess.getoutput('nproc')} cores; PostgreSQL and Redis ({args.redis or 'none'}) on loopback; wrk -t2 -c{args.connections} -d{args.duration}s; gunicorn {args.workers} workers x {args.threads} threads.",
        "",
    ]
    if args.reseed or not database_exists(DATABASE):
        fresh_database(DATABASE, env)
        manage(env, "import_bank", "fixtures/bank.md")
        began = time.perf_counter()
        manage(
            env,
            "seed_demo",
            *("--questions", str(args.questions), "--users", str(args.users)),
            *("--attempts-per-user", str(args.attempts), "--prefix", "bench"),
        )
        report.append(
            f"seed_demo: {args.questions:,} questions, {args.users} users x {args.attempts} attempts"
            f" in {time.perf_counter() - began:.0f} s"
        )
        began = time.perf_counter()
        replicate(DATABASE, "bench", args.replicate)
        report.append(f"{args.replicate} copies of those users made in SQL in {time.perf_counter() - began:.0f} s")
    manage(env, "migrate", "--no-input", "-v", "0")
    if args.seed_only:
        print("\n".join(report))
        return
    # Fresh statistics, as autovacuum would gather after a bulk load.
    psql("VACUUM ANALYZE", DATABASE)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    setup = json.loads(manage(env, "shell", "-c", SETUP, capture=True).strip().splitlines()[-1])
    session, csrf, interview = setup["session"], setup["csrf"], setup["interview"]
    report.append(
        f"{setup['questions']:,} questions and {setup['all_attempts']:,} attempts in the database; "
        f"the measured candidate has {setup['attempts']:,} attempts."
    )
    ip = setup["in_process"]
    report.append(
        "In-process, interleaved, median of 200 requests through the test client: "
        f"/healthz {ip['healthz']:.2f} ms, dashboard (cached) {ip['dashboard']:.2f} ms "
        f"({ip['healthz'] / ip['dashboard']:.2f} of /healthz's rate), autosave {ip['autosave']:.2f} ms "
        f"({ip['healthz'] / ip['autosave']:.2f} of /healthz's rate)."
    )
    report.append(
        f"In-process, median of 15: an interview start (5 questions drawn, then abandoned) {setup['start_ms']:.1f} ms; "
        f"the dashboard's figures when not cached {setup['figures_ms']:.1f} ms."
    )

    server = start_gunicorn(env, args.port, args.workers, args.threads)
    try:
        base = f"http://127.0.0.1:{args.port}"
        # As a browser sends them after its first page: without the CSRF cookie every request would
        # make a new CSRF secret, and the dashboard's cache (keyed by it) would never be hit.
        cookie = f"sessionid={session}; csrftoken={csrf}"
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(AUTOSAVE_LUA.replace("@SESSION@", session).replace("@CSRF@", csrf))
        pairs = {
            "dashboard /progress/": side_by_side(
                f"{base}/healthz", f"{base}/progress/", args.duration, args.connections, cookie=cookie
            ),
            "interview autosave (POST)": side_by_side(
                f"{base}/healthz",
                f"{base}/interviews/{interview}/questions/1/draft/",
                args.duration,
                args.connections,
                script=lua.name,
            ),
        }
        runs = {
            "/healthz (the floor)": wrk(f"{base}/healthz", args.duration, args.connections),
            "dashboard /progress/": wrk(f"{base}/progress/", args.duration, args.connections, cookie),
            "home / (anonymous)": wrk(f"{base}/", args.duration, args.connections),
            "practice card /practice/next/": wrk(
                f"{base}/practice/next/?scope=all", args.duration, args.connections, cookie
            ),
            "interview autosave (POST)": wrk(
                f"{base}/interviews/{interview}/questions/1/draft/", args.duration, args.connections, script=lua.name
            ),
        }
        # Each candidate page alone, one connection: the server's own latency, no queue.
        pages = {name: wrk(f"{base}{path}", 5, 1, cookie) for name, path in setup["pages"].items()}
    finally:
        server.terminate()
        server.wait()

    floor = runs["/healthz (the floor)"]["rps"]
    report += [
        "",
        "| endpoint | requests/s | p50 ms | p99 ms | vs /healthz | requests | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in runs.items():
        report.append(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps'] / floor:.2f} | {r['requests']} | {r['errors']} |"
        )

    report += [
        "",
        f"Side by side: /healthz and the endpoint under load at the same moment, {max(1, args.connections // 2)} connections each:",
        "",
        "| endpoint | requests/s | p50 ms | /healthz requests/s beside it | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (beside, r) in pairs.items():
        report.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {beside['rps']:.0f} | {r['rps'] / beside['rps']:.2f} |")
    report += [
        "",
        "Load average (1, 5, 15 min) after the runs: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + ".",
        "",
        "Every candidate page at one connection (wrk -c1, 5 s each):",
        "",
        "| page | requests/s | p50 ms | p99 ms | non-2xx |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in pages.items():
        report.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |")
    if not args.import_questions:
        print("\n".join(report))
        return
    import_env = site_env(IMPORT_DATABASE)
    fresh_database(IMPORT_DATABASE, import_env)
    with tempfile.TemporaryDirectory() as folder:
        bank = Path(folder) / "generated.md"
        generated_bank(bank, args.import_questions)
        began = time.perf_counter()
        manage(import_env, "import_bank", str(bank), capture=True)
        first = time.perf_counter() - began
        began = time.perf_counter()
        manage(import_env, "import_bank", str(bank), capture=True)
        again = time.perf_counter() - began
    report += [
        "",
        f"import_bank of a generated {args.import_questions:,}-question bank (4 key points each), whole command: "
        f"{first:.1f} s into an empty database, {again:.1f} s again (no change).",
    ]
    print("\n".join(report))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
