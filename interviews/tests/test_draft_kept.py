"""A post without the answer field (a script, a proxy that drops the body, a stale form) never erases a draft."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion
from questions.tests.factories import QuestionFactory, TopicFactory

START = timezone.now().replace(microsecond=0) + timedelta(days=1)
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def interview(user_client, db):
    QuestionFactory.create_batch(3, topic=TopicFactory())
    with time_machine.travel(START, tick=False):
        data = {"question_count": 3, "timing": "per_question", "minutes_per_question": 1, "total_minutes": 15}
        assert user_client.post("/interviews/new/", data).status_code == 302
        interview = Interview.objects.get()
        assert user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "我的草稿"}).status_code == 302
        yield interview


def first(interview) -> InterviewQuestion:
    return interview.questions.get(position=1)


def test_a_submit_without_the_answer_field_makes_the_saved_draft_the_answer(user_client, interview):
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {})
    assert response.status_code == 302
    item = first(interview)
    assert item.status == InterviewQuestion.Status.ANSWERED
    assert item.draft == "我的草稿" and item.attempt.answer == "我的草稿"


def test_a_submit_with_an_empty_answer_is_still_an_empty_answer(user_client, interview):
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": ""})
    item = first(interview)
    assert item.status == InterviewQuestion.Status.UNANSWERED and item.draft == ""


@pytest.mark.parametrize("headers", [{}, HX])
def test_an_autosave_without_the_answer_field_is_refused_and_keeps_the_draft(user_client, interview, headers):
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {}, **headers)
    assert response.status_code == (422 if headers else 302)
    assert first(interview).draft == "我的草稿"
