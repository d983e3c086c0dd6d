"""Ending an interview: by the last answer, by abandoning it, by the sweep; and what it leaves behind."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.models import Interview, InterviewQuestion
from interviews.reference import may_see_reference, reference_withheld
from interviews.services import (
    InterviewSettings,
    answer_autosave,
    answer_submit,
    close_expired_interviews,
    interview_abandon,
    interview_assess,
    interview_serve,
    interview_start,
    interviews_export,
)
from practice.models import Attempt, Mode
from questions.tests.factories import QuestionFactory, TopicFactory

T0 = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
Status = InterviewQuestion.Status


@pytest.fixture
def bank(db):
    return QuestionFactory.create_batch(3, topic=TopicFactory(slug="training"))


def started(user, count=3) -> Interview:
    return interview_start(user=user, choice=InterviewSettings(count, [], 60, None), now=T0)


def rows(interview):
    return list(interview.questions.order_by("position").values_list("status", "timed_out", "closed_at"))


def test_the_last_answer_finishes_the_interview_at_that_moment(user, bank):
    interview = started(user)
    for position, second in ((1, 10), (2, 20), (3, 30)):
        # The browser asks for the next question at once: it is served (opened) at the moment of the answer.
        interview_serve(interview=interview, now=T0 + timedelta(seconds=second - 10))
        answer_submit(interview=interview, position=position, text="并行计算", now=T0 + timedelta(seconds=second))
    interview.refresh_from_db()
    assert (interview.status, interview.finished_at) == (Interview.Status.FINISHED, T0 + timedelta(seconds=30))
    attempts = Attempt.objects.filter(user=user).order_by("created_at")
    assert [(a.mode, a.seconds_taken, a.created_at) for a in attempts] == [
        (Mode.INTERVIEW, 10, T0 + timedelta(seconds=10)),
        (Mode.INTERVIEW, 10, T0 + timedelta(seconds=20)),
        (Mode.INTERVIEW, 10, T0 + timedelta(seconds=30)),
    ]
    assert [a.score for a in attempts] == [0.5, 0.5, 0.5]


def test_a_blank_answer_is_unanswered_and_records_no_attempt(user, bank):
    interview = started(user)
    answer_submit(interview=interview, position=1, text=" \n ", now=T0 + timedelta(seconds=10))
    first = interview.questions.get(position=1)
    assert (first.status, first.attempt, first.timed_out) == (Status.UNANSWERED, None, False)
    assert first.closed_at == T0 + timedelta(seconds=10)
    assert not Attempt.objects.exists()


def test_abandoning_keeps_the_open_draft_and_leaves_the_rest_unanswered(user, bank):
    interview = started(user)
    answer_autosave(user=user, interview_id=interview.pk, position=1, text="并行计算", now=T0 + timedelta(seconds=5))
    ended_at = T0 + timedelta(seconds=20)
    interview = interview_abandon(interview=interview, now=ended_at)
    assert (interview.status, interview.finished_at) == (Interview.Status.ABANDONED, ended_at)
    interview.refresh_from_db()
    assert (interview.status, interview.finished_at) == (Interview.Status.ABANDONED, ended_at)
    # Abandoning is the candidate's choice, not the clock's: nothing is marked as timed out.
    assert rows(interview) == [
        (Status.ANSWERED, False, ended_at),
        (Status.UNANSWERED, False, None),
        (Status.UNANSWERED, False, None),
    ]
    attempt = Attempt.objects.get(user=user)
    assert (attempt.answer, attempt.seconds_taken, attempt.created_at) == ("并行计算", 20, ended_at)


def test_abandoning_with_an_empty_draft_records_nothing(user, bank):
    interview = started(user)
    interview_abandon(interview=interview, now=T0 + timedelta(seconds=3))
    assert rows(interview)[0] == (Status.UNANSWERED, False, T0 + timedelta(seconds=3))
    assert not Attempt.objects.exists()


def test_abandoning_an_ended_interview_changes_nothing(user, bank):
    interview = started(user)
    interview_abandon(interview=interview, now=T0 + timedelta(seconds=3))
    again = interview_abandon(interview=interview, now=T0 + timedelta(seconds=50))
    assert (again.status, again.finished_at) == (Interview.Status.ABANDONED, T0 + timedelta(seconds=3))


def test_abandoning_after_the_clock_ran_out_finishes_it_by_the_clock(user, bank):
    interview = started(user)
    interview = interview_abandon(interview=interview, now=T0 + timedelta(hours=1))
    # Not abandoned: the clock had ended it, the open question by its deadline, the rest unserved.
    assert (interview.status, interview.finished_at) == (Interview.Status.FINISHED, T0 + timedelta(seconds=180))
    assert rows(interview) == [
        (Status.UNANSWERED, True, T0 + timedelta(seconds=60)),
        (Status.UNANSWERED, False, None),
        (Status.UNANSWERED, False, None),
    ]


def test_the_sweep_closes_only_interviews_past_their_deadline_and_grace(user, other_user, bank):
    mine, theirs = started(user), started(other_user)
    # Theirs moved on after one second: two questions left from then, so it ends at 121 s; mine at 180 s.
    answer_submit(interview=theirs, position=1, text="a", now=T0 + timedelta(seconds=1))
    grace = timedelta(seconds=settings.INTERVIEW_GRACE_SECONDS)
    tick = timedelta(microseconds=1)
    for interview, seconds in ((theirs, 121), (mine, 180)):
        limit = T0 + timedelta(seconds=seconds) + grace
        assert close_expired_interviews(now=limit) == 0
        assert close_expired_interviews(now=limit + tick) == 1
        interview.refresh_from_db()
        assert (interview.status, interview.finished_at) == (Interview.Status.FINISHED, T0 + timedelta(seconds=seconds))
    assert rows(mine) == [
        (Status.UNANSWERED, True, T0 + timedelta(seconds=60)),
        (Status.UNANSWERED, False, None),
        (Status.UNANSWERED, False, None),
    ]
    assert close_expired_interviews(now=T0 + timedelta(hours=1)) == 0


def test_the_reference_is_withheld_only_in_my_own_running_interview(user, other_user, db):
    bank = QuestionFactory.create_batch(4, topic=TopicFactory(slug="training"))
    mine = started(user)
    asked = set(mine.questions.values_list("question", flat=True))
    in_mine = next(q for q in bank if q.pk in asked)
    not_in_mine = next(q for q in bank if q.pk not in asked)
    ids = [q.pk for q in bank]
    assert reference_withheld(user=user, question_ids=ids) == asked
    assert not may_see_reference(user=user, question=in_mine)
    assert may_see_reference(user=user, question=not_in_mine)
    # Another candidate's running interview hides nothing from me, nor mine from them.
    assert reference_withheld(user=other_user, question_ids=ids) == set()
    assert may_see_reference(user=other_user, question=in_mine)
    theirs = interview_start(user=other_user, choice=InterviewSettings(4, [], 60, None), now=T0)
    assert set(theirs.questions.values_list("question", flat=True)) == set(ids)
    assert reference_withheld(user=user, question_ids=ids) == asked


def test_the_reference_is_back_once_the_interview_ends(user, bank):
    interview = started(user)
    question = interview.questions.get(position=2).question
    assert not may_see_reference(user=user, question=question)
    interview_abandon(interview=interview, now=T0 + timedelta(seconds=5))
    assert may_see_reference(user=user, question=question)
    assert reference_withheld(user=user) == set()


def test_the_export_lists_only_my_interviews_with_every_question(user, other_user, bank):
    interview = started(user)
    answer_submit(interview=interview, position=1, text="并行计算", now=T0 + timedelta(seconds=12))
    interview_abandon(interview=interview, now=T0 + timedelta(seconds=20))
    started(other_user)
    items = list(interview.questions.order_by("position").select_related("version"))
    assert interviews_export(user) == [
        {
            "started_at": T0.isoformat(),
            "status": "abandoned",
            "topics": [],
            "questions": [
                {
                    "position": 1,
                    "prompt": items[0].version.prompt,
                    "status": "answered",
                    "answer": "并行计算",
                    "score": 0.5,
                    "seconds_spent": 12,
                },
                {
                    "position": 2,
                    "prompt": items[1].version.prompt,
                    "status": "unanswered",
                    "answer": "",
                    "score": None,
                    "seconds_spent": None,  # never served: no time spent on it
                },
                {
                    "position": 3,
                    "prompt": items[2].version.prompt,
                    "status": "unanswered",
                    "answer": "",
                    "score": None,
                    "seconds_spent": None,
                },
            ],
        }
    ]


def test_the_export_names_the_chosen_topics(user, db):
    topic = TopicFactory(slug="chosen")
    QuestionFactory.create_batch(3, topic=topic)
    interview_start(user=user, choice=InterviewSettings(3, [topic], 60, None), now=T0)
    (exported,) = interviews_export(user)
    assert (exported["topics"], exported["status"]) == (["chosen"], "in_progress")
    assert [q["status"] for q in exported["questions"]] == ["open", "pending", "pending"]
    # A question still to come in a running interview: its place, and nothing of its content.
    assert exported["questions"][1] == {"position": 2, "status": "pending"}


def test_the_export_costs_the_same_queries_for_more_interviews(user, bank, django_assert_num_queries):
    interview_abandon(interview=started(user), now=T0 + timedelta(seconds=5))
    with CaptureQueriesContext(connection) as one:
        interviews_export(user)
    for _ in range(2):
        interview_abandon(interview=started(user), now=T0 + timedelta(seconds=5))
    with django_assert_num_queries(len(one)):
        assert len(interviews_export(user)) == 3


def test_the_self_assessment_rates_answered_questions_once_and_counts_them(user, bank):
    interview = started(user)
    answer_submit(interview=interview, position=1, text="并行计算", now=T0 + timedelta(seconds=12))
    interview_abandon(interview=interview, now=T0 + timedelta(seconds=20))  # 2 and 3 were never answered
    every = {1: ({0}, 3), 2: (set(), 1), 3: (set(), 1)}
    assert interview_assess(interview=interview, assessments=every) == 1
    attempt = Attempt.objects.get(user=user, mode=Mode.INTERVIEW)
    assert attempt.rating == 3
    assert interview_assess(interview=interview, assessments={1: (set(), 1)}) == 0  # already rated: kept
    attempt.refresh_from_db()
    assert attempt.rating == 3


def test_an_answer_records_the_version_asked_and_no_time_when_given_at_once(user, bank):
    interview = started(user)
    interview_serve(interview=interview, now=T0)
    item = interview.questions.select_related("question", "version").get(position=1)
    asked, question = item.version, item.question
    question.prompt = "面试进行中改过的题目"  # an editor changes the question while it is being answered
    question.save()
    assert question.freeze_version() != asked
    answer_submit(interview=interview, position=1, text="并行计算", now=T0)  # the very second it was served
    attempt = Attempt.objects.get(user=user)
    assert (attempt.version, attempt.seconds_taken) == (asked, 0)
