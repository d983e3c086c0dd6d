"""An attempt's page: where Back and the history lead, so it always shows the saved answer."""

import pytest

from practice.models import Attempt, Rating
from practice.tests.conftest import answer_and_rate, reveal
from questions.tests.factories import QuestionFactory, TopicFactory


def test_it_is_a_full_page_or_a_partial(user_client, user, question, hx):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    full = user_client.get(f"/practice/attempts/{attempt.pk}/").content.decode()
    partial = user_client.get(f"/practice/attempts/{attempt.pk}/", **hx).content.decode()
    assert "<html" in full and "Reference answer" in full
    assert "<html" not in partial and partial.lstrip().startswith('<section id="practice-card"')


def test_a_rated_attempt_shows_the_answer_the_rating_and_when_it_comes_back(user_client, question):
    attempt = answer_and_rate(user_client, question, Rating.GOOD)
    page = user_client.get(f"/practice/attempts/{attempt.pk}/?scope=all").content.decode()
    assert "可以用多卡并行计算来加速。" in page
    assert "You rated it Good" in page and "it comes back in 10\xa0minutes" in page
    assert "✗" in page and "Undo the rating" in page and "Next question" in page


def test_another_candidate_gets_404(user_client, other_client, question):
    attempt = answer_and_rate(user_client, question, Rating.GOOD)
    assert other_client.get(f"/practice/attempts/{attempt.pk}/").status_code == 404


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/practice/attempts/1/").url.startswith("/accounts/login/")


def test_its_queries_do_not_grow_with_history(user_client, db, django_assert_max_num_queries):
    for question in QuestionFactory.create_batch(6, topic=TopicFactory()):
        answer_and_rate(user_client, question, Rating.AGAIN)
    attempt = Attempt.objects.latest("pk")
    # session, user, attempt, reference rule (interviews.reference), key point results, review card,
    # latest rating
    with django_assert_max_num_queries(7):
        user_client.get(f"/practice/attempts/{attempt.pk}/")
