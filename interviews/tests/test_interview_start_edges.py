"""Starting an interview: which questions are drawn, in which order, on which clock."""

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from interviews.models import Interview, InterviewQuestion
from interviews.services import InterviewError, InterviewSettings, interview_start
from practice.services import attempt_record
from questions.models import Question
from questions.tests.factories import QuestionFactory, TopicFactory

T0 = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
Status = InterviewQuestion.Status


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


class Draws(random.Random):
    """A seeded generator whose random() first returns the given values, in turn."""

    def __init__(self, values=()):
        super().__init__(7)
        self.values = list(values)

    def random(self):
        return self.values.pop(0) if self.values else super().random()


def choice(count=3, topics=(), *, per_question=60, total=None, weak=False) -> InterviewSettings:
    return InterviewSettings(count, list(topics), None if total else per_question, total, favour_weak_topics=weak)


def test_chosen_topics_limit_the_draw_and_are_remembered(user, db):
    chosen, other = TopicFactory(slug="chosen"), TopicFactory(slug="other")
    QuestionFactory.create_batch(3, topic=chosen)
    QuestionFactory.create_batch(5, topic=other)
    interview = interview_start(user=user, choice=choice(3, [chosen]), now=T0, rng=Draws())
    assert set(interview.questions.values_list("question__topic__slug", flat=True)) == {"chosen"}
    assert list(interview.topics.values_list("slug", flat=True)) == ["chosen"]


def test_no_chosen_topic_means_every_topic(user, db):
    one, two = TopicFactory(slug="one"), TopicFactory(slug="two")
    QuestionFactory(topic=one)
    QuestionFactory(topic=two)
    interview = interview_start(user=user, choice=choice(3), now=T0, rng=Draws())
    assert sorted(interview.questions.values_list("question__topic__slug", flat=True)) == ["one", "two"]
    assert not interview.topics.exists()


def test_a_topic_without_published_questions_is_refused(user, db):
    empty, full = TopicFactory(slug="empty"), TopicFactory(slug="full")
    QuestionFactory(topic=empty, is_published=False)
    QuestionFactory(topic=full)
    with pytest.raises(InterviewError) as refused:
        interview_start(user=user, choice=choice(3, [empty]), now=T0, rng=Draws())
    assert str(refused.value) == "There are no published questions in the topics you chose."
    assert not Interview.objects.exists()


def test_questions_without_a_version_are_never_drawn(user, db):
    topic = TopicFactory(slug="t")
    kept = QuestionFactory(topic=topic)
    Question.objects.create(topic=topic, prompt="没有版本的问题")
    interview = interview_start(user=user, choice=choice(3), now=T0, rng=Draws())
    assert list(interview.questions.values_list("question", flat=True)) == [kept.pk]


def test_the_draw_is_as_long_as_asked_or_as_the_pool(user, db):
    topic = TopicFactory(slug="t")
    QuestionFactory.create_batch(5, topic=topic)
    interview = interview_start(user=user, choice=choice(3), now=T0, rng=Draws())
    items = list(interview.questions.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3]
    assert all(i.version_id == i.question.current_version_id for i in items)
    assert [i.status for i in items] == [Status.OPEN, Status.PENDING, Status.PENDING]
    assert (items[0].opened_at, items[0].deadline) == (T0, T0 + timedelta(seconds=60))
    assert (interview.started_at, interview.deadline) == (T0, T0 + timedelta(seconds=180))


def test_a_pool_smaller_than_asked_gives_every_question_and_the_clock_for_them(user, db):
    topic = TopicFactory(slug="t")
    QuestionFactory.create_batch(2, topic=topic)
    interview = interview_start(user=user, choice=choice(5, per_question=90), now=T0, rng=Draws())
    assert interview.questions.count() == 2
    assert interview.deadline == T0 + timedelta(seconds=180)
    assert (interview.seconds_per_question, interview.total_seconds) == (90, None)


def test_one_total_limit_sets_the_deadline_whatever_the_count(user, db):
    QuestionFactory.create_batch(4, topic=TopicFactory(slug="t"))
    interview = interview_start(user=user, choice=choice(4, total=600), now=T0, rng=Draws())
    assert (interview.seconds_per_question, interview.total_seconds) == (None, 600)
    assert interview.deadline == T0 + timedelta(seconds=600)
    assert interview.questions.get(position=1).deadline == T0 + timedelta(seconds=600)


