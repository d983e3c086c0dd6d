"""Submitting an answer: final, then on to the next question; late ones refused or labelled."""

from datetime import timedelta

from interviews.models import Interview, InterviewQuestion
from interviews.tests.conftest import START, open_item
from practice.models import Attempt, Mode


def test_a_normal_interview_to_its_end(user_client, user, bank, clock, start):
    interview = start()
    for position, answer in enumerate(["我会用并行计算和混合精度训练", "并行计算", ""], start=1):
        user_client.get(f"/interviews/{interview.pk}/")
        clock.shift(20)
        response = user_client.post(f"/interviews/{interview.pk}/questions/{position}/next/", {"answer": answer})
        assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINISHED
    assert response.url == f"/interviews/{interview.pk}/report/"
    attempts = Attempt.objects.filter(user=user).order_by("created_at")
    assert [(a.mode, a.score) for a in attempts] == [(Mode.INTERVIEW, 1.0), (Mode.INTERVIEW, 0.5)]
    third = interview.questions.get(position=3)
    assert third.status == InterviewQuestion.Status.UNANSWERED and third.attempt is None


def test_a_late_submission_is_refused_and_the_draft_is_kept(user_client, bank, clock, start, hx):
    interview = start()
    clock.shift(30)
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "并行计算"}, **hx)
    clock.shift(30 + 6)  # past the 60 s deadline and the 5 s grace
    response = user_client.post(
        f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算，还有更多"}, follow=True
    )
    assert "Time was up at" in response.content.decode()
    first = interview.questions.get(position=1)
    assert first.timed_out and first.draft == "并行计算" and first.attempt.answer == "并行计算"
    assert first.closed_at == first.deadline
    # The next question opened when the page served it, not when the first one's time ran out.
    assert interview.questions.get(position=2).opened_at == START + timedelta(seconds=66)


def test_the_browser_submit_at_zero_is_accepted_and_labelled_timed_out(user_client, bank, clock, start):
    interview = start()
    clock.shift(63)  # within the grace
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "最后一刻的回答"})
    first = interview.questions.get(position=1)
    assert first.timed_out and first.attempt.answer == "最后一刻的回答"
    assert first.closed_at == first.deadline


def test_a_submission_just_before_the_deadline_is_not_timed_out(user_client, bank, clock, start):
    interview = start()
    clock.shift(59)
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "及时"})
    assert not interview.questions.get(position=1).timed_out


def test_a_double_submit_makes_one_answer(user_client, user, bank, clock, start):
    interview = start()
    for _ in range(2):
        user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算"})
    assert Attempt.objects.filter(user=user).count() == 1
    user_client.get(f"/interviews/{interview.pk}/")
    assert open_item(interview).position == 2


def test_an_htmx_submit_redirects_the_browser(user_client, bank, clock, start, hx):
    interview = start()
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "x"}, **hx)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/interviews/{interview.pk}/"


def test_an_oversized_answer_is_shown_again_with_a_message(user_client, bank, clock, start):
    interview = start()
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "长" * 10_001})
    assert response.status_code == 422 and "too long" in response.content.decode()


def test_another_candidate_gets_404(user_client, other_client, bank, clock, start):
    interview = start()
    response = other_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "hijack"})
    assert response.status_code == 404
