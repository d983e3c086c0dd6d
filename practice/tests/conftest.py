import pytest

from practice.models import Attempt
from questions.tests.factories import QuestionFactory, TopicFactory

PARTIAL_ANSWER = "可以用多卡并行计算来加速。"
REFERENCE_TEXT = "利用多GPU或分布式计算资源"


@pytest.fixture
def question(db):
    return QuestionFactory(topic=TopicFactory(slug="training", name="训练"))


def reveal(client, question, answer=PARTIAL_ANSWER, scope="all", **extra):
    """Show the next card, then answer it with `answer`."""
    card = client.get(f"/practice/next/?scope={scope}")
    token = card.context["form"]["token"].value()
    return client.post(
        f"/practice/questions/{question.pk}/reveal/", {"answer": answer, "token": token, "scope": scope}, **extra
    )


def answer_and_rate(client, question, rating, answer=PARTIAL_ANSWER, scope="all") -> Attempt:
    reveal(client, question, answer, scope)
    attempt = Attempt.objects.latest("pk")
    client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": rating, "scope": "all"})
    attempt.refresh_from_db()
    return attempt
