"""The interview clock at its limits: exactly at each deadline and one tick past it.

With a limit per question, the next question opens when the server serves it (`interview_serve`),
and the interview's deadline moves to "then plus the limits of the questions left"; with one limit
in all, each question opens as the last closes.

Every call passes `now` explicitly, at a time far from the real clock, so a service that
ignored it would be caught.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation

from interviews.models import Interview, InterviewQuestion
from interviews.services import (
    InterviewError,
    InterviewSettings,
    TooLate,
    answer_autosave,
    answer_submit,
    interview_serve,
    interview_start,
    interview_sync,
)
from practice.models import Attempt
from questions.tests.factories import QuestionFactory, TopicFactory

T0 = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)
Status = InterviewQuestion.Status


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def grace() -> timedelta:
    return timedelta(seconds=settings.INTERVIEW_GRACE_SECONDS)


@pytest.fixture
def bank(db):
    return QuestionFactory.create_batch(3, topic=TopicFactory(slug="training"))


def started(user, *, per_question=60, total=None) -> Interview:
    choice = InterviewSettings(3, [], None if total else per_question, total)
    return interview_start(user=user, choice=choice, now=T0)


def item(interview, position) -> InterviewQuestion:
    return interview.questions.get(position=position)


def test_the_grace_holds_the_question_open_exactly_at_its_end(user, bank):
    interview = started(user)
    interview_sync(interview=interview, now=T0 + timedelta(seconds=60) + grace())
    first = item(interview, 1)
    assert (first.status, first.timed_out) == (Status.OPEN, False)


def test_one_tick_past_the_grace_the_question_closes_at_its_deadline(user, bank):
    interview = started(user)
    deadline = T0 + timedelta(seconds=60)
    later = deadline + grace() + TICK
    interview = interview_sync(interview=interview, now=later)
    first, second = item(interview, 1), item(interview, 2)
    assert (first.status, first.timed_out, first.closed_at) == (Status.UNANSWERED, True, deadline)
    # Nobody was there: the next question waits, and the interview ends when the two left would have.
    assert (second.status, second.opened_at) == (Status.PENDING, None)
    assert interview.deadline == deadline + timedelta(seconds=120)
    interview_serve(interview=interview, now=later)
    second = item(interview, 2)
    assert (second.status, second.opened_at, second.deadline) == (Status.OPEN, later, later + timedelta(seconds=60))


def test_a_submission_exactly_at_the_end_of_the_grace_is_accepted(user, bank):
    interview = started(user)
    deadline = T0 + timedelta(seconds=60)
    answer_submit(interview=interview, position=1, text="并行计算", now=deadline + grace())
    first = item(interview, 1)
    # Accepted, and labelled as closed by the clock: it arrived after the deadline.
    assert (first.status, first.timed_out) == (Status.ANSWERED, True)
    # Closed at the deadline, not later: the grace is for the network, not extra thinking time.
    assert first.closed_at == deadline and first.attempt.answer == "并行计算"
    assert first.attempt.seconds_taken == 60


def test_a_submission_one_tick_past_the_grace_is_refused_and_keeps_the_draft(user, bank):
    interview = started(user)
    answer_autosave(user=user, interview_id=interview.pk, position=1, text="草稿", now=T0 + timedelta(seconds=30))
    deadline = T0 + timedelta(seconds=60)
    with pytest.raises(TooLate) as refused:
        answer_submit(interview=interview, position=1, text="太晚了", now=deadline + grace() + TICK)
    at = timezone.localtime(deadline).strftime("%H:%M:%S")
    assert str(refused.value) == (
        f"Time was up at {at}, so this answer was not accepted. Your last saved draft was kept as your answer."
    )
    # The refusal rolls its transaction back; the next access closes the question with the draft.
    assert item(interview, 1).status == Status.OPEN
    interview_sync(interview=interview, now=deadline + grace() + TICK)
    first = item(interview, 1)
    assert (first.status, first.timed_out, first.draft) == (Status.ANSWERED, True, "草稿")
    assert first.attempt.answer == "草稿" and first.attempt.created_at == deadline


@pytest.mark.parametrize("offset, timed_out", [(-TICK, False), (timedelta(0), True)])
def test_a_submission_at_the_deadline_is_labelled_as_the_clocks(user, bank, offset, timed_out):
    interview = started(user)
    deadline = T0 + timedelta(seconds=60)
    answer_submit(interview=interview, position=1, text="并行计算", now=deadline + offset)
    first = item(interview, 1)
    assert (first.status, first.timed_out, first.closed_at) == (Status.ANSWERED, timed_out, deadline + offset)


def test_an_autosave_in_time_is_one_statement(user, bank, django_assert_num_queries):
    interview = started(user)
    at = T0 + timedelta(seconds=59)
    with django_assert_num_queries(1):
        saved = answer_autosave(user=user, interview_id=interview.pk, position=1, text="草稿", now=at)
    assert saved == at
    first = item(interview, 1)
    assert (first.draft, first.draft_saved_at) == ("草稿", at)


def test_an_autosave_exactly_at_the_end_of_the_grace_is_saved(user, bank):
    interview = started(user)
    at = T0 + timedelta(seconds=60) + grace()
    saved = answer_autosave(user=user, interview_id=interview.pk, position=1, text="草稿", now=at)
    assert saved == at
    first = item(interview, 1)
    assert (first.draft, first.draft_saved_at, first.status) == ("草稿", at, Status.OPEN)


def test_an_autosave_one_tick_past_the_grace_is_refused(user, bank):
    interview = started(user)
    answer_autosave(user=user, interview_id=interview.pk, position=1, text="草稿", now=T0)
    with pytest.raises(TooLate):
        answer_autosave(
            user=user,
            interview_id=interview.pk,
            position=1,
            text="迟到",
            now=T0 + timedelta(seconds=60) + grace() + TICK,
        )
    first = item(interview, 1)
    assert (first.draft, first.draft_saved_at) == ("草稿", T0)


def test_an_autosave_to_another_candidates_interview_is_not_found(user, other_user, bank):
    interview = started(user)
    with pytest.raises(Interview.DoesNotExist):
        answer_autosave(user=other_user, interview_id=interview.pk, position=1, text="hijack", now=T0)
    assert item(interview, 1).draft == ""


def test_an_autosave_to_a_question_not_yet_open_is_refused(user, bank):
    interview = started(user)
    with pytest.raises(InterviewError) as refused:
        answer_autosave(user=user, interview_id=interview.pk, position=2, text="先写", now=T0)
    assert str(refused.value) == "This question is not open yet."
    assert item(interview, 2).draft == ""


def test_an_autosave_to_a_submitted_question_is_refused(user, bank):
    interview = started(user)
    answer_submit(interview=interview, position=1, text="并行计算", now=T0 + timedelta(seconds=5))
    with pytest.raises(InterviewError) as refused:
        answer_autosave(user=user, interview_id=interview.pk, position=1, text="改", now=T0 + timedelta(seconds=6))
    assert not isinstance(refused.value, TooLate)
    assert str(refused.value) == "This question is already closed."
    assert item(interview, 1).draft == "并行计算"


def test_a_position_the_interview_does_not_have_is_refused(user, bank):
    interview = started(user)
    with pytest.raises(InterviewError) as refused:
        answer_submit(interview=interview, position=9, text="x", now=T0)
    assert str(refused.value) == "This interview has no question 9."


def test_a_second_submit_of_the_same_answer_is_ignored_not_refused(user, bank):
    interview = started(user)
    answer_submit(interview=interview, position=1, text="并行计算", now=T0 + timedelta(seconds=10))
    # No exception for the same text: the retry is a no-op.
    again = answer_submit(interview=interview, position=1, text="并行计算", now=T0 + timedelta(seconds=12))
    again = answer_submit(interview=interview, position=1, text=None, now=T0 + timedelta(seconds=12))
    # Another text is no retry: refused, and nothing it carries is kept.
    with pytest.raises(InterviewError) as refused:
        answer_submit(interview=interview, position=1, text="别的回答", now=T0 + timedelta(seconds=12))
    assert not isinstance(refused.value, TooLate) and str(refused.value) == "This question is already closed."
    assert again.pk == interview.pk and again.is_in_progress
    assert again.deadline == T0 + timedelta(seconds=10 + 120)  # not moved again by the retry
    first, second = item(interview, 1), item(interview, 2)
    assert (first.draft, first.closed_at) == ("并行计算", T0 + timedelta(seconds=10))
    assert (second.status, second.opened_at) == (Status.PENDING, None)
    assert Attempt.objects.filter(user=user).count() == 1


def test_a_second_submit_of_a_blank_answer_is_ignored_too(user, bank):
    interview = started(user)
    answer_submit(interview=interview, position=1, text="  ", now=T0 + timedelta(seconds=10))
    answer_submit(interview=interview, position=1, text="  ", now=T0 + timedelta(seconds=11))
    with pytest.raises(InterviewError):
        answer_submit(interview=interview, position=1, text="后来补上", now=T0 + timedelta(seconds=11))
    first = item(interview, 1)
    assert (first.status, first.attempt, first.draft) == (Status.UNANSWERED, None, "  ")
    assert item(interview, 2).status == Status.PENDING


def test_a_submit_after_the_clock_closed_the_question_is_refused_not_ignored(user, bank):
    interview = started(user)
    interview_sync(interview=interview, now=T0 + timedelta(seconds=60) + grace() + TICK)
    with pytest.raises(TooLate):
        answer_submit(interview=interview, position=1, text="x", now=T0 + timedelta(seconds=66))


def test_a_submit_of_a_question_not_yet_open_is_refused(user, bank):
    interview = started(user)
    with pytest.raises(InterviewError) as refused:
        answer_submit(interview=interview, position=2, text="跳过", now=T0)
    assert str(refused.value) == "This question is not open yet."
    assert item(interview, 2).status == Status.PENDING


def test_the_view_says_nothing_for_an_ignored_retry(user, user_client, bank):
    interview = started(user)
    url = f"/interviews/{interview.pk}/questions/1/next/"
    answer_submit(interview=interview, position=1, text="并行计算", now=T0 + timedelta(seconds=10))
    with time_machine.travel(T0 + timedelta(seconds=11), tick=False):
        retry = user_client.post(url, {"answer": "并行计算"}, follow=True)
        assert list(retry.context["messages"]) == []


def test_a_submit_exactly_at_the_interview_deadline_finishes_it(user, bank):
    interview = started(user, total=120)
    deadline = T0 + timedelta(seconds=120)
    answer_submit(interview=interview, position=1, text="并行计算", now=deadline)
    interview.refresh_from_db()
    assert (interview.status, interview.finished_at) == (Interview.Status.FINISHED, deadline)
    assert list(interview.questions.values_list("status", flat=True)) == [
        Status.ANSWERED,
        Status.UNANSWERED,
        Status.UNANSWERED,
    ]


def test_a_submit_one_tick_before_the_interview_deadline_opens_the_next_question(user, bank):
    interview = started(user, total=120)
    deadline = T0 + timedelta(seconds=120)
    answer_submit(interview=interview, position=1, text="并行计算", now=deadline - TICK)
    interview.refresh_from_db()
    assert interview.is_in_progress and interview.finished_at is None
    second = item(interview, 2)
    assert (second.status, second.opened_at, second.deadline) == (Status.OPEN, deadline - TICK, deadline)


def test_a_submit_within_the_grace_after_the_interview_deadline_finishes_it(user, bank):
    interview = started(user, total=120)
    deadline = T0 + timedelta(seconds=120)
    answer_submit(interview=interview, position=1, text="并行计算", now=deadline + grace())
    interview.refresh_from_db()
    # Finished at the deadline: the grace is for the network, not the record.
    assert (interview.status, interview.finished_at) == (Interview.Status.FINISHED, deadline)
    assert item(interview, 1).closed_at == deadline


def test_a_question_served_late_gets_its_whole_limit_and_moves_the_interview_deadline(user, bank):
    interview = started(user, per_question=60)  # deadline T0 + 180 s
    interview = answer_submit(interview=interview, position=1, text="a", now=T0 + timedelta(seconds=30))
    assert interview.deadline == T0 + timedelta(seconds=150)  # two questions left from 30 s
    served = T0 + timedelta(seconds=140)
    interview = interview_serve(interview=interview, now=served)
    second = item(interview, 2)
    assert (second.status, second.opened_at, second.deadline) == (Status.OPEN, served, served + timedelta(seconds=60))
    assert interview.deadline == served + timedelta(seconds=120)
    # Serving again opens nothing more and moves nothing.
    interview = interview_serve(interview=interview, now=served + timedelta(seconds=5))
    assert (item(interview, 3).status, interview.deadline) == (Status.PENDING, served + timedelta(seconds=120))


@pytest.mark.parametrize("offset, running", [(timedelta(0), True), (TICK, False)])
def test_between_questions_the_interview_ends_one_tick_past_its_deadline_and_grace(user, bank, offset, running):
    interview = started(user, per_question=60)
    interview = answer_submit(interview=interview, position=1, text="a", now=T0 + timedelta(seconds=30))
    deadline = T0 + timedelta(seconds=150)
    interview = interview_serve(interview=interview, now=deadline + grace() + offset)
    assert interview.is_in_progress is running
    if running:
        assert item(interview, 2).status == Status.OPEN
    else:
        assert (interview.status, interview.finished_at) == (Interview.Status.FINISHED, deadline)
        assert list(interview.questions.values_list("status", flat=True)) == [
            Status.ANSWERED,
            Status.UNANSWERED,
            Status.UNANSWERED,
        ]


def test_with_one_total_limit_every_question_shares_the_interview_deadline(user, bank):
    interview = started(user, total=300)
    assert interview.deadline == T0 + timedelta(seconds=300)
    first = item(interview, 1)
    assert (first.status, first.opened_at, first.deadline) == (Status.OPEN, T0, T0 + timedelta(seconds=300))
    answer_submit(interview=interview, position=1, text="a", now=T0 + timedelta(seconds=10))
    assert item(interview, 2).deadline == T0 + timedelta(seconds=300)


def test_the_clock_closes_the_open_question_and_ends_the_interview_while_nobody_is_there(user, bank):
    interview = started(user, per_question=60)
    answer_autosave(
        user=user, interview_id=interview.pk, position=1, text="混合精度训练", now=T0 + timedelta(seconds=5)
    )
    interview = interview_sync(interview=interview, now=T0 + timedelta(hours=1))
    # The open question closes with its draft at its deadline; the two never served end with the interview.
    assert (interview.status, interview.finished_at) == (Interview.Status.FINISHED, T0 + timedelta(seconds=180))
    rows = list(interview.questions.values_list("status", "timed_out", "closed_at"))
    assert rows == [
        (Status.ANSWERED, True, T0 + timedelta(seconds=60)),
        (Status.UNANSWERED, False, None),
        (Status.UNANSWERED, False, None),
    ]
    attempt = Attempt.objects.get(user=user)
    assert (attempt.answer, attempt.created_at, attempt.seconds_taken) == (
        "混合精度训练",
        T0 + timedelta(seconds=60),
        60,
    )
