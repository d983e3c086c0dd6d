"""The published questions per topic, shared by every page that shows them: cached, dropped by a save or a
delete, and a bulk change (which sends no signal) shows within PUBLISHED_COUNTS_SECONDS."""

import time

import pytest

from progress.selectors import PUBLISHED_COUNTS_SECONDS, published_counts
from questions.models import Question
from questions.tests.factories import QuestionFactory, TopicFactory


@pytest.fixture
def topic(db):
    return TopicFactory(slug="counted")


def test_a_saved_or_deleted_question_shows_at_once(topic):
    first = QuestionFactory(topic=topic)
    assert published_counts() == {topic.pk: 1}
    second = QuestionFactory(topic=topic)
    assert published_counts() == {topic.pk: 2}
    first.is_published = False
    first.save()
    assert published_counts() == {topic.pk: 1}
    second.delete()
    assert published_counts() == {}


def test_a_bulk_change_shows_when_the_counts_expire_and_not_a_second_before(topic, monkeypatch):
    question = QuestionFactory(topic=topic)
    clock = [time.time()]
    monkeypatch.setattr(time, "time", lambda: clock[0])  # the local-memory cache's clock
    assert published_counts() == {topic.pk: 1}
    Question.objects.filter(pk=question.pk).update(is_published=False)  # no signal
    clock[0] += PUBLISHED_COUNTS_SECONDS - 1
    assert published_counts() == {topic.pk: 1}
    clock[0] += 1
    assert published_counts() == {}
    assert PUBLISHED_COUNTS_SECONDS == 60
