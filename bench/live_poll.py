#!/usr/bin/env python
"""The live interview's poll beside /healthz, side by side in one run, on gunicorn + PostgreSQL + Redis.

    .venv/bin/python bench/live_poll.py                # 15 s, 8 connections each
    .venv/bin/python bench/live_poll.py --duration 5   # a quick look

Two wrk processes load the server at the same moment: one asks /healthz, the other polls a running
live session as its candidate (htmx's headers, the session cookie and the ETag of the state it
shows, so every answer is a 304). Both send the same cookie, so both read the same session.
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), Redis on 127.0.0.1:6379 and wrk.
"""

import argparse
import re
import subprocess
import sys
import urllib.error
import urllib.request

from common import ROOT, fresh_database, manage, site_env, start_gunicorn

DATABASE = "quizsite_live_bench"
PORT = 8400

SETUP = """
from django.test import Client
from django.contrib.auth import get_user_model
from live.services import SessionChoice, clock_start, live_session_create, live_session_join
User = get_user_model()
interviewer, candidate = User.objects.create_user("bench-coach"), User.objects.create_user("bench-learner")
choice = SessionChoice(seconds_per_question=3600, topics=[], count=3)
session = live_session_create(interviewer=interviewer, choice=choice)
session = clock_start(session=live_session_join(session=session, user=candidate))
client = Client()
client.force_login(candidate)
print(client.cookies["sessionid"].value, session.public_id, f"{session.status}.{session.position}")
"""


# In one process, without HTTP or gunicorn: where the time of each request goes.
IN_PROCESS = """
import time
from django.contrib.auth import get_user_model
from django.test import Client
from live.models import LiveSession
session = LiveSession.objects.get(candidate__username="bench-learner")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(username="bench-learner"))
poll = f"/live/{session.public_id}/?at={session.status}.{session.position}"
etag = client.get(poll, HTTP_HX_REQUEST="true")["ETag"]
requests = {
    "/healthz": lambda: client.get("/healthz"),
    "poll, 304": lambda: client.get(poll, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag),
}
spent = dict.fromkeys(requests, 0.0)
for name, request in requests.items():
    assert request().status_code in (200, 304)
for _ in range(@N@):  # interleaved, so a change in the machine's load weighs on both alike
    for name, request in requests.items():
        began = time.perf_counter()
        request()
        spent[name] += time.perf_counter() - began
for name, seconds in spent.items():
    print(f"{name}: {seconds / @N@ * 1000:.2f} ms")
"""


def run_wrk(url: str, duration: int, connections: int, headers: list[str]) -> subprocess.Popen:
    # A new connection per request, as in bench.py: spreads the load over gunicorn's workers.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-H", "Connection: close"]
    for header in headers:
        command += ["-H", header]
    return subprocess.Popen([*command, url], stdout=subprocess.PIPE, text=True)


def parse(out: str) -> dict:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8, help="per wrk process")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--in-process", type=int, default=2000, help="requests timed in one process (0: none)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4", help="REDIS_URL for the site ('' for none)")
    args = parser.parse_args()

    env = site_env(DATABASE, REDIS_URL=args.redis)
    fresh_database(DATABASE, env)
    manage(env, "import_bank", "fixtures/bank.md", capture=True)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    session, public_id, at = manage(env, "shell", "-c", SETUP, capture=True).split()[-3:]

    server = start_gunicorn(env, PORT, args.workers, args.threads)
    try:
        base = f"http://127.0.0.1:{PORT}"
        poll = f"{base}/live/{public_id}/?at={at}"
        cookie = f"Cookie: sessionid={session}"
        request = urllib.request.Request(poll, headers={"Cookie": f"sessionid={session}", "HX-Request": "true"})
        with urllib.request.urlopen(request) as response:
            etag = response.headers["ETag"]
        request.add_header("If-None-Match", etag)
        try:
            urllib.request.urlopen(request)
            sys.exit("the poll did not answer 304 Not Modified")
        except urllib.error.HTTPError as exc:
            if exc.code != 304:
                raise
        runs = {
            "/healthz": run_wrk(f"{base}/healthz", args.duration, args.connections, [cookie]),
            "live poll, nothing new (304)": run_wrk(
                poll, args.duration, args.connections, [cookie, "HX-Request: true", f"If-None-Match: {etag}"]
            ),
        }
        results = {name: parse(process.communicate()[0]) for name, process in runs.items()}
    finally:
        server.terminate()
        server.wait()

    if args.in_process:
        print(manage(env, "shell", "-c", IN_PROCESS.replace("@N@", str(args.in_process)), capture=True))
    floor = results["/healthz"]
    print(
        f"wrk -t1 -c{args.connections} -d{args.duration}s twice at once; gunicorn {args.workers} workers x "
        f"{args.threads} threads; Redis {args.redis or 'none'}\n"
    )
    print("| endpoint | requests/s | p50 ms | p99 ms | vs /healthz | requests | non-2xx/3xx |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps'] / floor['rps']:.2f} "
            f"| {r['requests']} | {r['errors']} |"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
