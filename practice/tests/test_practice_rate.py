"""Rating a revealed card: the interval on each button, then straight to the next card."""

import time_machine
from django.utils import timezone

from practice.models import Attempt, Rating, ReviewCard
from practice.tests.conftest import answer_and_rate, reveal
from questions.tests.factories import QuestionFactory


def test_each_rating_button_shows_when_the_card_comes_back(user_client, question):
    body = reveal(user_client, question, follow=True).content.decode()
    for label, interval in (("Again", "1 min"), ("Hard", "6 min"), ("Good", "10 min"), ("Easy", "8 d")):
        assert f'{label} · <span class="interval">{interval}</span>' in body


def test_the_intervals_follow_the_cards_schedule(user_client, question):
    answer_and_rate(user_client, question, Rating.GOOD)
    with time_machine.travel(ReviewCard.objects.get().due):
        body = reveal(user_client, question, follow=True).content.decode()
    assert 'Good · <span class="interval">2 d</span>' in body


def test_it_stores_the_corrected_coverage_and_moves_to_the_next_card(user_client, user, question):
    following = QuestionFactory(topic=question.topic)
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    response = user_client.post(
        f"/practice/attempts/{attempt.pk}/rate/", {"covered": ["0", "1"], "rating": Rating.GOOD, "scope": "all"}
    )
    assert response.url == f"/practice/next/?scope=all&rated={attempt.pk}"
    attempt.refresh_from_db()
    assert (attempt.score, attempt.auto_score, attempt.rating) == (1.0, 0.5, Rating.GOOD)
    card = ReviewCard.objects.get(user=user, question=question)
    assert card.reviews == 1 and card.due > timezone.now()
    page = user_client.get(response.url).content.decode()
    assert following.prompt in page
    assert "Rated Good: that question comes back in 10\xa0minutes." in page and "Undo" in page


def test_over_htmx_it_returns_the_next_card_with_an_undo(user_client, user, question, hx):
    following = QuestionFactory(topic=question.topic)
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    response = user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": Rating.AGAIN}, **hx)
    body = response.content.decode()
    assert "<html" not in body and following.prompt in body
    assert "Rated Again: that question comes back in 1\xa0minute." in body
    assert f'action="/practice/attempts/{attempt.pk}/undo/"' in body
    assert response["HX-Push-Url"] == "/practice/next/?scope=all"


def test_rating_twice_reviews_once(user_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    for rating in (Rating.AGAIN, Rating.EASY):
        user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": rating})
    attempt.refresh_from_db()
    assert attempt.rating == Rating.AGAIN
    assert ReviewCard.objects.get(user=user).reviews == 1


def test_a_missing_rating_is_refused_and_changes_nothing(user_client, user, question, hx):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    response = user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"covered": ["1"]}, **hx)
    assert "Choose how well you recalled the answer" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.rating is None and attempt.score == 0.5
    assert not ReviewCard.objects.exists()


def test_another_candidate_gets_404(user_client, other_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    assert other_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": 1}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.rating is None