def test_a_running_interview_is_resumed_not_restarted(user, db):
    QuestionFactory.create_batch(4, topic=TopicFactory(slug="t"))
    first = interview_start(user=user, choice=choice(3), now=T0, rng=Draws())
    again = interview_start(user=user, choice=choice(4, total=600), now=T0 + timedelta(seconds=30), rng=Draws())
    assert again.pk == first.pk and Interview.objects.count() == 1


def test_another_candidates_running_interview_does_not_stop_mine(user, other_user, db):
    QuestionFactory.create_batch(3, topic=TopicFactory(slug="t"))
    theirs = interview_start(user=other_user, choice=choice(3), now=T0, rng=Draws())
    mine = interview_start(user=user, choice=choice(3), now=T0, rng=Draws())
    assert mine.pk != theirs.pk and mine.user == user and mine.is_in_progress


def test_an_expired_running_interview_is_closed_and_a_new_one_starts(user, db):
    QuestionFactory.create_batch(3, topic=TopicFactory(slug="t"))
    first = interview_start(user=user, choice=choice(3), now=T0, rng=Draws())
    later = T0 + timedelta(hours=1)
    second = interview_start(user=user, choice=choice(3), now=later, rng=Draws())
    first.refresh_from_db()
    assert (first.status, first.finished_at) == (Interview.Status.FINISHED, T0 + timedelta(seconds=180))
    assert second.pk != first.pk and second.started_at == later


def _weights_fixture(user, other_user):
    """Topic "weak" (average coverage 0), "strong" (1.0) and "unseen" (never answered by this candidate)."""
    weak, strong, unseen = TopicFactory(slug="weak"), TopicFactory(slug="strong"), TopicFactory(slug="unseen")
    questions = {
        "weak-1": QuestionFactory(topic=weak),
        "strong": QuestionFactory(topic=strong),
        "unseen": QuestionFactory(topic=unseen),
        "weak-2": QuestionFactory(topic=weak),
    }
    attempt_record(user=user, question=questions["weak-1"], answer="不知道", now=T0 - timedelta(days=1))
    attempt_record(user=user, question=questions["strong"], answer="并行计算，混合精度训练", now=T0 - timedelta(days=1))
    # Another candidate's opposite history must not count.
    attempt_record(user=other_user, question=questions["weak-1"], answer="并行计算，混合精度训练")
    attempt_record(user=other_user, question=questions["unseen"], answer="不知道")
    return questions


def test_favouring_weak_topics_orders_by_weighted_draws(user, other_user, db):
    """Each question draws r and is ranked by r ** (1 / weight), weight = 1 + 3 × (1 − topic average).

    Weights: weak 4, unseen 2.5 (an unseen topic counts as average 0.5), strong 1. The draws are
    chosen so that the order changes if any weight changes: with r = e^−x the key is e^(−x / weight).
    """
    questions = _weights_fixture(user, other_user)
    pool_order = list(Question.objects.published().exclude(current_version=None).values_list("pk", flat=True))
    minus_x = {"weak-1": 3.0, "strong": 1.0, "unseen": 2.0, "weak-2": 4.5}
    by_pk = {q.pk: name for name, q in questions.items()}
    draws = Draws([math.exp(-minus_x[by_pk[pk]]) for pk in pool_order])
    interview = interview_start(user=user, choice=choice(4, weak=True), now=T0, rng=draws)
    drawn = [by_pk[pk] for pk in interview.questions.order_by("position").values_list("question", flat=True)]
    # keys: weak-1 e^−0.75, unseen e^−0.8, strong e^−1, weak-2 e^−1.125
    assert drawn == ["weak-1", "unseen", "strong", "weak-2"]
    assert interview.favour_weak_topics


def test_favouring_weak_topics_keeps_only_the_count_asked(user, other_user, db):
    questions = _weights_fixture(user, other_user)
    by_pk = {q.pk: name for name, q in questions.items()}
    interview = interview_start(user=user, choice=choice(3, weak=True), now=T0, rng=Draws([0.5] * 4))
    # Equal draws: the weights alone decide (weak 4, unseen 2.5, strong 1).
    drawn = [by_pk[pk] for pk in interview.questions.order_by("position").values_list("question", flat=True)]
    assert drawn == ["weak-1", "weak-2", "unseen"]
