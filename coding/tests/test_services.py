"""Requesting runs (the per-user limit), executing them, recovering runs whose worker died."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coding.models import CodeRun, Verdict
from coding.services import (
    RunRefused,
    attempt_judge,
    code_run_execute,
    code_run_recover,
    code_run_request,
    code_runs_sweep,
    run_suggested_rating,
)
from coding.tests.factories import SOLUTION, CodeRunFactory, CodingQuestionFactory
from practice.models import Rating
from practice.services import attempt_record
from progress.models import Activity
from questions.tests.factories import QuestionFactory

from .test_sandbox import pytestmark as needs_bwrap


@pytest.fixture
def no_worker(settings):
    """A queue nobody works on (the database backend without a db_worker running)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@needs_bwrap
def test_a_requested_run_is_judged_by_the_task(db, user):
    question = CodingQuestionFactory()
    run = code_run_request(user=user, question=question, code=SOLUTION, purpose=CodeRun.Purpose.SUBMIT)
    assert run.status == CodeRun.Status.DONE and run.verdict == Verdict.ACCEPTED
    assert (run.passed, run.total) == (4, 4)
    assert run.started_at and run.finished_at and run.seconds is not None and run.memory_kb


@needs_bwrap
def test_run_samples_runs_only_the_samples(db, user):
    run = code_run_request(user=user, question=CodingQuestionFactory(), code=SOLUTION, purpose=CodeRun.Purpose.SAMPLES)
    assert [t["name"] for t in run.tests] == ["sample 1", "sample 2"]


@needs_bwrap  # a run is queued only where the runner is installed
def test_the_queue_limit_allows_up_to_the_limit_and_refuses_one_more(db, user, settings, no_worker):
    settings.CODE_RUNS_PER_USER = 2
    question = CodingQuestionFactory()
    for _ in range(2):
        code_run_request(user=user, question=question, code=SOLUTION, purpose=CodeRun.Purpose.SAMPLES)
    with pytest.raises(RunRefused, match="2 runs waiting"):
        code_run_request(user=user, question=question, code=SOLUTION, purpose=CodeRun.Purpose.SAMPLES)
    assert CodeRun.objects.count() == 2


@needs_bwrap  # a run is queued only where the runner is installed
def test_finished_runs_and_other_candidates_do_not_count_against_the_limit(db, user, other_user, settings, no_worker):
    settings.CODE_RUNS_PER_USER = 1
    question = CodingQuestionFactory()
    CodeRunFactory(user=user, question=question, status=CodeRun.Status.DONE, verdict=Verdict.ACCEPTED)
    CodeRunFactory(user=other_user, question=question)
    run = code_run_request(user=user, question=question, code=SOLUTION, purpose=CodeRun.Purpose.SAMPLES)
    assert run.status == CodeRun.Status.QUEUED


@needs_bwrap  # a run is queued only where the runner is installed
@pytest.mark.parametrize(
    ("code", "message"),
    [("   ", "Write some code"), ("x" * 10_001, "the limit is 10000")],
)
def test_empty_or_too_long_code_is_refused(db, user, no_worker, code, message):
    with pytest.raises(RunRefused, match=message):
        code_run_request(user=user, question=CodingQuestionFactory(), code=code, purpose=CodeRun.Purpose.SAMPLES)


@needs_bwrap  # a run is queued only where the runner is installed
def test_code_at_the_length_limit_is_accepted(db, user, no_worker):
    run = code_run_request(user=user, question=CodingQuestionFactory(), code="x" * 10_000, purpose="samples")
    assert run.pk


def test_a_free_text_question_has_no_code_to_run(db, user, no_worker):
    with pytest.raises(RunRefused, match="no code to run"):
        code_run_request(user=user, question=QuestionFactory(), code=SOLUTION, purpose=CodeRun.Purpose.SAMPLES)


def test_without_bwrap_nothing_is_queued(db, user, settings):
    settings.CODE_RUNNER_BWRAP = "/nonexistent/bwrap"
    with pytest.raises(RunRefused, match="unavailable"):
        code_run_request(user=user, question=CodingQuestionFactory(), code=SOLUTION, purpose=CodeRun.Purpose.SAMPLES)
    assert not CodeRun.objects.exists()


def test_a_worker_without_bwrap_fails_the_run_instead_of_running_it(db, user, settings):
    run = CodeRunFactory(user=user)
    settings.CODE_RUNNER_BWRAP = "/nonexistent/bwrap"
    code_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == CodeRun.Status.FAILED and "unavailable" in run.message


def test_a_run_is_executed_once(db, user):
    run = CodeRunFactory(user=user, status=CodeRun.Status.DONE, verdict=Verdict.ACCEPTED, tests=[{"x": 1}])
    code_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.tests == [{"x": 1}]


