"""Requesting, executing and recovering code runs. The code itself only ever runs in sandbox.py."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from practice.models import Attempt, Rating
from progress.services import progress_changed
from questions.models import Kind, Question, QuestionVersion

from .models import CodeRun, Verdict
from .sandbox import Limits, RunnerUnavailable, SandboxResult, runner_missing, sandbox_run
from .spec import CodingSpec, judge_tests


class RunRefused(Exception):
    """A run the site will not start; the message is for the candidate."""


def runner_unavailable() -> bool:
    return runner_missing() is not None


def version_spec(version: QuestionVersion) -> CodingSpec:
    return CodingSpec.from_fields(version.coding)


@transaction.atomic
def code_run_request(*, user, question: Question, code: str, purpose: str) -> CodeRun:
    """Queue the candidate's code against the question's current tests, within their limit of pending runs."""
    if question.kind != Kind.CODE or question.current_version is None:
        raise RunRefused(_("This question has no code to run."))
    if runner_unavailable():
        raise RunRefused(_("The code runner is unavailable on this server, so code cannot be run now."))
    if not code.strip():
        raise RunRefused(_("Write some code first."))
    if len(code) > settings.MAX_CODE_CHARS:
        raise RunRefused(
            _("Your code is %(n)d characters long; the limit is %(limit)d.")
            % {"n": len(code), "limit": settings.MAX_CODE_CHARS}
        )
    # One request at a time per candidate past this point, so two tabs cannot both slip under the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if CodeRun.objects.for_user(user).pending().filter(attempt=None).count() >= settings.CODE_RUNS_PER_USER:
        raise RunRefused(
            _("You already have %(n)d runs waiting. Wait for their results before running again.")
            % {"n": settings.CODE_RUNS_PER_USER}
        )
    run = CodeRun.objects.create(
        user=user, question=question, version=question.current_version, code=code, purpose=purpose
    )
    _enqueue(run)
    run.refresh_from_db()  # a backend that runs tasks at once has already judged it
    return run


def _enqueue(run: CodeRun) -> None:
    from .tasks import code_run_task  # tasks import this module

    # With the database queue the task's row commits together with the run's.
    code_run_task.enqueue(run.pk)


def attempt_judge(*, attempt: Attempt) -> CodeRun | None:
    """The judged submission of a coding answer: started once, on first asking; None for free text,
    an empty answer, or when the runner is unavailable."""
    if not attempt.version.coding or not attempt.answer.strip():
        return None
    try:
        return attempt.code_run  # no query when the caller select_related it
    except CodeRun.DoesNotExist:
        pass
    if runner_unavailable():
        return None
    try:
        with transaction.atomic():
            run = CodeRun.objects.create(
                user_id=attempt.user_id,
                question_id=attempt.question_id,
                version=attempt.version,
                attempt=attempt,
                code=attempt.answer,
                purpose=CodeRun.Purpose.SUBMIT,
            )
            _enqueue(run)
    except IntegrityError:  # a second request for the same attempt got there first
        return CodeRun.objects.get(attempt=attempt)
    run.refresh_from_db()
    return run


def code_run_execute(*, run_id: int, now: datetime | None = None) -> None:
    """What the worker does: claim the run, judge it in the sandbox, store the verdicts."""
    now = now or timezone.now()
    claimed = CodeRun.objects.filter(pk=run_id, status=CodeRun.Status.QUEUED).update(
        status=CodeRun.Status.RUNNING, started_at=now, changed_at=now
    )
    if not claimed:
        return  # done already, or taken by another worker
    run = CodeRun.objects.select_related("version").get(pk=run_id)
    try:
        outcome = code_judge(spec=version_spec(run.version), code=run.code, hidden=run.purpose == CodeRun.Purpose.SUBMIT)
    except RunnerUnavailable:
        _finish(run, status=CodeRun.Status.FAILED, message=_("The code runner is unavailable on this server."))
        return
    _finish(run, status=CodeRun.Status.DONE, **outcome)


def code_judge(*, spec: CodingSpec, code: str, hidden: bool = True) -> dict:
    """Judge code against a spec's tests in the sandbox, now (a worker, the `judge` command).
    Raises RunnerUnavailable without bwrap."""
    tests = judge_tests(spec, hidden=hidden)
    limits = Limits(seconds=spec.time_limit_seconds, memory_mb=spec.memory_limit_mb)
    return judge_outcome(tests, sandbox_run(code=code, tests=tests, limits=limits))


def _finish(run: CodeRun, **fields) -> None:
    now = timezone.now()
    finished = CodeRun.objects.filter(pk=run.pk, status=CodeRun.Status.RUNNING).update(
        finished_at=now, changed_at=now, **fields
    )
    if finished and run.attempt_id is not None:
        # A judged answer moves the dashboard's pass rates; update() sends no signal.
        progress_changed(user_id=run.user_id)


def _public(test: dict, result: dict) -> dict:
    """What a candidate may see of one test's result: everything for a sample, only the verdict,
    the time and memory and the kind of error for a hidden test (its code stays secret)."""
    shown = {
        "name": test["name"],
        "hidden": test["hidden"],
        "verdict": result.get("verdict", Verdict.NOT_RUN),
        "seconds": result.get("seconds"),
        "memory_kb": result.get("memory_kb"),
    }
    if not test["hidden"]:
        if test["kind"] == "assert":
            shown["code"] = test["code"]
        for key in ("expected", "got", "error", "output"):
            if result.get(key):
                shown[key] = result[key]
    elif result.get("error"):
        shown["error"] = result["error"].strip().rsplit("\n", 1)[-1].split(":", 1)[0]
    return shown


def judge_outcome(tests: list[dict], result: SandboxResult) -> dict:
    """The run's verdict and per-test results from what the sandbox reported.

    A test without a report was running when the run stopped: time limit when the wall clock ran
    out, runtime error when the harness died (the code killed it); the tests after it did not run.
    """
    reported = {r.get("name"): r for r in result.tests}
    shown, stopped = [], False
    for test in tests:
        report = reported.get(test["name"])
        if report is None and not stopped:
            stopped = True
            verdict = Verdict.TIME_LIMIT if result.timed_out else Verdict.RUNTIME_ERROR
            error = "" if result.timed_out else _("The judge stopped: the program ended its own test harness.")
            report = {"verdict": verdict, "error": error}
        shown.append(_public(test, report or {"verdict": Verdict.NOT_RUN}))
    failing = next((t["verdict"] for t in shown if t["verdict"] != Verdict.ACCEPTED), None)
    if tests and tests[0]["kind"] == "run":
        verdict = failing or Verdict.RAN
    else:
        verdict = failing or Verdict.ACCEPTED
    seconds = [t["seconds"] for t in shown if t.get("seconds") is not None]
    memory = [t["memory_kb"] for t in shown if t.get("memory_kb") is not None]
    return {
        "verdict": verdict,
        "tests": shown,
        "passed": sum(t["verdict"] == Verdict.ACCEPTED for t in shown),
        "total": len(shown),
        "seconds": max(seconds, default=None),
        "memory_kb": max(memory, default=None),
    }


@transaction.atomic
def code_run_recover(*, run: CodeRun, now: datetime | None = None) -> CodeRun:
    """A run pending past CODE_RUN_STALE_SECONDS lost its worker (killed mid-run, or none running):
    queue it again once, and mark it failed the second time. Never pending forever."""
    now = now or timezone.now()
    run = CodeRun.objects.select_for_update().get(pk=run.pk)
    if not CodeRun.objects.filter(pk=run.pk).stale(now).exists():
        return run
    if run.tries == 0:
        run.status, run.tries, run.changed_at = CodeRun.Status.QUEUED, 1, now
        run.save(update_fields=["status", "tries", "changed_at"])
        _enqueue(run)
    else:
        run.status, run.finished_at, run.changed_at = CodeRun.Status.FAILED, now, now
        run.message = _("The run was lost twice (its worker stopped). Please run it again.")
        run.save(update_fields=["status", "finished_at", "changed_at", "message"])
    run.refresh_from_db()
    return run


def code_runs_sweep(*, now: datetime | None = None) -> int:
    """Recover every stale run (the `recover_code_runs` command, from cron). Returns how many."""
    stale = list(CodeRun.objects.stale(now))
    for run in stale:
        code_run_recover(run=run, now=now)
    return len(stale)


def run_suggested_rating(run: CodeRun | None) -> int | None:
    """What a judged submission suggests: accepted is Good, most tests passing Hard, fewer Again.
    Nothing while it is pending, or for a question without tests (the candidate grades themselves)."""
    if run is None or run.status != CodeRun.Status.DONE or run.verdict == Verdict.RAN:
        return None
    if run.verdict == Verdict.ACCEPTED:
        return Rating.GOOD
    return Rating.HARD if run.total and run.passed / run.total >= 0.5 else Rating.AGAIN
