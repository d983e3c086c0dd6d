from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion
from questions.tests.factories import QuestionFactory, TopicFactory

START = timezone.now().replace(microsecond=0) + timedelta(days=1)
REFERENCE_TEXT = "利用多GPU或分布式计算资源"


@pytest.fixture
def bank(db):
    topic = TopicFactory(slug="training", name="训练")
    return QuestionFactory.create_batch(4, topic=topic)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def start(user_client):
    """Start an interview through the set-up form (1 minute a question unless told)."""

    def _start(client=user_client, count=3, minutes=1, **extra):
        data = {"question_count": count, "timing": "per_question", "minutes_per_question": minutes, "total_minutes": 15}
        response = client.post("/interviews/new/", {**data, **extra})
        assert response.status_code == 302, response.content.decode()[:2000]
        return Interview.objects.latest("pk")

    return _start


def open_item(interview) -> InterviewQuestion:
    return interview.questions.get(status=InterviewQuestion.Status.OPEN)


def submit_all(client, interview, answers):
    """Answer each question in turn, the way the browser does: submit, then load the next."""
    for position, answer in enumerate(answers, start=1):
        client.post(f"/interviews/{interview.pk}/questions/{position}/next/", {"answer": answer})
        client.get(f"/interviews/{interview.pk}/")
