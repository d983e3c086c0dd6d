"""The judge inside the sandbox. Standard library only: it runs under the sandbox's bare interpreter.

It reads one job from stdin, in marshal's format (the runner outside is trusted; marshal needs no import):
{"code", "tests", "seconds", "memory_mb", "output_bytes"}. Each test
runs in a child process of its own, forked from here, with the test's CPU and address-space limits:
a test that loops, explodes or crashes cannot take the others with it. One JSON line per test goes to
stdout as soon as the test ends, so the runner outside knows how far a run got even if it is killed.

A test is {"name", "kind": "assert", "setup", "code", "got", "expected"} (the candidate's code, then
the setup lines, then one assert; for `assert a == b`, "got" and "expected" hold a and b), {"name", "kind": "io", "input", "output"} (the code as a program: stdin in, stdout
compared line by line, trailing spaces ignored) or {"name", "kind": "run", "input"} (no expected
output: the candidate compares with the reference themselves).
"""

# Only modules written in C: json and signal would pull in re, enum and functools, which would cost
# more than the rest of the sandbox's start.
import _json
import _signal
import marshal
import os
import resource
import select
import sys
import time

SIGNALS = {6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 24: "SIGXCPU", 25: "SIGXFSZ"}
SHOWN = 1000  # characters of a value or of output shown back
TRACE = 1500  # characters of a traceback shown back


def _dumps(data: dict) -> str:
    """One flat dict (str keys; str, int, float, bool or None values) as JSON, ASCII only."""
    items = []
    for key, value in data.items():
        if isinstance(value, str):
            text = _json.encode_basestring_ascii(value)
        elif value is None or isinstance(value, bool):
            text = {None: "null", True: "true", False: "false"}[value]
        else:
            text = repr(value)
        items.append(f"{_json.encode_basestring_ascii(key)}: {text}")
    return "{" + ", ".join(items) + "}"


def _short(text: str, limit: int = SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _trimmed_traceback(exc: BaseException) -> str:
    """The traceback without the judge's own frames: only the candidate's code and the test."""
    import traceback  # only on an error: it costs the sandbox's start time otherwise

    tb = traceback.TracebackException.from_exception(exc)
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if f.filename in ("<solution>", "<test>")])
    text = "".join(tb.format())
    return text if len(text) <= TRACE else "…" + text[-TRACE:]


def _run_assert(test: dict, namespace: dict) -> dict:
    exec(compile(test.get("setup", ""), "<test>", "exec"), namespace)
    # `assert got == expected`, split outside (no ast here: importing it costs the sandbox's start):
    # evaluate both sides so a wrong answer can say what it got.
    if test.get("got") and test.get("expected"):
        got = eval(compile(test["got"], "<test>", "eval"), namespace)
        expected = eval(compile(test["expected"], "<test>", "eval"), namespace)
        if got == expected:
            return {"verdict": "accepted"}
        return {"verdict": "wrong_answer", "expected": _short(repr(expected)), "got": _short(repr(got))}
    try:
        exec(compile(test["code"], "<test>", "exec"), namespace)
    except AssertionError:
        return {"verdict": "wrong_answer", "expected": "", "got": ""}
    return {"verdict": "accepted"}


def _child(job: dict, test: dict, out_w: int, result_w: int) -> None:
    """Runs in the forked child; never returns."""
    os.dup2(out_w, 1)
    os.dup2(out_w, 2)
    os.close(out_w)
    seconds = float(job["seconds"])
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = int(job["memory_mb"]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)
    sys.stderr = sys.stdout
    result: dict
    try:
        if test["kind"] == "assert":
            namespace = {"__name__": "solution"}
            exec(compile(job["code"], "<solution>", "exec"), namespace)
            result = _run_assert(test, namespace)
        else:
            with open("/tmp/.stdin", "w", encoding="utf-8") as handle:
                handle.write(test.get("input", ""))
            sys.stdin = open("/tmp/.stdin", encoding="utf-8")
            try:
                exec(compile(job["code"], "<solution>", "exec"), {"__name__": "__main__"})
            except SystemExit as exc:
                if exc.code not in (None, 0):
                    raise
            result = {"verdict": "accepted"}
    except MemoryError:
        result = {"verdict": "memory_limit"}
    except BaseException as exc:  # the candidate's error, whatever it is, is the verdict
        result = {"verdict": "runtime_error", "error": _trimmed_traceback(exc)}
    try:
        sys.stdout.flush()
    except BaseException:
        pass
    # To the harness in the same sandbox, so marshal is safe enough: a child that forges it only spoils
    # its own run, which it could as well by killing the harness.
    os.write(result_w, marshal.dumps(result))
    os._exit(0)


