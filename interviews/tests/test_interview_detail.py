"""The question page and its clock: each question's own limit starts when it is first served."""

from datetime import timedelta

import pytest

from interviews.models import Interview, InterviewQuestion
from interviews.tests.conftest import REFERENCE_TEXT, START, open_item


def test_the_reference_answer_is_unreachable_during_the_interview(user_client, bank, clock, start, hx):
    interview = start()
    page = user_client.get(f"/interviews/{interview.pk}/")
    partial = user_client.get(f"/interviews/{interview.pk}/", **hx)
    for body in (page.content.decode(), partial.content.decode()):
        assert REFERENCE_TEXT not in body and "解析" not in body
    assert user_client.get(f"/interviews/{interview.pk}/report/").status_code == 302
    question = open_item(interview).question
    response = user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "x"})
    assert "finish the interview first" in response.content.decode()
    assert REFERENCE_TEXT not in response.content.decode()


def test_a_reload_resumes_the_same_question_on_the_same_clock(user_client, bank, clock, start, hx):
    interview = start()
    clock.shift(10)
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "草稿一"}, **hx)
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    clock.shift(15)
    page = user_client.get(f"/interviews/{interview.pk}/")
    assert page.context["item"].position == 1
    assert page.context["remaining"] == 35
    assert "草稿一</textarea>" in page.content.decode()
    assert 'data-countdown="35"' in page.content.decode()


def test_the_countdown_never_ends_before_the_server_deadline(user_client, bank, clock, start):
    interview = start()
    clock.shift(timedelta(seconds=10, milliseconds=400))
    assert user_client.get(f"/interviews/{interview.pk}/").context["remaining"] == 50  # 49.6 rounded up


def test_the_next_question_clock_starts_when_it_is_first_served(user_client, bank, clock, start):
    interview = start()
    clock.shift(20)
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算"})
    second = interview.questions.get(position=2)
    assert second.status == InterviewQuestion.Status.PENDING and second.opened_at is None
    clock.shift(60)  # the candidate comes back a minute later
    page = user_client.get(f"/interviews/{interview.pk}/")
    second.refresh_from_db()
    assert second.opened_at == START + timedelta(seconds=80)
    assert second.deadline == START + timedelta(seconds=140)
    assert page.context["remaining"] == 60
    clock.shift(30)  # a reload keeps the clock it started with
    assert user_client.get(f"/interviews/{interview.pk}/").context["remaining"] == 30


def test_a_total_limit_runs_from_the_start(user_client, bank, clock, start):
    interview = start(timing="total", total_minutes=5)
    assert interview.deadline == START + timedelta(minutes=5)
    clock.shift(20)
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "a"})
    clock.shift(60)
    second = open_item(interview)
    assert second.opened_at == START + timedelta(seconds=20) and second.deadline == interview.deadline
    assert user_client.get(f"/interviews/{interview.pk}/").context["remaining"] == 5 * 60 - 80
    clock.shift(5 * 60)
    user_client.get(f"/interviews/{interview.pk}/")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINISHED


def test_a_question_that_timed_out_is_announced_on_the_next(user_client, bank, clock, start, hx):
    interview = start()
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "并行计算"}, **hx)
    clock.shift(66)
    page = user_client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "Time's up on question 1 — your saved answer was submitted." in page
    assert page.count("Time's up") == 1


def test_a_question_that_timed_out_empty_says_it_counts_as_unanswered(user_client, bank, clock, start):
    interview = start()
    clock.shift(66)
    page = user_client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "no answer had been saved, so it counts as unanswered" in page


def test_the_last_30_seconds_warning_is_ready_for_screen_readers(user_client, bank, clock, start):
    page = user_client.get(f"/interviews/{start().pk}/").content.decode()
    # An alert, filled in when the warning starts, so screen readers say it at once.
    assert 'role="alert" data-countdown-warning data-text="Less than 30 seconds left" hidden' in page
    assert 'aria-live="polite" data-countdown-announce' in page


def test_it_claims_autosave_only_with_javascript(user_client, bank, clock, start):
    page = user_client.get(f"/interviews/{start().pk}/").content.decode()
    assert '<span class="js-only">Your answer is saved as you type.</span>' in page
    assert '<span class="no-js-only">Your answer is kept when you submit it.' in page


def test_another_candidate_gets_404(user_client, other_client, bank, clock, start):
    interview = start()
    assert other_client.get(f"/interviews/{interview.pk}/").status_code == 404


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/interviews/1/").url.startswith("/accounts/login/")


def test_its_queries_do_not_grow_with_questions(user_client, bank, clock, start, django_assert_max_num_queries):
    interview = start(count=4)
    # session, user, interview, sync lock (+savepoint), open question, open check, items
    with django_assert_max_num_queries(9):
        user_client.get(f"/interviews/{interview.pk}/")
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算"})
    # ... and opening the next: pending question, questions left, two updates
    with django_assert_max_num_queries(13):
        user_client.get(f"/interviews/{interview.pk}/")
