"""Running untrusted code in bubblewrap. Never anything else: without bwrap, nothing runs.

One run is one bwrap process started with an empty environment (`env -i`):
- new user, PID, IPC, UTS, cgroup and network namespaces (`--unshare-all`): no network at all, not even
  the host's loopback, no view of the host's processes;
- read-only binds of only the interpreter, its standard library and the folders of the shared libraries
  they load (found once with ldd): no project directory, no database file, no /etc, /home or /root;
- a small tmpfs as the working directory, a fresh /proc and /dev;
- an unprivileged uid (when the worker runs as root it drops to one before starting bwrap: root is not
  bound by RLIMIT_NPROC), a new one per run, so one run's fork bomb cannot starve another's;
- rlimits on CPU seconds, address space, processes, file size and open files, set before bwrap starts
  and inherited by everything inside;
- a wall-clock timeout that kills the whole process group (bwrap's PID-namespace init with it, and so
  every process inside), and stdout and stderr capped while they are read.

Inside, `harness.py` runs the tests and reports one JSON line per test.
"""

import functools
import itertools
import json
import marshal
import math
import os
import resource
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

HARNESS = (Path(__file__).resolve().parent / "harness.py").read_text(encoding="utf-8")
REPORT_BYTES = 1024 * 1024  # the harness's own report; the candidate's output is capped inside
STDERR_BYTES = 16 * 1024


class RunnerUnavailable(RuntimeError):
    """bwrap or the interpreter is missing: nothing may run."""


@dataclass(frozen=True)
class Limits:
    seconds: float = 2.0  # CPU seconds per test
    memory_mb: int = 256  # address space per test
    output_bytes: int = 64 * 1024  # stdout + stderr per test
    processes: int = 32
    file_bytes: int = 1024 * 1024
    open_files: int = 64


@dataclass
class SandboxResult:
    tests: list[dict] = field(default_factory=list)  # one dict per test that reported
    timed_out: bool = False  # the wall clock of the whole run ran out
    report_capped: bool = False
    returncode: int | None = None
    stderr: str = ""
    seconds: float = 0.0  # wall-clock time of the whole run, sandbox included


def runner_missing() -> str | None:
    """Why code cannot run here, or None when it can."""
    bwrap, python = settings.CODE_RUNNER_BWRAP, settings.CODE_RUNNER_PYTHON
    if not os.access(bwrap, os.X_OK):
        return f"bubblewrap is not installed ({bwrap} missing): apt-get install bubblewrap"
    if not os.access(python, os.X_OK):
        return f"the sandbox's interpreter {python} is missing: apt-get install python3"
    return None


