"""The autosave of the open question's draft."""

from interviews.models import InterviewQuestion


def test_it_saves_the_draft(user_client, bank, clock, start, hx):
    interview = start()
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "草稿"}, **hx)
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    assert interview.questions.get(position=1).draft == "草稿"


def test_without_htmx_it_goes_back_to_the_question(user_client, bank, clock, start):
    interview = start()
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "草稿"})
    assert response.url == f"/interviews/{interview.pk}/"


def test_a_late_draft_is_refused(user_client, bank, clock, start, hx):
    interview = start()
    clock.shift(66)
    late = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "太晚了"}, **hx)
    assert late.status_code == 409 and "Time was up" in late.content.decode()


def test_a_question_not_yet_served_is_refused(user_client, bank, clock, start, hx):
    interview = start()
    response = user_client.post(f"/interviews/{interview.pk}/questions/2/draft/", {"answer": "先写"}, **hx)
    assert response.status_code == 409 and "not open yet" in response.content.decode()


def test_an_oversized_answer_is_refused_with_a_message(user_client, bank, clock, start, hx):
    interview = start()
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "长" * 10_001}, **hx)
    assert response.status_code == 422 and "too long" in response.content.decode()
    assert interview.questions.get(position=1).draft == ""


def test_another_candidate_gets_404(user_client, other_client, bank, clock, start):
    interview = start()
    response = other_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "hijack"})
    assert response.status_code == 404
    item = interview.questions.get(position=1)
    assert item.draft == "" and item.status == InterviewQuestion.Status.OPEN


def test_it_takes_three_queries(user_client, bank, clock, start, hx, django_assert_max_num_queries):
    interview = start()
    # The busiest endpoint: session, user, one UPDATE
    with django_assert_max_num_queries(3):
        user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "草稿"}, **hx)
