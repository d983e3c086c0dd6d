"""Starting an interview: which questions are drawn, in which order, on which clock."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from interviews import services
from interviews.models import Interview, InterviewQuestion
from interviews.services import MIN_QUESTIONS, InterviewError, InterviewSettings, interview_start
from questions.models import Question
from questions.tests.factories import QuestionFactory, TopicFactory

T0 = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
Status = InterviewQuestion.Status


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def choice(count=3, topics=(), *, per_question=60, total=None, weak=False) -> InterviewSettings:
    return InterviewSettings(count, list(topics), None if total else per_question, total, favour_weak_topics=weak)


def test_chosen_topics_limit_the_draw_and_are_remembered(user, db):
    chosen, other = TopicFactory(slug="chosen"), TopicFactory(slug="other")
    QuestionFactory.create_batch(3, topic=chosen)
    QuestionFactory.create_batch(5, topic=other)
    interview = interview_start(user=user, choice=choice(3, [chosen]), now=T0)
    assert set(interview.questions.values_list("question__topic__slug", flat=True)) == {"chosen"}
    assert list(interview.topics.values_list("slug", flat=True)) == ["chosen"]


def test_no_chosen_topic_means_every_topic(user, db):
    one, two = TopicFactory(slug="one"), TopicFactory(slug="two")
    QuestionFactory.create_batch(2, topic=one)
    QuestionFactory(topic=two)
    interview = interview_start(user=user, choice=choice(3), now=T0)
    assert sorted(interview.questions.values_list("question__topic__slug", flat=True)) == ["one", "one", "two"]
    assert not interview.topics.exists()


def test_a_topic_without_published_questions_is_refused(user, db):
    empty, full = TopicFactory(slug="empty"), TopicFactory(slug="full")
    QuestionFactory(topic=empty, is_published=False)
    QuestionFactory(topic=full)
    with pytest.raises(InterviewError) as refused:
        interview_start(user=user, choice=choice(3, [empty]), now=T0)
    assert str(refused.value) == (
        "These topics have only 0 published questions, and an interview asks at least 3: choose more topics."
    )
    assert not Interview.objects.exists()


def test_min_questions_published_are_enough_and_one_fewer_is_refused(user, db):
    topic = TopicFactory(slug="t")
    QuestionFactory.create_batch(MIN_QUESTIONS - 1, topic=topic)
    with pytest.raises(InterviewError) as refused:
        interview_start(user=user, choice=choice(MIN_QUESTIONS), now=T0)
    assert str(refused.value).startswith(f"These topics have only {MIN_QUESTIONS - 1} published questions")
    assert not Interview.objects.exists()
    QuestionFactory(topic=topic)
    interview = interview_start(user=user, choice=choice(MIN_QUESTIONS), now=T0)
    assert interview.questions.count() == MIN_QUESTIONS


def test_questions_without_a_version_are_never_drawn(user, db):
    topic = TopicFactory(slug="t")
    kept = QuestionFactory.create_batch(3, topic=topic)
    Question.objects.create(topic=topic, prompt="没有版本的问题")
    interview = interview_start(user=user, choice=choice(4), now=T0)
    assert set(interview.questions.values_list("question", flat=True)) == {q.pk for q in kept}


def test_the_draw_is_as_long_as_asked_or_as_the_pool(user, db):
    topic = TopicFactory(slug="t")
    QuestionFactory.create_batch(5, topic=topic)
    interview = interview_start(user=user, choice=choice(3), now=T0)
    items = list(interview.questions.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3]
    assert all(i.version_id == i.question.current_version_id for i in items)
    assert [i.status for i in items] == [Status.OPEN, Status.PENDING, Status.PENDING]
    assert (items[0].opened_at, items[0].deadline) == (T0, T0 + timedelta(seconds=60))
    assert (interview.started_at, interview.deadline) == (T0, T0 + timedelta(seconds=180))


def test_a_pool_smaller_than_asked_gives_every_question_and_the_clock_for_them(user, db):
    topic = TopicFactory(slug="t")
    QuestionFactory.create_batch(3, topic=topic)
    interview = interview_start(user=user, choice=choice(5, per_question=90), now=T0)
    assert interview.questions.count() == 3
    assert interview.deadline == T0 + timedelta(seconds=270)
    assert (interview.seconds_per_question, interview.total_seconds) == (90, None)


def test_one_total_limit_sets_the_deadline_whatever_the_count(user, db):
    QuestionFactory.create_batch(4, topic=TopicFactory(slug="t"))
    interview = interview_start(user=user, choice=choice(4, total=600), now=T0)
    assert (interview.seconds_per_question, interview.total_seconds) == (None, 600)
    assert interview.deadline == T0 + timedelta(seconds=600)
    assert interview.questions.get(position=1).deadline == T0 + timedelta(seconds=600)


def test_a_running_interview_is_resumed_not_restarted(user, db):
    QuestionFactory.create_batch(4, topic=TopicFactory(slug="t"))
    first = interview_start(user=user, choice=choice(3), now=T0)
    again = interview_start(user=user, choice=choice(4, total=600), now=T0 + timedelta(seconds=30))
    assert again.pk == first.pk and Interview.objects.count() == 1


def test_another_candidates_running_interview_does_not_stop_mine(user, other_user, db):
    QuestionFactory.create_batch(3, topic=TopicFactory(slug="t"))
    theirs = interview_start(user=other_user, choice=choice(3), now=T0)
    mine = interview_start(user=user, choice=choice(3), now=T0)
    assert mine.pk != theirs.pk and mine.user == user and mine.is_in_progress


def test_an_expired_running_interview_is_closed_and_a_new_one_starts(user, db):
    QuestionFactory.create_batch(3, topic=TopicFactory(slug="t"))
    first = interview_start(user=user, choice=choice(3), now=T0)
    later = T0 + timedelta(hours=1)
    second = interview_start(user=user, choice=choice(3), now=later)
    first.refresh_from_db()
    assert (first.status, first.finished_at) == (Interview.Status.FINISHED, T0 + timedelta(seconds=180))
    assert second.pk != first.pk and second.started_at == later


def test_favouring_weak_topics_keeps_to_the_chosen_topics_and_the_count(user, db):
    chosen, other = TopicFactory(slug="chosen"), TopicFactory(slug="other")
    QuestionFactory.create_batch(4, topic=chosen)
    QuestionFactory.create_batch(4, topic=other)
    interview = interview_start(user=user, choice=choice(3, [chosen], weak=True), now=T0)
    assert list(interview.questions.values_list("question__topic__slug", flat=True)) == ["chosen"] * 3
    assert interview.favour_weak_topics


def test_a_start_that_loses_the_race_to_another_tab_returns_that_tabs_interview(user, other_user, db, monkeypatch):
    QuestionFactory.create_batch(3, topic=TopicFactory(slug="t"))
    interview_start(user=other_user, choice=choice(3), now=T0)  # another candidate's running interview
    draw, winner = services._draw, []

    def other_tab_starts_meanwhile(user, choice):
        # After this start found no running interview, before it creates its own.
        winner.append(
            Interview.objects.create(
                user=user, seconds_per_question=60, started_at=T0, deadline=T0 + timedelta(minutes=3)
            )
        )
        return draw(user, choice)

    monkeypatch.setattr(services, "_draw", other_tab_starts_meanwhile)
    interview = interview_start(user=user, choice=choice(3), now=T0)
    assert interview.pk == winner[0].pk
    assert Interview.objects.filter(user=user).count() == 1
