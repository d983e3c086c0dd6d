"""An interview start samples its questions in the database, in a fixed number of queries."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.models import Interview
from interviews.services import (
    InterviewError,
    InterviewSettings,
    interview_abandon,
    interview_start,
    weakness_weight,
)
from practice.models import Attempt
from progress.demo import seed_questions
from questions.models import Question, Topic
from questions.tests.factories import QuestionFactory, TopicFactory


def start_queries(user, count=5) -> int:
    with CaptureQueriesContext(connection) as queries:
        interview = interview_start(user=user, choice=InterviewSettings(count, [], 180, None))
    assert interview.questions.count() == count
    interview_abandon(interview=interview)
    return len(queries)


def test_a_start_costs_the_same_queries_whatever_the_bank(user, db):
    seed_questions(count=20, topics=4)
    small = start_queries(user)
    seed_questions(count=2000, topics=4)
    assert start_queries(user) == small


def test_a_start_costs_the_same_queries_whatever_the_number_of_questions(user, db):
    seed_questions(count=20, topics=4)
    assert start_queries(user, count=6) == start_queries(user, count=3)


def test_the_draw_keeps_to_the_chosen_topics_and_to_published_questions(user, db):
    seed_questions(count=60, topics=3)
    chosen = Topic.objects.get(slug="scale-1")
    Question.objects.filter(topic=chosen).exclude(pk__in=Question.objects.filter(topic=chosen)[:4]).update(
        is_published=False
    )
    interview = interview_start(user=user, choice=InterviewSettings(10, [chosen], 180, None))
    drawn = list(interview.questions.select_related("question"))
    assert len(drawn) == 4  # only four are published there
    assert {item.question.topic_id for item in drawn} == {chosen.pk}
    assert all(item.question.is_published for item in drawn)


def test_the_draw_is_random(user, db):
    seed_questions(count=30, topics=1)
    seen = Counter()
    for _ in range(10):
        interview = interview_start(user=user, choice=InterviewSettings(3, [], 180, None))
        seen.update(interview.questions.values_list("question_id", flat=True))
        interview_abandon(interview=interview)
    assert len(seen) > 10  # 30 draws from 30 questions: the same few every time would mean no sampling


@pytest.mark.parametrize(("published", "starts"), [(2, False), (3, True)])
def test_the_draw_refuses_a_pool_below_the_minimum(user, db, published, starts):
    seed_questions(count=10, topics=1)
    topic = Topic.objects.get()
    Question.objects.exclude(pk__in=Question.objects.filter(topic=topic)[:published]).update(is_published=False)
    choice = InterviewSettings(5, [topic], 180, None)
    if starts:
        assert interview_start(user=user, choice=choice).questions.count() == 3
    else:
        with pytest.raises(InterviewError, match="only 2 published questions"):
            interview_start(user=user, choice=choice)
        assert not Interview.objects.exists()


def test_a_questions_weight_is_its_topics_weakness_for_this_candidate_alone(user, other_user, db):
    scores = {"perfect": [1.0], "zero": [0.0], "mixed": [0.25, 0.5], "untried": []}
    for slug, topic_scores in scores.items():
        question = QuestionFactory(topic=TopicFactory(slug=slug))
        for score in topic_scores:
            Attempt.objects.create(
                user=user, question=question, version=question.current_version, answer="a", score=score
            )
        # Another candidate's attempts, and my unscored one, weigh nothing.
        Attempt.objects.create(
            user=other_user, question=question, version=question.current_version, answer="a", score=0.0
        )
        Attempt.objects.create(user=user, question=question, version=question.current_version, answer="", score=None)
    weights = dict(Question.objects.annotate(weight=weakness_weight(user)).values_list("topic__slug", "weight"))
    assert weights == {"perfect": 1.0, "zero": 4.0, "mixed": 2.875, "untried": 2.5}