# A worker killed mid-run leaves the run "running": retried once, then failed, never pending forever.


def _stale(run: CodeRun, status=CodeRun.Status.RUNNING, seconds=121) -> CodeRun:
    moment = timezone.now() - timedelta(seconds=seconds)
    CodeRun.objects.filter(pk=run.pk).update(status=status, started_at=moment, changed_at=moment)
    run.refresh_from_db()
    return run


def test_a_run_left_running_by_a_dead_worker_is_queued_again_once_then_failed(db, user, no_worker):
    run = _stale(CodeRunFactory(user=user))
    run = code_run_recover(run=run)
    assert run.status == CodeRun.Status.QUEUED and run.tries == 1
    run = code_run_recover(run=_stale(run))
    assert run.status == CodeRun.Status.FAILED and "lost twice" in run.message
    assert run.finished_at is not None


@needs_bwrap
def test_a_run_queued_again_is_judged_by_the_next_worker(db, user):
    run = code_run_recover(run=_stale(CodeRunFactory(user=user)))
    assert run.status == CodeRun.Status.DONE and run.verdict == Verdict.ACCEPTED


def test_a_run_within_the_limit_is_left_alone(db, user, no_worker):
    run = code_run_recover(run=_stale(CodeRunFactory(user=user), seconds=119))
    assert run.status == CodeRun.Status.RUNNING and run.tries == 0


def test_a_run_queued_with_no_worker_at_all_ends_failed(db, user, no_worker):
    run = _stale(CodeRunFactory(user=user), status=CodeRun.Status.QUEUED)
    run = code_run_recover(run=_stale(code_run_recover(run=run), status=CodeRun.Status.QUEUED))
    assert run.status == CodeRun.Status.FAILED


def test_the_sweep_recovers_every_stale_run_and_only_those(db, user, other_user, no_worker):
    stale = [_stale(CodeRunFactory(user=user)), _stale(CodeRunFactory(user=other_user))]
    fresh = CodeRunFactory(user=user)
    assert code_runs_sweep() == 2
    assert {r.status for r in CodeRun.objects.filter(pk__in=[s.pk for s in stale])} == {CodeRun.Status.QUEUED}
    fresh.refresh_from_db()
    assert fresh.status == CodeRun.Status.QUEUED and fresh.tries == 0


# Answers to coding questions are judged once, against every test; the verdict suggests the rating.


@needs_bwrap
def test_a_coding_answer_is_judged_once(db, user):
    question = CodingQuestionFactory()
    attempt = attempt_record(user=user, question=question, answer=SOLUTION)
    run = attempt_judge(attempt=attempt)
    assert run.verdict == Verdict.ACCEPTED and run.purpose == CodeRun.Purpose.SUBMIT
    attempt.refresh_from_db()
    assert attempt_judge(attempt=attempt).pk == run.pk
    assert CodeRun.objects.count() == 1


def test_free_text_and_empty_answers_are_not_judged(db, user):
    assert attempt_judge(attempt=attempt_record(user=user, question=QuestionFactory(), answer="答")) is None
    assert attempt_judge(attempt=attempt_record(user=user, question=CodingQuestionFactory(), answer=" ")) is None


@pytest.mark.parametrize(
    ("verdict", "passed", "total", "rating"),
    [
        (Verdict.ACCEPTED, 4, 4, Rating.GOOD),
        (Verdict.WRONG_ANSWER, 2, 4, Rating.HARD),
        (Verdict.WRONG_ANSWER, 1, 4, Rating.AGAIN),
        (Verdict.TIME_LIMIT, 0, 4, Rating.AGAIN),
        (Verdict.RAN, 1, 1, None),
    ],
)
def test_the_verdict_suggests_the_rating(verdict, passed, total, rating):
    run = CodeRun(status=CodeRun.Status.DONE, verdict=verdict, passed=passed, total=total)
    assert run_suggested_rating(run) == rating


def test_a_pending_run_suggests_nothing():
    assert run_suggested_rating(CodeRun(status=CodeRun.Status.QUEUED)) is None
    assert run_suggested_rating(None) is None


@needs_bwrap
def test_a_judged_answer_moves_the_dashboard_stamp_and_a_sample_run_does_not(db, user):
    question = CodingQuestionFactory()
    attempt = attempt_record(user=user, question=question, answer=SOLUTION)
    before = Activity.objects.get(user=user).token
    attempt_judge(attempt=attempt)
    judged = Activity.objects.get(user=user).token
    assert judged != before
    code_run_request(user=user, question=question, code=SOLUTION, purpose=CodeRun.Purpose.SAMPLES)
    assert Activity.objects.get(user=user).token == judged
