"""The judge in the sandbox: every verdict, and every attack contained with the right verdict and no leak."""

import os
import resource
import socket
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from coding import sandbox
from coding.models import Verdict
from coding.services import code_judge
from coding.spec import CodingSpec

pytestmark = pytest.mark.skipif(
    sandbox.runner_missing() is not None, reason="bubblewrap is not installed (apt-get install bubblewrap)"
)

SECRET = "leaked-secret-" + uuid.uuid4().hex


def judge(code: str, tests: str = "", *, io=(), seconds=1.0, memory_mb=128) -> dict:
    spec = CodingSpec(sample_tests=tests, sample_io=tuple(io), time_limit_seconds=seconds, memory_limit_mb=memory_mb)
    return code_judge(spec=spec, code=code)


def _live_processes_of(uid: int) -> list[str]:
    """Processes (not zombies) running as `uid` on the host."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)] and not fields.get("State", "").strip().startswith("Z"):
            found.append(pid)
    return found


def only(outcome: dict) -> dict:
    (test,) = outcome["tests"]
    return test


def everything_shown(outcome: dict) -> str:
    return repr(outcome)


# Verdicts


def test_it_accepts_a_correct_solution_and_reports_time_and_memory():
    outcome = judge("def add(a, b):\n    return a + b", "assert add(1, 2) == 3\nassert add(2, 2) == 4")
    assert outcome["verdict"] == Verdict.ACCEPTED
    assert (outcome["passed"], outcome["total"]) == (2, 2)
    assert outcome["seconds"] is not None and outcome["seconds"] < 1
    assert outcome["memory_kb"] > 0


def test_a_wrong_answer_shows_expected_and_got():
    test = only(judge("def add(a, b):\n    return a - b", "assert add(1, 2) == 3"))
    assert test["verdict"] == Verdict.WRONG_ANSWER
    assert (test["expected"], test["got"]) == ("3", "-1")


def test_a_failing_assert_that_is_no_comparison_is_a_wrong_answer():
    test = only(judge("def ok():\n    return False", "assert ok()"))
    assert test["verdict"] == Verdict.WRONG_ANSWER


def test_setup_lines_run_before_each_assert():
    outcome = judge("def f(x):\n    return x * 2", "import math\nx = math.floor(2.5)\nassert f(x) == 4\nassert f(1) == 2")
    assert outcome["verdict"] == Verdict.ACCEPTED and outcome["total"] == 2


def test_a_runtime_error_shows_a_traceback_trimmed_to_the_candidates_code():
    test = only(judge("def f():\n    return 1 / 0", "assert f() == 1"))
    assert test["verdict"] == Verdict.RUNTIME_ERROR
    assert "ZeroDivisionError" in test["error"]
    assert 'File "<solution>", line 2' in test["error"]
    assert "harness" not in test["error"] and "_child" not in test["error"]


def test_an_infinite_loop_is_a_time_limit():
    test = only(judge("def f():\n    while True:\n        pass", "assert f() == 1", seconds=0.5))
    assert test["verdict"] == Verdict.TIME_LIMIT


def test_sleeping_forever_is_a_time_limit_by_the_wall_clock():
    test = only(judge("import time\ndef f():\n    time.sleep(100)", "assert f() == 1", seconds=0.5))
    assert test["verdict"] == Verdict.TIME_LIMIT


def test_a_memory_bomb_is_a_memory_limit():
    test = only(judge("def f():\n    return len(bytearray(10**9))", "assert f() == 1"))
    assert test["verdict"] == Verdict.MEMORY_LIMIT


def test_a_growing_list_is_a_memory_limit():
    test = only(judge("def f():\n    x = []\n    while True:\n        x.append('y' * 10**6)", "assert f()", memory_mb=64))
    assert test["verdict"] == Verdict.MEMORY_LIMIT


def test_a_huge_output_is_an_output_limit():
    test = only(judge("def f():\n    while True:\n        print('x' * 10000)", "assert f()"))
    assert test["verdict"] == Verdict.OUTPUT_LIMIT


def test_input_output_pairs_compare_stdout_ignoring_trailing_spaces():
    program = "a, b = map(int, input().split())\nprint(a + b, ' ')"
    outcome = judge(program, io=[("1 2", "3"), ("2 2", "5")])
    assert [t["verdict"] for t in outcome["tests"]] == [Verdict.ACCEPTED, Verdict.WRONG_ANSWER]
    assert outcome["tests"][1]["expected"] == "5"


def test_a_question_without_tests_runs_the_code_and_shows_its_output():
    outcome = judge("print('hello')")
    assert outcome["verdict"] == Verdict.RAN
    assert only(outcome)["output"].strip() == "hello"


def test_one_failing_test_does_not_stop_the_others():
    outcome = judge("def f(x):\n    if x == 1:\n        while True: pass\n    return x", "assert f(1) == 1\nassert f(2) == 2")
    assert [t["verdict"] for t in outcome["tests"]] == [Verdict.TIME_LIMIT, Verdict.ACCEPTED]
    assert outcome["verdict"] == Verdict.TIME_LIMIT


def test_hidden_tests_show_only_their_verdict():
    spec = CodingSpec(hidden_tests="assert f() == 42", time_limit_seconds=1)
    (test,) = code_judge(spec=spec, code="def f():\n    raise ValueError('the hidden test is assert f() == 42')")["tests"]
    assert test["hidden"] and test["verdict"] == Verdict.RUNTIME_ERROR
    assert test["error"] == "ValueError"
    assert "42" not in repr(test)


# Attacks: each contained, with the right verdict, nothing leaking


def test_a_fork_bomb_is_contained(monkeypatch):
    if os.environ.get("MUTANT_UNDER_TEST", "").startswith("coding.sandbox."):
        # Under `make mutation`, a mutant of the sandbox may not contain the bomb, and a real one takes every
        # process id of the host (mutmut itself can then no longer fork). Without this test those mutants meet
        # the limits, uid and command tests below.
        pytest.skip("a real fork bomb, while the sandbox under test is a mutant")
    used = []
    pick = sandbox._sandbox_uid
    monkeypatch.setattr(sandbox, "_sandbox_uid", lambda: used.append(pick()) or used[-1])
    code = "import os\ndef f():\n    while True:\n        os.fork()"
    outcome = judge(code, "assert f()")
    assert outcome["verdict"] in (Verdict.RUNTIME_ERROR, Verdict.TIME_LIMIT)
    # Nothing of it survives the run: no process of the run's sandbox uid is left on the host once the kernel has
    # finished killing them (a killed process still has to be scheduled to exit: seconds on a loaded machine).
    if used[0] is not None:
        deadline = time.monotonic() + 10
        while _live_processes_of(used[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _live_processes_of(used[0]) == []


@pytest.mark.parametrize(
    ("seconds", "tests", "cpu"),
    [(2.0, 3, 11), (1.5, 1, 5), (1.5, 0, 5), (0.25, 4, 7)],  # ceil((seconds + 1) × tests, at least one) + 2
)
def test_the_limits_set_before_the_sandbox_starts(monkeypatch, seconds, tests, cpu):
    """The rlimits are set in the forked child, where no test can look: here they are recorded instead."""
    set_to = {}
    monkeypatch.setattr(resource, "setrlimit", lambda which, pair: set_to.__setitem__(which, pair))
    limits = sandbox.Limits(seconds=seconds, memory_mb=64, processes=8, file_bytes=4096, open_files=16)
    sandbox._set_limits(limits, tests)
    assert set_to == {
        resource.RLIMIT_CPU: (cpu, cpu),
        resource.RLIMIT_AS: ((64 + 128) * 1024 * 1024,) * 2,
        resource.RLIMIT_NPROC: (8, 8),
        resource.RLIMIT_FSIZE: (4096, 4096),
        resource.RLIMIT_NOFILE: (16, 16),
        resource.RLIMIT_CORE: (0, 0),
    }


def test_each_run_gets_its_own_uid(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert sandbox._sandbox_uid() != sandbox._sandbox_uid()


@pytest.mark.parametrize("address", [("127.0.0.1", 5432), ("1.1.1.1", 80)])
def test_there_is_no_network(address):
    code = f"import socket\ndef f():\n    socket.create_connection({address!r}, timeout=1)\n    return 'connected'"
    test = only(judge(code, "assert f() == 'connected'"))
    assert test["verdict"] == Verdict.RUNTIME_ERROR
    # 127.0.0.1 is the sandbox's own empty loopback (refused), anything else is unreachable.
    assert "ConnectionRefusedError" in test["error"] or "OSError: [Errno 101]" in test["error"]


def test_the_project_and_its_database_are_not_there():
    database = settings.DATABASES["default"].get("NAME") or ""
    paths = [str(Path(settings.BASE_DIR) / "quizsite" / "settings.py"), str(database), str(settings.BASE_DIR)]
    code = "import os\ndef seen(p):\n    return os.path.exists(p)"
    tests = "\n".join(f"assert seen({p!r}) == False" for p in paths)
    assert judge(code, tests)["verdict"] == Verdict.ACCEPTED


def test_home_root_and_etc_are_not_there():
    tests = "\n".join(f"assert seen({p!r}) == False" for p in ["/home", "/root", "/etc/passwd", "/bin/sh", "/usr/local"])
    assert judge("import os\ndef seen(p):\n    return os.path.exists(p)", tests)["verdict"] == Verdict.ACCEPTED


def test_the_environment_and_proc_1_hold_no_secret(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"postgres://user:{SECRET}@db/quiz")
    monkeypatch.setenv("DJANGO_SECRET_KEY", SECRET)
    code = (
        "import os\n"
        "def env():\n"
        "    return dict(os.environ)\n"
        "def proc1():\n"
        "    try:\n"
        "        return open('/proc/1/environ', 'rb').read()\n"
        "    except OSError as exc:\n"
        "        return type(exc).__name__\n"
        "def parent_cmdline():\n"
        "    return [open(f'/proc/{p}/cmdline', 'rb').read() for p in os.listdir('/proc') if p.isdigit()]\n"
    )
    outcome = judge(code, "assert env() == 'secret'\nassert proc1() == 'secret'\nassert parent_cmdline() == 'x'")
    shown = everything_shown(outcome)
    assert SECRET not in shown
    assert "DATABASE_URL" not in shown and "DJANGO_SECRET_KEY" not in shown
    assert outcome["tests"][0]["got"] == "{'PWD': '/tmp'}"  # set by bwrap --chdir, nothing else


def test_writing_outside_the_working_directory_fails_and_reaches_nothing(tmp_path):
    marker = f"/tmp/sandbox-escape-{uuid.uuid4().hex}"
    code = (
        "def write(path):\n"
        "    try:\n"
        "        with open(path, 'w') as handle:\n"
        "            handle.write('x')\n"
        "        return 'written'\n"
        "    except OSError as exc:\n"
        "        return type(exc).__name__\n"
    )
    tests = (
        f"assert write({str(Path(settings.BASE_DIR) / 'pwned')!r}) != 'written'\n"
        "assert write('/usr/lib/python3.11/pwned.py') != 'written'\n"
        f"assert write({marker!r}) == 'written'\n"  # the sandbox's own tmpfs
    )
    assert judge(code, tests)["verdict"] == Verdict.ACCEPTED
    assert not (Path(settings.BASE_DIR) / "pwned").exists()
    assert not Path(marker).exists()


def test_a_big_file_is_refused():
    code = "def f():\n    with open('big', 'wb') as h:\n        h.write(b'x' * 50_000_000)\n    return 'ok'"
    assert only(judge(code, "assert f() == 'ok'"))["verdict"] in (Verdict.RUNTIME_ERROR, Verdict.MEMORY_LIMIT)


def test_subprocess_and_os_system_run_nothing():
    code = (
        "import os, subprocess\n"
        "def sub():\n"
        "    try:\n"
        "        return subprocess.run(['id'], capture_output=True).returncode\n"
        "    except OSError as exc:\n"
        "        return type(exc).__name__\n"
        "def system():\n"
        "    return os.system('id') == 0\n"
    )
    outcome = judge(code, "assert sub() == 'FileNotFoundError'\nassert system() == False")
    assert outcome["verdict"] == Verdict.ACCEPTED, outcome


def test_killing_the_parent_ends_only_the_sandbox():
    code = "import os, signal\ndef f():\n    os.kill(os.getppid(), signal.SIGKILL)\n    os.kill(1, signal.SIGKILL)\n    return 1"
    outcome = judge(code, "assert f() == 1\nassert f() == 1")
    assert outcome["verdict"] == Verdict.RUNTIME_ERROR
    assert os.getpid() > 0  # the worker (this process) is still here
    assert judge("def f():\n    return 1", "assert f() == 1")["verdict"] == Verdict.ACCEPTED


def test_the_sandbox_has_its_own_hostname_and_pid_namespace():
    code = "import os, socket\ndef host():\n    return socket.gethostname()\ndef pids():\n    return len([p for p in os.listdir('/proc') if p.isdigit()])"
    outcome = judge(code, f"assert host() == 'sandbox'\nassert host() != {socket.gethostname()!r}\nassert pids() <= 4")
    assert outcome["verdict"] == Verdict.ACCEPTED, outcome


def test_a_root_worker_drops_to_an_unprivileged_uid(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    uid = sandbox._sandbox_uid()
    assert uid is not None and uid >= settings.CODE_RUNNER_UID_BASE


def test_the_command_starts_bwrap_with_an_empty_environment_and_no_project_binds():
    command = sandbox.bwrap_command()
    assert command[:3] == ["/usr/bin/env", "-i", settings.CODE_RUNNER_BWRAP]
    assert "--unshare-all" in command and "--die-with-parent" in command
    binds = [command[i + 1] for i, word in enumerate(command) if word == "--ro-bind"]
    for path in binds:
        assert not path.startswith(str(settings.BASE_DIR))
        assert not path.startswith(("/home", "/root", "/etc", "/work"))
    assert "--bind" not in command


def test_nothing_runs_without_bwrap(settings):
    settings.CODE_RUNNER_BWRAP = "/nonexistent/bwrap"
    with pytest.raises(sandbox.RunnerUnavailable):
        judge("print(1)")


def test_the_wall_clock_kills_the_whole_run(monkeypatch):
    monkeypatch.setattr(sandbox, "wall_seconds", lambda limits, tests: 0.5)
    outcome = judge("import time\ndef f():\n    time.sleep(5)", "assert f()", seconds=3)
    assert outcome["verdict"] == Verdict.TIME_LIMIT
    assert socket.gethostname()  # still here


def test_what_a_test_leaves_running_is_killed_before_the_next():
    code = "import os\ndef spawn():\n    for _ in range(20):\n        if os.fork() == 0:\n            while True:\n                pass\n    return 1\ndef f():\n    return 2"
    outcome = judge(code, "assert spawn() == 1\nassert f() == 2\nassert f() == 2")
    assert [t["verdict"] for t in outcome["tests"]] == [Verdict.ACCEPTED] * 3
    assert max(t["seconds"] for t in outcome["tests"][1:]) < 0.5


# How the sandbox is started. Its outer limits, uid and flags are a second wall behind the harness's own limits,
# so a verdict alone cannot show that one is missing: these pin them.


def test_the_command_is_bwrap_with_every_namespace_flag_and_the_interpreter_isolated():
    command = sandbox.bwrap_command()
    assert command[:24] == [
        "/usr/bin/env", "-i", settings.CODE_RUNNER_BWRAP,
        "--unshare-all", "--die-with-parent", "--new-session", "--hostname", "sandbox",
        "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
        "--proc", "/proc", "--dev", "/dev", "--size", "4194304", "--tmpfs", "/tmp", "--chdir", "/tmp",
    ]  # fmt: skip
    # Debian's merged /usr: each link is recreated, never bound, and no bound path goes through one.
    links = [("/lib", "usr/lib"), ("/lib64", "usr/lib64"), ("/bin", "usr/bin")]
    made = [(command[i + 2], command[i + 1]) for i, word in enumerate(command) if word == "--symlink"]
    assert made == [(link, target) for link, target in links if os.path.islink(link)]
    binds = [(command[i + 1], command[i + 2]) for i, word in enumerate(command) if word == "--ro-bind"]
    assert binds and all(source == target for source, target in binds)
    assert not any(path == link or path.startswith(link + "/") for path, _ in binds for link, _ in made)
    assert command[-6:] == [os.path.realpath(settings.CODE_RUNNER_PYTHON), "-I", "-S", "-B", "-c", sandbox.HARNESS]


def _is_the_sandbox(command) -> bool:
    # Popen is patched for the whole process: the interpreter's paths are also read with a subprocess.
    return command[:3] == ["/usr/bin/env", "-i", settings.CODE_RUNNER_BWRAP]


def test_each_run_is_started_as_its_own_uid_with_nothing_inherited(monkeypatch):
    started, set_to = [], {}
    real_popen = sandbox.subprocess.Popen

    def recording_popen(command, **kwargs):
        if not _is_the_sandbox(command):
            return real_popen(command, **kwargs)
        started.append(kwargs)
        # The limits are set in the child; here they are recorded by running the same function in the parent.
        monkeypatch.setattr(resource, "setrlimit", lambda which, pair: set_to.__setitem__(which, pair))
        kwargs["preexec_fn"]()
        monkeypatch.undo()
        return real_popen(command, **kwargs)

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(sandbox, "_sandbox_uid", lambda: 201_234)
    monkeypatch.setattr(sandbox.subprocess, "Popen", recording_popen)
    limits = sandbox.Limits(seconds=1.5, processes=9)
    sandbox.sandbox_run(code="def f():\n    return 1", tests=[{"assert": "assert f() == 1"}] * 2, limits=limits)
    (kwargs,) = started
    assert {key: value for key, value in kwargs.items() if key not in ("preexec_fn", "stdin", "stdout", "stderr")} == {
        "cwd": "/",
        "env": {},
        "start_new_session": True,
        "user": 201_234,
        "group": 201_234,
        "extra_groups": [],
        "close_fds": True,
    }
    assert set_to[resource.RLIMIT_CPU] == (7, 7) and set_to[resource.RLIMIT_NPROC] == (9, 9)  # ceil(2.5 × 2) + 2


def test_a_worker_that_is_not_root_starts_the_sandbox_as_itself(monkeypatch):
    started = []
    real_popen = sandbox.subprocess.Popen
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(
        sandbox.subprocess,
        "Popen",
        lambda command, **kwargs: (_is_the_sandbox(command) and started.append(kwargs)) or real_popen(command, **kwargs),
    )
    sandbox.sandbox_run(code="", tests=[], limits=sandbox.Limits())
    (kwargs,) = started
    assert (kwargs["user"], kwargs["group"], kwargs["extra_groups"]) == (None, None, None)


def test_a_sandbox_that_fails_to_start_reports_its_error_cut_to_a_limit(monkeypatch):
    message = "bwrap: " + "no permission " * 2000
    monkeypatch.setattr(sandbox, "bwrap_command", lambda: ["/bin/sh", "-c", f"printf '{message}' >&2; exit 1"])
    result = sandbox.sandbox_run(code="", tests=[], limits=sandbox.Limits())
    assert (result.returncode, result.tests, result.timed_out) == (1, [], False)
    assert result.stderr == message[: sandbox.STDERR_BYTES]


def test_the_wall_clock_runs_to_its_end_before_the_run_is_stopped(monkeypatch):
    monkeypatch.setattr(sandbox, "wall_seconds", lambda limits, tests: 1.5)
    # Chatty to the end: the loop wakes up often, and must not stop while time is left.
    monkeypatch.setattr(sandbox, "bwrap_command", lambda: ["/bin/sh", "-c", "while :; do echo . >&2; sleep 0.2; done"])
    result = sandbox.sandbox_run(code="", tests=[], limits=sandbox.Limits())
    assert result.timed_out and 1.5 <= result.seconds < 10


@pytest.mark.parametrize(("seconds", "tests", "wall"), [(2.0, 3, 34.0), (1.5, 1, 16.5), (1.5, 0, 16.5), (0.25, 4, 21.0)])
def test_the_wall_clock_is_each_tests_limit_three_times_over_plus_slack(seconds, tests, wall):
    assert sandbox.wall_seconds(sandbox.Limits(seconds=seconds), tests) == wall


@pytest.mark.parametrize(("pid", "run", "offset"), [(123, 7, 12_307), (1_000, 7, 7), (499, 99, 49_999)])
def test_a_runs_uid_is_the_base_plus_pid_and_run_number_within_fifty_thousand(monkeypatch, pid, run, offset):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(os, "getpid", lambda: pid)
    monkeypatch.setattr(sandbox, "_run_numbers", iter([run]))
    assert sandbox._sandbox_uid() == settings.CODE_RUNNER_UID_BASE + offset


def _run_instead_of_bwrap(monkeypatch, script: str) -> sandbox.SandboxResult:
    """sandbox_run with a shell script in bwrap's place: how the runner reads what comes back."""
    monkeypatch.setattr(sandbox, "bwrap_command", lambda: ["/bin/sh", "-c", script])
    return sandbox.sandbox_run(code="", tests=[], limits=sandbox.Limits())


def test_a_report_past_its_limit_is_cut_and_the_run_stopped_at_once(monkeypatch):
    result = _run_instead_of_bwrap(monkeypatch, "exec yes '{}'")
    assert result.report_capped and not result.timed_out and result.returncode == -9
    assert result.seconds < 4  # killed at the cap, not after the five seconds' grace for exiting


def test_a_run_that_closes_its_output_but_does_not_exit_is_killed_after_a_grace(monkeypatch):
    result = _run_instead_of_bwrap(monkeypatch, "exec >&- 2>&-; exec sleep 30")
    assert (result.returncode, result.timed_out, result.report_capped) == (-9, False, False)
    assert 5 <= result.seconds < 10


def test_undecodable_output_is_replaced_and_the_report_ends_at_its_first_line_that_is_not_json(monkeypatch):
    script = r"""printf '{"verdict": "ok"}\n\377\n{"verdict": "late"}\n'; printf 'err \377' >&2"""
    result = _run_instead_of_bwrap(monkeypatch, script)
    assert result.tests == [{"verdict": "ok"}]
    assert result.stderr == "err \ufffd"