@functools.cache
def interpreter_paths(python: str) -> tuple[str, ...]:
    """What the interpreter needs: itself, its standard library and the folders of the shared libraries it
    and its extension modules load."""
    real = os.path.realpath(python)
    stdlib = subprocess.run(
        [real, "-I", "-S", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        capture_output=True,
        text=True,
        check=True,
        env={},
    ).stdout.strip()
    dynload = Path(stdlib) / "lib-dynload"
    binaries = [real, *(str(p) for p in dynload.glob("*.so"))] if dynload.is_dir() else [real]
    libraries: set[str] = set()
    for chunk in range(0, len(binaries), 50):
        listing = subprocess.run(["ldd", *binaries[chunk : chunk + 50]], capture_output=True, text=True, env={})
        for line in listing.stdout.splitlines():
            parts = line.split()
            # "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
            path = parts[2] if len(parts) >= 3 and parts[1] == "=>" else parts[0] if parts else ""
            if path.startswith("/") and not path.endswith(":"):  # not the "/path/to/module.so:" headers
                libraries.add(path)
    # The folders that hold those libraries (a library named through a symlink: the link's and the
    # target's): one bind each is much faster to set up than one per file, and they hold only libraries.
    folders = {os.path.dirname(p) for p in libraries} | {os.path.dirname(os.path.realpath(p)) for p in libraries}
    paths = {real, stdlib, *folders}
    return tuple(sorted(p for p in paths if os.path.exists(p)))


def bwrap_command() -> list[str]:
    python = settings.CODE_RUNNER_PYTHON
    command = [
        "/usr/bin/env",
        "-i",
        settings.CODE_RUNNER_BWRAP,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "sandbox",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--cap-drop",
        "ALL",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(4 * 1024 * 1024),
        "--tmpfs",
        "/tmp",
        "--chdir",
        "/tmp",
    ]
    links = {"/lib": "usr/lib", "/lib64": "usr/lib64", "/bin": "usr/bin"}
    for link, target in links.items():
        # Debian's merged /usr: /lib is a link to usr/lib; bind the real files, recreate the links.
        if os.path.islink(link):
            command += ["--symlink", target, link]
    binds = set()
    for path in interpreter_paths(python):
        for link, target in links.items():
            if (path == link or path.startswith(link + "/")) and os.path.islink(link):
                path = "/" + target + path[len(link) :]
        binds.add(path)
    for path in sorted(binds):
        command += ["--ro-bind", path, path]
    return [*command, os.path.realpath(python), "-I", "-S", "-B", "-c", HARNESS]


_run_numbers = itertools.count()


def _sandbox_uid() -> int | None:
    """The unprivileged uid a root worker drops to for one run. A new one each run: RLIMIT_NPROC counts
    per uid, so processes an earlier run left dying, or another worker's run, cannot starve this one."""
    if os.geteuid() != 0:
        return None
    return settings.CODE_RUNNER_UID_BASE + (os.getpid() * 100 + next(_run_numbers)) % 50_000


def _set_limits(limits: Limits, tests: int) -> None:
    """In the forked child, before exec: the limits everything in the sandbox inherits."""
    cpu = math.ceil((limits.seconds + 1) * max(tests, 1)) + 2
    memory = (limits.memory_mb + 128) * 1024 * 1024  # the harness and bwrap on top of one test's limit
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def wall_seconds(limits: Limits, tests: int) -> float:
    """The whole run's wall clock, a backstop: every test at its own wall limit (the harness stops a test
    at 3 × its CPU limit + 1 s), plus slack for the sandbox's start on a busy machine."""
    return max(tests, 1) * (limits.seconds * 3 + 2) + 10


def sandbox_run(*, code: str, tests: list[dict], limits: Limits) -> SandboxResult:
    """Run the tests against the code in a fresh sandbox. Raises RunnerUnavailable without bwrap."""
    if reason := runner_missing():
        raise RunnerUnavailable(reason)
    # marshal: the harness reads it without importing anything (json would cost its start time).
    job = marshal.dumps(
        {
            "code": code,
            "tests": tests,
            "seconds": float(limits.seconds),
            "memory_mb": limits.memory_mb,
            "output_bytes": limits.output_bytes,
        }
    )
    uid = _sandbox_uid()
    started = time.monotonic()
    process = subprocess.Popen(
        bwrap_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd="/",
        env={},
        start_new_session=True,  # its own process group, killed whole at the wall clock
        user=uid,
        group=uid,
        extra_groups=[] if uid is not None else None,
        preexec_fn=lambda: _set_limits(limits, len(tests)),  # noqa: PLW1509 (a single-threaded worker)
        close_fds=True,
    )
    result = SandboxResult()
    deadline = started + wall_seconds(limits, len(tests))
    try:
        process.stdin.write(job)
        process.stdin.close()
    except BrokenPipeError:
        pass
    stdout, stderr = bytearray(), bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, stdout)
        selector.register(process.stderr, selectors.EVENT_READ, stderr)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                result.timed_out = True
                break
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                key.data.extend(chunk)
            if len(stdout) > REPORT_BYTES:
                result.report_capped = True
                break
            del stderr[STDERR_BYTES:]
    if result.timed_out or result.report_capped:
        _kill_group(process)
    try:
        result.returncode = process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        result.returncode = process.wait()
    process.stdout.close()
    process.stderr.close()
    result.seconds = time.monotonic() - started
    result.stderr = stderr.decode("utf-8", "replace")
    for line in stdout.decode("utf-8", "replace").splitlines():
        try:
            result.tests.append(json.loads(line))
        except ValueError:
            break
    return result


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
