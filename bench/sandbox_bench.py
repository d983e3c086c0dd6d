"""The cost of judging code in the sandbox, run by hand (never in the suite).

1. Overhead of one sandboxed run: a trivial solution with one trivial test, judged N times one after
   another through coding.sandbox.sandbox_run (bwrap, namespaces, binds, rlimits, the harness, one
   forked test). Reported as median, p90 and min, next to the bare interpreter's start for scale.
2. Runs per second per worker: the shipped softmax question's reference solution (7 tests) queued M
   times in a scratch SQLite database, then judged by 1 and by 2 `manage.py db_worker --batch`
   processes; the rate is runs finished / (last finish − first start).

    .venv/bin/python bench/sandbox_bench.py [--runs 50] [--queue 40]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
    os.environ["CODE_RUNS_PER_USER"] = "100000"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def overhead(runs: int) -> dict:
    from coding.sandbox import Limits, sandbox_run

    tests = [{"name": "sample 1", "kind": "assert", "setup": "", "code": "assert add(1, 2) == 3"}]
    code = "def add(a, b):\n    return a + b\n"
    sandbox_run(code=code, tests=tests, limits=Limits())  # warm the ldd cache and the page cache
    times = []
    for _ in range(runs):
        result = sandbox_run(code=code, tests=tests, limits=Limits())
        assert result.tests and result.tests[0]["verdict"] == "accepted", result
        times.append(result.seconds * 1000)
    bare = []
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run(["/usr/bin/python3", "-I", "-S", "-c", "pass"], check=True)
        bare.append((time.monotonic() - started) * 1000)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p90_ms": times[int(len(times) * 0.9) - 1],
        "min_ms": times[0],
        "bare_python_median_ms": statistics.median(bare),
    }


def throughput(queue: int, workers: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db.models import Max, Min

    from coding.models import CodeRun
    from coding.services import code_run_request
    from questions.models import Kind, Question

    user, _ = get_user_model().objects.get_or_create(username="bench")
    question = Question.objects.filter(kind=Kind.CODE, prompt__startswith="数值稳定的 softmax").get()
    CodeRun.objects.all().delete()
    for _ in range(queue):
        code_run_request(user=user, question=question, code=question.solution_code, purpose=CodeRun.Purpose.SUBMIT)
    command = [str(ROOT / ".venv/bin/python"), "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=os.environ.copy()) for _ in range(workers)]
    for process in processes:
        process.wait()
    done = CodeRun.objects.filter(status=CodeRun.Status.DONE)
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    accepted = done.filter(verdict="accepted").count()
    return {"workers": workers, "runs": done.count(), "accepted": accepted, "seconds": seconds,
            "runs_per_second": done.count() / seconds, "per_worker": done.count() / seconds / workers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--queue", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "bench.sqlite3")
        _setup_django(database)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("import_bank", str(ROOT / "fixtures/coding.md"), topics=str(ROOT / "fixtures/coding-topics.json"),
                     stdout=open(os.devnull, "w"))
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        result = overhead(args.runs)
        print(f"one sandboxed run, trivial solution ({args.runs} runs): median {result['median_ms']:.0f} ms, "
              f"p90 {result['p90_ms']:.0f} ms, min {result['min_ms']:.0f} ms "
              f"(bare interpreter start: median {result['bare_python_median_ms']:.0f} ms)")
        for workers in (1, 2):
            rate = throughput(args.queue, workers)
            print(f"{workers} worker(s): {rate['runs']} softmax submissions (7 tests each, {rate['accepted']} accepted) "
                  f"in {rate['seconds']:.1f} s: {rate['runs_per_second']:.1f} runs/s, "
                  f"{rate['per_worker']:.1f} runs/s per worker")


if __name__ == "__main__":
    main()
