from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from practice.models import Rating
from practice.services import attempt_rate, attempt_record
from questions.tests.factories import QuestionFactory, TopicFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def answer(user, question, covered_labels, rating, when):
    """One practice attempt covering exactly the given key points, rated."""
    attempt = attempt_record(user=user, question=question, answer=" ".join(covered_labels), now=when)
    positions = {i for i, kp in enumerate(attempt.version.key_points) if kp["label"] in covered_labels}
    return attempt_rate(attempt=attempt, covered_positions=positions, rating=rating, now=when)


@pytest.fixture
def history(user):
    """Topic A: qa1 answered twice (50 %, Hard; then 100 %, Easy), qa2 never. Topic B: qb1 once (0 %, Again)."""
    a = TopicFactory(slug="a", name="Topic A", order=1)
    b = TopicFactory(slug="b", name="Topic B", order=2)
    qa1 = QuestionFactory(topic=a, key_points=[("alpha", "one"), ("beta", "two")])
    QuestionFactory(topic=a, key_points=[("gamma", "three")])
    qb1 = QuestionFactory(topic=b, key_points=[("delta", "four"), ("epsilon", "five")])
    answer(user, qa1, ["alpha"], Rating.HARD, NOW - timedelta(days=2))
    answer(user, qa1, ["alpha", "beta"], Rating.EASY, NOW - timedelta(days=1))
    answer(user, qb1, [], Rating.AGAIN, NOW - timedelta(days=1, minutes=-5))
    return {"a": a, "b": b, "qa1": qa1, "qb1": qb1}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield
