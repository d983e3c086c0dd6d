"""The live session's state machine, clock and recording, driven through its services on a frozen clock."""

import random
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion
from live.models import LiveQuestion, LiveSession
from live.services import (
    InviteRefused,
    LiveError,
    SessionChoice,
    clock_pause,
    clock_start,
    hint_reveal,
    invite_refusal,
    invite_renew,
    invite_revoke,
    live_session_create,
    live_session_finish,
    live_session_join,
    live_session_swap,
    live_sessions_close_idle,
    question_assess,
    question_next,
    scratch_save,
)
from practice.models import Attempt, Mode, Rating, ReviewCard
from questions.tests.factories import QuestionFactory, TopicFactory

Status = LiveSession.Status
START = timezone.now().replace(microsecond=0) + timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_new_session_holds_the_picked_questions_and_an_unguessable_invite(created, questions, interviewer):
    assert created.status == Status.CREATED and created.candidate is None
    assert [q.question for q in created.questions.all()] == questions
    assert len(created.public_id) >= 22 and len(created.invite_token) >= 32
    assert created.public_id != str(created.pk)
    assert created.invite_state(timezone.now()) == "valid"


def test_it_draws_the_count_from_the_chosen_topics(interviewer, questions):
    QuestionFactory()  # another topic: never drawn
    choice = SessionChoice(seconds_per_question=60, topics=[questions[0].topic], count=2)
    session = live_session_create(interviewer=interviewer, choice=choice, rng=random.Random(1))
    drawn = [q.question for q in session.questions.all()]
    assert len(drawn) == 2 and set(drawn) <= set(questions)
    assert session.drawn_count == 2


def test_it_refuses_topics_without_questions(interviewer, db):
    from questions.tests.factories import TopicFactory

    with pytest.raises(LiveError, match="no published questions"):
        live_session_create(interviewer=interviewer, choice=SessionChoice(60, topics=[TopicFactory()], count=3))


def test_the_first_person_through_the_invite_becomes_the_candidate_and_the_link_is_used_up(
    created, candidate, outsider
):
    session = live_session_join(session=created, user=candidate)
    assert (session.status, session.candidate) == (Status.JOINED, candidate)
    assert live_session_join(session=session, user=candidate) == session  # again: back in, nothing changes
    with pytest.raises(InviteRefused, match="already been used"):
        live_session_join(session=session, user=outsider)


def test_the_interviewer_cannot_join_their_own_session(created, interviewer):
    with pytest.raises(InviteRefused, match="your own invite link"):
        live_session_join(session=created, user=interviewer)


def test_a_revoked_invite_is_refused_and_a_new_one_works(created, candidate):
    old_token = created.invite_token
    revoked = invite_revoke(session=created)
    with pytest.raises(InviteRefused, match="revoked"):
        live_session_join(session=revoked, user=candidate)
    renewed = invite_renew(session=revoked)
    assert renewed.invite_token != old_token and renewed.invite_revoked_at is None
    assert live_session_join(session=renewed, user=candidate).status == Status.JOINED


def test_an_invite_expires_after_its_limit(clock, settings, interviewer, questions, candidate):
    settings.LIVE_INVITE_MINUTES = 30
    session = live_session_create(interviewer=interviewer, choice=SessionChoice(60, questions=questions))
    clock.shift(timedelta(minutes=30) - timedelta(seconds=1))
    assert session.invite_state(timezone.now()) == "valid"
    clock.shift(1)
    with pytest.raises(InviteRefused, match="expired"):
        live_session_join(session=session, user=candidate)


def test_the_clock_runs_pauses_resumes_and_restarts_on_the_next_question(joined, clock):
    session = clock_start(session=joined)
    assert (session.status, session.position, session.remaining(timezone.now())) == (Status.RUNNING, 1, 120)
    clock.shift(30)
    session = clock_pause(session=session)
    assert (session.status, session.clock_elapsed) == (Status.PAUSED, 30)
    clock.shift(600)  # paused: no time passes on the question
    assert session.remaining(timezone.now()) == 90
    session = clock_start(session=session)
    clock.shift(200)
    assert session.remaining(timezone.now()) == 0  # past its time: the interviewer moves on
    session = question_next(session=session, position=1)
    assert (session.position, session.remaining(timezone.now()), session.status) == (2, 120, Status.RUNNING)
    assert session.questions.get(position=1).seconds_spent == 230


def test_next_from_a_stale_screen_changes_nothing(running):
    session = question_next(session=running, position=1)
    assert question_next(session=session, position=1).position == 2


def test_next_is_refused_on_the_last_question_and_before_the_start(joined):
    with pytest.raises(LiveError):
        question_next(session=joined, position=0)
    session = clock_start(session=joined)
    session = question_next(session=question_next(session=session, position=1), position=2)
    with pytest.raises(LiveError, match="last question"):
        question_next(session=session, position=3)


def test_every_change_the_candidate_sees_makes_a_new_version_but_assessing_does_not(running):
    version = running.version
    question_assess(session=running, position=1, ticked={0}, notes="好", rating=Rating.GOOD)
    running.refresh_from_db()
    assert running.version == version
    hint_reveal(session=running, position=1, text="想想数据并行")
    running.refresh_from_db()
    assert running.version == version + 1


def test_assessing_keeps_only_real_key_points_and_refuses_questions_not_asked(running):
    item = question_assess(session=running, position=1, ticked={0, 1, 7, -1}, notes="", rating=None)
    assert item.ticked == [0, 1]
    with pytest.raises(LiveError, match="not been asked"):
        question_assess(session=running, position=2, ticked=set(), notes="", rating=None)


def test_a_hint_needs_text_and_the_current_question(running):
    with pytest.raises(LiveError, match="Write the hint"):
        hint_reveal(session=running, position=1, text="  ")
    with pytest.raises(LiveError, match="current question"):
        hint_reveal(session=running, position=2, text="提示")


def test_scratch_goes_to_the_current_question_only_while_the_session_runs(running, joined):
    scratch_save(session=running, position=1, text="x = 1")
    assert running.questions.get(position=1).scratch == "x = 1"
    running.refresh_from_db()
    assert running.scratch_version == 1
    with pytest.raises(LiveError, match="closed"):
        scratch_save(session=running, position=2, text="too early")


def test_scratch_is_refused_before_the_start(joined):
    with pytest.raises(LiveError):
        scratch_save(session=joined, position=1, text="x")


def test_finishing_records_rated_questions_for_the_candidate_like_a_mock_interview(clock, running, candidate):
    scratch_save(session=running, position=1, text="数据并行")
    question_assess(session=running, position=1, ticked={0}, notes="漏了一点", rating=Rating.HARD)
    clock.shift(40)
    session = question_next(session=running, position=1)  # the second is asked but never rated
    clock.shift(10)
    session = live_session_finish(session=session, feedback="整体不错")
    assert (session.status, session.feedback) == (Status.FINISHED, "整体不错")
    attempt = Attempt.objects.get(user=candidate)
    assert (attempt.mode, attempt.answer, attempt.score, attempt.rating) == (Mode.INTERVIEW, "数据并行", 0.5, 2)
    assert attempt.seconds_taken == 40
    assert ReviewCard.objects.get(user=candidate).reviews == 1
    interview = session.interview
    assert (interview.user, interview.status) == (candidate, Interview.Status.FINISHED)
    statuses = list(interview.questions.values_list("status", flat=True))
    assert statuses == [InterviewQuestion.Status.ANSWERED, InterviewQuestion.Status.UNANSWERED, "unanswered"]
    assert Interview.objects.with_results().get(pk=interview.pk).avg_score == 0.5
    # Each question's clock as the candidate's interview report shows it: asked, allowed until, closed, notes
    at = lambda seconds: START + timedelta(seconds=seconds)  # noqa: E731
    rows = interview.questions.order_by("position").values_list("opened_at", "deadline", "closed_at", "draft")
    assert list(rows) == [(at(0), at(120), at(40), "数据并行"), (at(40), at(160), at(50), ""), (None, None, None, "")]
    assert live_session_finish(session=session, feedback="again") == session  # a double click


def test_cancelling_before_anyone_joined_abandons_it_and_records_nothing(created):
    session = live_session_finish(session=created, feedback="")
    assert session.status == Status.ABANDONED and session.interview is None
    assert not Attempt.objects.exists()


def test_nothing_changes_a_closed_session(running):
    session = live_session_finish(session=running, feedback="")
    for change in (clock_start, clock_pause):
        with pytest.raises(LiveError, match="ended"):
            change(session=session)
    with pytest.raises(LiveError):
        scratch_save(session=session, position=1, text="late")
    with pytest.raises(LiveError):
        question_assess(session=session, position=1, ticked=set(), notes="", rating=1)


def test_the_sweep_abandons_sessions_idle_past_the_limit_only(clock, settings, running, interviewer, questions):
    settings.LIVE_IDLE_MINUTES = 60
    created = live_session_create(interviewer=interviewer, choice=SessionChoice(60, questions=questions))
    question_assess(session=running, position=1, ticked={0, 1}, notes="", rating=Rating.EASY)
    clock.shift(timedelta(minutes=60))
    assert live_sessions_close_idle() == 0
    clock.shift(1)
    assert live_sessions_close_idle(dry_run=True) == 2
    assert LiveSession.objects.filter(status=Status.ABANDONED).count() == 0
    assert live_sessions_close_idle() == 2
    running.refresh_from_db()
    created.refresh_from_db()
    assert (running.status, created.status) == (Status.ABANDONED, Status.ABANDONED)
    assert running.interview.status == Interview.Status.ABANDONED
    assert Attempt.objects.get().rating == Rating.EASY  # what was rated still counts


def test_swapping_roles_starts_a_second_session_once(running, interviewer, candidate):
    with pytest.raises(LiveError, match="ended"):
        live_session_swap(session=running)
    session = live_session_finish(session=running, feedback="")
    second = live_session_swap(session=session)
    assert (second.interviewer, second.candidate, second.status) == (candidate, interviewer, Status.JOINED)
    assert [q.question_id for q in second.questions.all()] == [q.question_id for q in session.questions.all()]
    assert live_session_swap(session=session) == second


def test_swapping_a_drawn_session_draws_again(interviewer, candidate, questions):
    choice = SessionChoice(seconds_per_question=60, topics=[], count=2)
    session = live_session_create(interviewer=interviewer, choice=choice)
    session = live_session_finish(session=live_session_join(session=session, user=candidate), feedback="")
    second = live_session_swap(session=session, rng=random.Random(3))
    assert second.questions.count() == 2 and second.drawn_count == 2


def test_the_database_refuses_a_candidate_who_is_the_interviewer(created, interviewer):
    with pytest.raises(IntegrityError):
        LiveSession.objects.filter(pk=created.pk).update(candidate=interviewer, status=Status.JOINED)


def test_the_database_refuses_a_running_clock_on_a_paused_session(running):
    with pytest.raises(IntegrityError):
        LiveSession.objects.filter(pk=running.pk).update(status=Status.PAUSED)


def test_a_draw_from_topics_without_questions_is_refused(interviewer, questions):
    empty = TopicFactory(slug="empty", name="空")
    choice = SessionChoice(seconds_per_question=60, topics=[empty], count=2)
    with pytest.raises(LiveError, match="^There are no published questions in the topics you chose.$"):
        live_session_create(interviewer=interviewer, choice=choice)


def test_a_draw_takes_as_many_as_asked_and_at_most_the_pool(interviewer, questions):
    topic = questions[0].topic
    two = live_session_create(
        interviewer=interviewer, choice=SessionChoice(seconds_per_question=60, topics=[topic], count=2), rng=random.Random(5)
    )
    drawn = [q.question for q in two.questions.order_by("position")]
    assert len(drawn) == len(set(drawn)) == 2 and set(drawn) <= set(questions)
    every = live_session_create(
        interviewer=interviewer, choice=SessionChoice(seconds_per_question=60, topics=[topic], count=99)
    )
    assert {q.question for q in every.questions.all()} == set(questions)


def test_the_sweep_closes_only_the_sessions_given_at_the_time_given(settings, running):
    settings.LIVE_IDLE_MINUTES = 30
    later = timezone.now() + timedelta(minutes=31)
    assert live_sessions_close_idle(now=later, sessions=LiveSession.objects.none()) == 0
    assert LiveSession.objects.get(pk=running.pk).status == LiveSession.Status.RUNNING
    assert live_sessions_close_idle(now=later) == 1  # not idle at the real time: `now` is the one that counts
    assert LiveSession.objects.get(pk=running.pk).status == LiveSession.Status.ABANDONED


def test_the_record_keeps_what_was_asked_when_it_was_asked_and_rated(clock, running, candidate):
    session = question_next(session=running, position=1)  # the first is left unrated; the second asked at START
    question_assess(session=session, position=2, ticked=set(), notes="", rating=Rating.GOOD)
    asked = session.questions.select_related("question", "version").get(position=2)
    asked.question.prompt = "改过的题目"  # an editor changes the question while the session runs
    asked.question.save()
    asked.question.freeze_version()
    later = START + timedelta(minutes=5)
    clock.move_to(later)  # the attempt's time is when the question was asked, not when it is recorded
    session = live_session_finish(session=session, feedback="", now=later)
    attempt = Attempt.objects.get(user=candidate)
    assert attempt.question == asked.question and attempt.version == asked.version  # the version asked
    assert (attempt.created_at, attempt.rated_at) == (START, later)
    interview = session.interview
    assert (interview.started_at, interview.finished_at, interview.deadline) == (START, later, later)


def test_a_session_finished_the_moment_it_started_still_has_a_deadline_after_its_start(clock, running, candidate):
    question_assess(session=running, position=1, ticked=set(), notes="", rating=Rating.AGAIN)
    session = live_session_finish(session=running, feedback="", now=START)
    assert session.interview.deadline == START + timedelta(seconds=1)
    # No time spent on the first question: none counted, and it closed as it opened
    assert Attempt.objects.get(user=candidate).seconds_taken == 0
    assert session.interview.questions.get(position=1).closed_at == START


def test_notes_go_to_this_sessions_current_question_only(clock, running, interviewer, candidate, questions):
    other = live_session_create(interviewer=interviewer, choice=SessionChoice(120, questions=questions))
    other = clock_start(session=live_session_join(session=other, user=candidate))
    before = LiveSession.objects.get(pk=other.pk).scratch_version
    clock.shift(30)
    saved_at = scratch_save(session=running, position=1, text="笔记")
    assert saved_at == START + timedelta(seconds=30)
    assert LiveSession.objects.get(pk=running.pk).updated_at == saved_at  # typing keeps the session from idling
    assert LiveSession.objects.get(pk=other.pk).scratch_version == before
    scratch = dict(LiveQuestion.objects.filter(session__in=[running, other]).values_list("id", "scratch"))
    assert sorted(scratch.values()) == ["", "", "", "", "", "笔记"]
    assert running.questions.get(position=1).scratch == "笔记"


def test_the_refusals_say_why(clock, running):
    with pytest.raises(LiveError, match=r"^This question is closed: your notes for it were kept as they were\.$"):
        scratch_save(session=running, position=2, text="too early")
    with pytest.raises(LiveError, match=r"^That question has not been asked yet\.$"):
        question_assess(session=running, position=2, ticked=set(), notes="", rating=Rating.GOOD)


def test_each_refused_invite_says_exactly_why(settings, clock, interviewer, candidate, outsider, questions):
    settings.LIVE_INVITE_MINUTES = 60
    choice = SessionChoice(120, questions=questions)
    session = live_session_create(interviewer=interviewer, choice=choice)
    assert invite_refusal(session, interviewer, START) == (
        "This is your own invite link: send it to the person you will interview."
    )
    assert invite_refusal(session, outsider, START + timedelta(minutes=61)) == (
        "This invite link expired. Ask the interviewer for a new one."
    )
    joined = live_session_join(session=session, user=candidate)
    assert invite_refusal(joined, candidate, START) is None  # back in through the same link
    assert invite_refusal(joined, outsider, START) == "This invite link has already been used."
    revoked = invite_revoke(session=live_session_create(interviewer=interviewer, choice=choice))
    assert invite_refusal(revoked, outsider, START) == (
        "This invite link was revoked by the interviewer. Ask them for a new one."
    )


def test_a_session_in_the_wrong_state_says_which_state(clock, created, joined):
    with pytest.raises(LiveError) as refused:
        question_assess(session=joined, position=1, ticked=set(), notes="", rating=Rating.GOOD)
    assert str(refused.value) == f"The session cannot do that now (it is {joined.get_status_display()})."
    ended = live_session_finish(session=joined, feedback="")
    with pytest.raises(LiveError) as refused:
        clock_start(session=ended)
    assert str(refused.value) == "This session has ended."


def test_a_session_finished_before_its_clock_started_records_nothing_for_the_candidate(clock, joined, candidate):
    session = live_session_finish(session=joined, feedback="没开始", now=START + timedelta(minutes=2))
    assert session.interview is None and not Interview.objects.filter(user=candidate).exists()
    stored = LiveSession.objects.get(pk=session.pk)
    assert (stored.status, stored.finished_at, stored.feedback) == (Status.FINISHED, START + timedelta(minutes=2), "没开始")
