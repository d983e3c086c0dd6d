"""The interview services called directly: the sweep, the summary, weak topics."""

import io
from collections import Counter

from django.core.management import call_command

from interviews.models import Interview
from interviews.services import InterviewSettings, interview_abandon, interview_start, interview_summary
from interviews.tests.conftest import submit_all
from practice.models import Attempt
from practice.services import attempt_record
from questions.tests.factories import QuestionFactory, TopicFactory


def test_an_abandoned_interview_closes_itself_at_its_deadline(user_client, user, bank, clock, start, hx):
    interview = start()
    clock.shift(20)
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "混合精度训练"}, **hx)
    clock.shift(3 * 60)
    out = io.StringIO()
    call_command("close_expired_interviews", stdout=out)
    assert "closed 1 expired interview" in out.getvalue()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINISHED
    statuses = list(interview.questions.values_list("status", "timed_out"))
    assert statuses == [("answered", True), ("unanswered", False), ("unanswered", False)]
    assert Attempt.objects.get(user=user).answer == "混合精度训练"


def test_an_interview_left_between_questions_closes_when_their_time_would_have_run_out(
    user_client, bank, clock, start
):
    interview = start()
    clock.shift(10)
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算"})
    clock.shift(2 * 60)  # two questions of a minute left: due at 10 s + 2 min
    call_command("close_expired_interviews", stdout=io.StringIO())
    interview.refresh_from_db()
    assert interview.is_in_progress
    clock.shift(6)
    call_command("close_expired_interviews", stdout=io.StringIO())
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINISHED


def test_starting_after_an_expired_interview_starts_a_new_one(user_client, bank, clock, start):
    first = start()
    clock.shift(3 * 60 + 10)
    second = start()
    assert second != first
    first.refresh_from_db()
    assert first.status == Interview.Status.FINISHED and second.is_in_progress


def test_the_summary_counts_unanswered_questions_against_their_topic(user_client, user, clock, start):
    strong, weak = TopicFactory(slug="strong", order=1), TopicFactory(slug="weak", order=2)
    QuestionFactory.create_batch(2, topic=strong)
    QuestionFactory.create_batch(2, topic=weak)
    interview = start(count=4)
    answers = ["并行计算，混合精度训练" if item.question.topic == strong else "" for item in interview.questions.all()]
    submit_all(user_client, interview, answers)
    summary = interview_summary(interview=interview)
    assert (summary.overall, summary.answered_count, summary.total_count) == (1.0, 2, 4)
    assert summary.weakest == weak


def test_the_weakest_topic_counts_an_unanswered_question_as_nothing_and_ties_go_by_topic_order(
    user_client, user, clock, start
):
    # Created first, so a tie broken by id would pick it; its order puts it after the other.
    half = TopicFactory(slug="half", order=2)
    level = TopicFactory(slug="level", order=1)
    QuestionFactory.create_batch(2, topic=half)
    QuestionFactory.create_batch(2, topic=level)
    interview = start(count=4)
    seen_half = []
    answers = []
    for item in interview.questions.order_by("position").select_related("question"):
        if item.question.topic == half:
            answers.append("" if seen_half else "并行计算")  # 0.5, then nothing: 0.25 on average
            seen_half.append(item)
        else:
            answers.append("并行计算")  # 0.5 and 0.5
    submit_all(user_client, interview, answers)
    assert interview_summary(interview=interview).weakest == half  # 0.25 < 0.5, not 0.5 = 0.5
    # Both topics equally weak: the one listed first wins
    tied = start(count=4)
    submit_all(user_client, tied, [""] * 4)
    assert interview_summary(interview=tied).weakest == level


def test_the_summary_of_an_interview_with_no_answer(user_client, bank, clock, start):
    interview = start()
    user_client.post(f"/interviews/{interview.pk}/end/")
    summary = interview_summary(interview=interview)
    assert (summary.overall, summary.answered_count, summary.total_count) == (None, 0, 3)


def test_favouring_weak_topics_draws_mostly_from_them(user, db):
    # The strong topic's questions come first: a draw that ignored the weights would take them in table order.
    strong, weak = TopicFactory(slug="strong"), TopicFactory(slug="weak")
    strong_questions = QuestionFactory.create_batch(10, topic=strong)
    weak_questions = QuestionFactory.create_batch(10, topic=weak)
    attempt_record(user=user, question=weak_questions[0], answer="不知道")  # coverage 0
    attempt_record(user=user, question=strong_questions[0], answer="并行计算，混合精度训练")  # coverage 1
    drawn = Counter()
    # Sampled by the database's random(): 40 interviews make a failure by chance about 1 in 20,000.
    for _ in range(40):
        choice = InterviewSettings(5, [], 180, None, favour_weak_topics=True)
        interview = interview_start(user=user, choice=choice)
        drawn.update(interview.questions.values_list("question__topic__slug", flat=True))
        interview_abandon(interview=interview)
    assert drawn["weak"] > 2 * drawn["strong"]
