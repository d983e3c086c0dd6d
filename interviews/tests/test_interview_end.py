"""Ending an interview early."""

from interviews.models import Interview


def test_ending_early_keeps_the_draft_and_marks_the_interview_abandoned(user_client, bank, clock, start, hx):
    interview = start()
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "并行计算"}, **hx)
    response = user_client.post(f"/interviews/{interview.pk}/end/")
    assert response.url == f"/interviews/{interview.pk}/report/"
    interview.refresh_from_db()
    assert interview.status == Interview.Status.ABANDONED
    assert interview.questions.get(position=1).attempt.answer == "并行计算"


def test_ending_between_questions_leaves_the_rest_unanswered(user_client, bank, clock, start):
    interview = start()
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算"})
    user_client.post(f"/interviews/{interview.pk}/end/")
    statuses = list(interview.questions.values_list("status", flat=True))
    assert statuses == ["answered", "unanswered", "unanswered"]


def test_another_candidate_gets_404(user_client, other_client, bank, clock, start):
    interview = start()
    assert other_client.post(f"/interviews/{interview.pk}/end/").status_code == 404
    interview.refresh_from_db()
    assert interview.is_in_progress