def _run_test(job: dict, test: dict) -> dict:
    out_r, out_w = os.pipe()
    result_r, result_w = os.pipe()
    started = time.monotonic()
    try:
        pid = os.fork()
    except OSError:  # the process limit, reached by what an earlier test left behind
        for fd in (out_r, out_w, result_r, result_w):
            os.close(fd)
        return {"verdict": "runtime_error", "error": "the test could not start: too many processes"}
    if pid == 0:
        os.setpgid(0, 0)  # a process group per test, killed whole when the test ends
        os.close(out_r)
        os.close(result_r)
        try:
            _child(job, test, out_w, result_w)
        finally:
            os._exit(70)
    try:
        os.setpgid(pid, pid)  # set on both sides: whichever runs first
    except OSError:
        pass
    os.close(out_w)
    os.close(result_w)
    seconds = float(job["seconds"])
    wall = seconds * 3 + 1  # sleeping counts too; the slack is for a busy machine
    output = bytearray()
    report = bytearray()
    verdict = None
    # The child's exit, not the pipes' end, ends the test: what it forked may hold the pipes open.
    exited = os.pidfd_open(pid)
    open_fds = {out_r, result_r}
    done = False
    while open_fds and not done and verdict is None:
        left = started + wall - time.monotonic()
        if left <= 0:
            verdict = "time_limit"
            break
        ready, _, _ = select.select([*open_fds, exited], [], [], left)
        if exited in ready:
            done = True  # read what is already there, then stop
            ready, _, _ = select.select(list(open_fds), [], [], 0)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
                os.close(fd)
            elif fd == out_r:
                output += chunk
                if len(output) > int(job["output_bytes"]):
                    verdict = "output_limit"
            else:
                report += chunk
    os.close(exited)
    if verdict:
        os.kill(pid, _signal.SIGKILL)
    for fd in open_fds:
        os.close(fd)
    _, status, usage = os.wait4(pid, 0)
    try:
        os.killpg(pid, _signal.SIGKILL)  # whatever the test forked and left running
    except OSError:
        pass
    cpu = usage.ru_utime + usage.ru_stime
    used = {"seconds": round(cpu, 3), "memory_kb": usage.ru_maxrss}
    if verdict is None and os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        verdict = "time_limit" if number == _signal.SIGXCPU or cpu > seconds else "runtime_error"
        report = marshal.dumps({"error": f"killed by signal {SIGNALS.get(number, number)}"})
    if verdict is None and cpu > seconds:
        verdict = "time_limit"
    if verdict:
        return {"verdict": verdict, **used}
    try:
        result = marshal.loads(bytes(report))
        result["verdict"]  # noqa: B018 (a report without a verdict is no report)
    except (ValueError, EOFError, TypeError, KeyError):
        result = {"verdict": "runtime_error", "error": "the program ended without a result"}
    text = output.decode("utf-8", "replace")
    if test["kind"] == "io" and result["verdict"] == "accepted":
        expected = [line.rstrip() for line in test["output"].rstrip().split("\n")]
        got = [line.rstrip() for line in text.rstrip().split("\n")]
        if expected != got:
            result = {"verdict": "wrong_answer", "expected": _short(test["output"]), "got": _short(text)}
    if test["kind"] == "run" or result["verdict"] == "runtime_error":
        result["output"] = _short(text)
    return {**result, **used}


def main() -> None:
    job = marshal.loads(sys.stdin.buffer.read())
    sys.stdin.close()
    for test in job["tests"]:
        result = _run_test(job, test)
        sys.stdout.write(_dumps({"name": test["name"], **result}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
