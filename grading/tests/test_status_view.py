"""The page (and htmx partial) that shows the LLM grader's progress, and the practice card around it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grading.models import GradingJob
from interviews.models import Interview, InterviewQuestion
from practice.models import Mode
from practice.services import attempt_record
from questions.tests.factories import QuestionFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def attempt(fake_llm, user):
    """An answer whose grading job is still queued (no commit has run the task)."""
    return attempt_record(user=user, question=QuestionFactory(), answer="我会用多卡并行计算。")


def url(attempt):
    return f"/grading/attempts/{attempt.pk}/"


def test_it_needs_a_signed_in_user(client, attempt):
    response = client.get(url(attempt))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_another_candidate_gets_404(other_client, attempt):
    assert other_client.get(url(attempt), **HX).status_code == 404


def test_an_attempt_without_a_job_is_404(user_client, user, settings):
    settings.SCORER_BACKEND = "local"
    attempt = attempt_record(user=user, question=QuestionFactory(), answer="并行计算")
    assert user_client.get(url(attempt)).status_code == 404


def test_while_the_grader_works_htmx_keeps_polling(user_client, attempt, django_assert_max_num_queries):
    # session, user, attempt with its job, the stale-job check
    with django_assert_max_num_queries(6):
        response = user_client.get(url(attempt), **HX)
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "is reading your answer" in body
    assert "HX-Trigger" not in response
    assert "<html" not in body


def test_a_finished_job_stops_the_polling_and_tells_the_page(user_client, attempt):
    GradingJob.objects.filter(attempt=attempt).update(
        status="done", feedback="再谈谈混合精度。", finished_at=attempt.created_at
    )
    attempt.auto_score = 1.0
    attempt.save()
    response = user_client.get(url(attempt), **HX)
    body = response.content.decode()
    assert response["HX-Trigger"] == "grading-finished"
    assert "every 2s" not in body
    assert "Graded by fake-model: 100%" in body and "再谈谈混合精度。" in body


def test_a_failed_job_says_the_local_score_stays(user_client, attempt):
    GradingJob.objects.filter(attempt=attempt).update(
        status="failed", failure="timeout", finished_at=attempt.created_at
    )
    body = user_client.get(url(attempt), **HX).content.decode()
    assert "gave no verdict (the grader did not answer in time)" in body
    assert "offline scorer" in body


def test_without_htmx_it_is_a_full_page(user_client, attempt):
    response = user_client.get(url(attempt))
    assert response.status_code == 200
    assert "<html" in response.content.decode() and "is reading your answer" in response.content.decode()


def test_a_poll_that_finds_a_lost_worker_queues_the_job_again(user_client, attempt, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.GRADING_JOB_LIMIT_SECONDS = 10
    GradingJob.objects.filter(attempt=attempt).update(
        status="running", tries=2, started_at=timezone.now() - timedelta(minutes=1)
    )
    body = user_client.get(url(attempt), **HX).content.decode()
    assert "the grading worker stopped" in body
    assert GradingJob.objects.get(attempt=attempt).status == "failed"


def test_the_practice_card_polls_and_reloads_itself_when_the_verdict_is_in(user_client, attempt):
    response = user_client.get(f"/practice/attempts/{attempt.pk}/?scope=all", **HX)
    body = response.content.decode()
    assert f'hx-get="/grading/attempts/{attempt.pk}/"' in body
    assert 'hx-trigger="grading-finished from:body"' in body


def test_the_interview_report_polls_the_grader_beside_each_answer(user_client, user, fake_llm):
    question = QuestionFactory()
    now = timezone.now()
    interview = Interview.objects.create(
        user=user,
        status=Interview.Status.FINISHED,
        seconds_per_question=180,
        started_at=now - timedelta(minutes=5),
        deadline=now - timedelta(minutes=2),
        finished_at=now - timedelta(minutes=3),
    )
    answer = attempt_record(user=user, question=question, answer="我会用多卡并行计算。", mode=Mode.INTERVIEW)
    InterviewQuestion.objects.create(
        interview=interview,
        position=1,
        question=question,
        version=question.current_version,
        attempt=answer,
        status=InterviewQuestion.Status.ANSWERED,
        opened_at=now - timedelta(minutes=5),
        deadline=now - timedelta(minutes=2),
        closed_at=now - timedelta(minutes=3),
    )
    body = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert f'hx-get="/grading/attempts/{answer.pk}/"' in body and 'hx-trigger="every 2s"' in body
