import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from live.services import SessionChoice, clock_start, live_session_create, live_session_join
from questions.tests.factories import QuestionFactory, TopicFactory

KEY_POINT_LABEL = "关键点甲"
KEY_POINT_TEXT = "只有面试官能看到的关键点说明"
REFERENCE = "只有面试官能看到的参考答案"
NOTE = "候选人回答很犹豫"


@pytest.fixture
def questions(db):
    topic = TopicFactory(slug="training", name="训练")
    return [
        QuestionFactory(
            topic=topic,
            prompt=f"第{n}题：如何评估模型？",
            answer=REFERENCE,
            key_points=[(KEY_POINT_LABEL, KEY_POINT_TEXT), ("关键点乙", "第二个要点")],
        )
        for n in (1, 2, 3)
    ]


@pytest.fixture
def interviewer(user):
    return user


@pytest.fixture
def candidate(other_user):
    return other_user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def interviewer_client(user_client):
    return user_client


@pytest.fixture
def candidate_client(other_client):
    return other_client


@pytest.fixture
def outsider_client(outsider):
    client = Client()
    client.force_login(outsider)
    return client


@pytest.fixture
def created(interviewer, questions):
    """A session with its invite out."""
    return live_session_create(
        interviewer=interviewer, choice=SessionChoice(seconds_per_question=120, questions=questions)
    )


@pytest.fixture
def joined(created, candidate):
    return live_session_join(session=created, user=candidate)


@pytest.fixture
def running(joined):
    return clock_start(session=joined)
