"""Grading jobs: the LLM grader run as a background task, its failures, and lost workers."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from grading.jobs import grading_job_run, grading_jobs_recover
from grading.models import GradingJob
from practice.services import attempt_record
from questions.tests.factories import QuestionFactory

ANSWER = "我会用多卡并行计算来加速。"


@pytest.fixture
def question(db):
    return QuestionFactory()


def record(user, question, django_capture_on_commit_callbacks, answer=ANSWER):
    """An answer stored as the views store it; the task runs on commit (the immediate backend in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        return attempt_record(user=user, question=question, answer=answer)


def test_the_local_scorer_alone_makes_no_job(user, question, django_capture_on_commit_callbacks):
    attempt = record(user, question, django_capture_on_commit_callbacks)
    assert not GradingJob.objects.exists()
    assert attempt.auto_score == 0.5


def test_the_graders_verdict_replaces_the_local_coverage(fake_llm, user, question, django_capture_on_commit_callbacks):
    fake_llm.reply = {"covered": [1, 2], "feedback": "两点都答到了。"}
    attempt = record(user, question, django_capture_on_commit_callbacks)
    job = GradingJob.objects.get(attempt=attempt)
    assert (job.status, job.tries, job.model, job.covered) == ("done", 1, "fake-model", [0, 1])
    assert job.feedback == "两点都答到了。"
    attempt.refresh_from_db()
    assert (attempt.auto_score, attempt.score) == (1.0, 1.0)
    assert list(attempt.key_point_results.values_list("covered", "auto_covered")) == [(True, True), (True, True)]


@pytest.mark.parametrize(("mode", "failure"), [("malformed", "malformed"), ("slow", "timeout"), ("error", "error")])
def test_a_failed_grader_keeps_the_local_score_and_says_why(
    fake_llm, user, question, django_capture_on_commit_callbacks, mode, failure
):
    fake_llm.mode = mode
    attempt = record(user, question, django_capture_on_commit_callbacks)
    job = GradingJob.objects.get(attempt=attempt)
    assert (job.status, job.failure) == ("failed", failure)
    assert job.finished_at is not None and job.detail
    attempt.refresh_from_db()
    assert attempt.auto_score == 0.5


def test_a_candidates_own_ticks_stay_when_the_verdict_comes_later(fake_llm, user, question):
    attempt = attempt_record(user=user, question=question, answer=ANSWER)  # not run: no commit yet
    attempt.key_point_results.update(covered=False)
    attempt.score, attempt.rating = 0.0, 3
    attempt.save()
    grading_job_run(job_id=attempt.grading_job.pk)
    attempt.refresh_from_db()
    assert (attempt.auto_score, attempt.score) == (0.5, 0.0)
    assert list(attempt.key_point_results.values_list("covered", "auto_covered")) == [(False, True), (False, False)]


def test_answers_in_the_head_and_blank_ones_are_not_sent(fake_llm, user, question, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attempt_record(user=user, question=question, answer="", in_head=True)
        attempt_record(user=user, question=question, answer="   ")
    assert not GradingJob.objects.exists()
    assert fake_llm.requests == []


def test_a_job_runs_once(fake_llm, user, question, django_capture_on_commit_callbacks):
    attempt = record(user, question, django_capture_on_commit_callbacks)
    assert grading_job_run(job_id=attempt.grading_job.pk) == "skipped"
    assert len(fake_llm.requests) == 1


def _stuck(attempt, *, tries, minutes_ago):
    started = timezone.now() - timedelta(minutes=minutes_ago)
    GradingJob.objects.filter(attempt=attempt).update(status="running", tries=tries, started_at=started)


def test_a_job_left_running_by_a_lost_worker_is_queued_again_once(
    fake_llm, user, question, settings, django_capture_on_commit_callbacks
):
    settings.GRADING_JOB_LIMIT_SECONDS = 60
    attempt = attempt_record(user=user, question=question, answer=ANSWER)
    _stuck(attempt, tries=1, minutes_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert grading_jobs_recover() == {"requeued": 1, "failed": 0}
    job = GradingJob.objects.get(attempt=attempt)
    assert (job.status, job.tries) == ("done", 2)


def test_a_job_lost_twice_is_given_up_with_a_reason(fake_llm, user, question, settings):
    settings.GRADING_JOB_LIMIT_SECONDS = 60
    attempt = attempt_record(user=user, question=question, answer=ANSWER)
    _stuck(attempt, tries=2, minutes_ago=2)
    call_command("recover_grading_jobs", stdout=__import__("io").StringIO())
    job = GradingJob.objects.get(attempt=attempt)
    assert (job.status, job.failure) == ("failed", "worker_lost")
    attempt.refresh_from_db()
    assert attempt.auto_score == 0.5


def test_a_job_within_its_limit_or_waiting_for_a_worker_is_left_alone(fake_llm, user, question, settings):
    settings.GRADING_JOB_LIMIT_SECONDS = 600
    running = attempt_record(user=user, question=question, answer=ANSWER)
    _stuck(running, tries=1, minutes_ago=2)
    waiting = attempt_record(user=user, question=question, answer="还没轮到我")
    GradingJob.objects.filter(attempt=waiting).update(created_at=timezone.now() - timedelta(hours=1))
    assert grading_jobs_recover() == {"requeued": 0, "failed": 0}
