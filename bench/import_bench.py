"""Time and memory of `import_bank` on PostgreSQL for generated Markdown banks (issue 12: 10,000 questions in
under 10 s; issue 17: 100,000 questions in under 60 s with under 500 MB). Run by hand, not in the test suite:

    .venv/bin/python bench/import_bench.py                      # 10,000 and 100,000 questions
    .venv/bin/python bench/import_bench.py --questions 10000    # one size

Each size is imported into a fresh database `quizsite_banks_bench`, then imported again (no change). The
generated bank has a section per 100 questions with restarted numbering, a bold-label list on every question,
a fenced Python block on every fifth and a derived-key-point answer (no list) on every seventh.
Time is the whole command including Django's start, with the command's own CPU time beside it (PostgreSQL's is
not included); memory is the command's peak resident set (ru_maxrss).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import PYTHON, ROOT, fresh_database, site_env

DATABASE = "quizsite_banks_bench"


def generated_bank(path: Path, questions: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("# 生成的题库\n\n介绍文字。\n\n")
        for n in range(questions):
            if n % 100 == 0:
                f.write(f"## 第{n // 100 + 1}部分\n\n")
            f.write(f"### {n % 100 + 1}. 第{n + 1}道题：如何在场景{n}中优化大模型的训练？\n\n")
            if n % 7 == 0:
                f.write(f"场景{n}的训练可以先减小批大小。然后打开混合精度训练。最后检查数据管道的吞吐。\n\n")
                continue
            f.write("**答案：** 方法包括：\n\n")
            for k in range(1, 5):
                f.write(f"- **要点{k}：** 第{k}个要点的说明，场景{n}。\n")
            if n % 5 == 0:
                f.write(f"\n```python\n# 场景{n}\ndef step(batch):\n    return model(batch)\n```\n")
            f.write(f"\n**解析：** 第{n + 1}题的解析。\n\n")


def timed_import(env: dict, bank: Path) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, peak MB, the report's counts line) of one import_bank run in its own process."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [PYTHON, "manage.py", "import_bank", str(bank), "--topics", ""], cwd=ROOT, env=env, stdout=out
        )
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the largest so far
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            sys.exit("import_bank failed")
        out.seek(0)
        counts = next(line for line in out.read().splitlines() if line.startswith("questions:"))
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--database", default=DATABASE, help="dropped and created again for each size")
    args = parser.parse_args()
    env = site_env(args.database)
    for count in args.questions:
        fresh_database(args.database, env)
        with tempfile.TemporaryDirectory() as folder:
            bank = Path(folder) / f"generated-{count}.md"
            generated_bank(bank, count)
            print(f"{count:,} questions ({bank.stat().st_size / 1e6:.1f} MB of Markdown)", flush=True)
            for label in ("into an empty database", "again (no change)"):
                seconds, cpu, peak, counts = timed_import(env, bank)
                print(
                    f"  {label}: {seconds:.1f} s ({cpu:.1f} s CPU in the command), peak {peak:.0f} MB — {counts}",
                    flush=True,
                )
        print(f"  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)


if __name__ == "__main__":
    main()
