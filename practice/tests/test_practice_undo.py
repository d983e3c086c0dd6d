"""Undoing the last rating."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from practice.models import Attempt, Rating, ReviewCard
from practice.tests.conftest import answer_and_rate, reveal
from progress.models import Activity


def test_it_unrates_the_attempt_and_removes_a_first_review(user_client, user, question):
    attempt = answer_and_rate(user_client, question, Rating.GOOD)
    response = user_client.post(f"/practice/attempts/{attempt.pk}/undo/", {"scope": "all"})
    assert response.url == f"/practice/attempts/{attempt.pk}/?scope=all"
    attempt.refresh_from_db()
    assert (attempt.rating, attempt.rated_at, attempt.score) == (None, None, 0.5)
    assert not ReviewCard.objects.exists()
    page = user_client.get(response.url).content.decode()
    assert "How well did you recall it?" in page


def test_it_rebuilds_the_card_from_the_earlier_ratings(user_client, user, question):
    answer_and_rate(user_client, question, Rating.AGAIN)
    before = ReviewCard.objects.values().get()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        second = answer_and_rate(user_client, question, Rating.EASY)
        user_client.post(f"/practice/attempts/{second.pk}/undo/")
    assert ReviewCard.objects.values().get() == before


def test_over_htmx_it_returns_the_card_to_rate_again(user_client, question, hx):
    attempt = answer_and_rate(user_client, question, Rating.GOOD)
    response = user_client.post(f"/practice/attempts/{attempt.pk}/undo/", {"scope": "all"}, **hx)
    assert "<html" not in response.content.decode() and "Again · " in response.content.decode()
    assert response["HX-Push-Url"] == f"/practice/attempts/{attempt.pk}/?scope=all"


def test_only_the_latest_rating_can_be_undone(user_client, question):
    first = answer_and_rate(user_client, question, Rating.AGAIN)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        answer_and_rate(user_client, question, Rating.GOOD)
    response = user_client.post(f"/practice/attempts/{first.pk}/undo/", follow=True)
    assert "Only your latest rating can be undone." in response.content.decode()
    first.refresh_from_db()
    assert first.rating == Rating.AGAIN and ReviewCard.objects.get().reviews == 2


def test_an_unrated_attempt_cannot_be_undone(user_client, question):
    reveal(user_client, question)
    response = user_client.post(f"/practice/attempts/{Attempt.objects.get().pk}/undo/", follow=True)
    assert "Only your latest rating can be undone." in response.content.decode()


def test_another_candidate_gets_404(user_client, other_client, question):
    attempt = answer_and_rate(user_client, question, Rating.GOOD)
    assert other_client.post(f"/practice/attempts/{attempt.pk}/undo/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.rating == Rating.GOOD


def test_it_moves_the_activity_stamp_so_the_dashboard_shows_it_at_once(user_client, user, question):
    attempt = answer_and_rate(user_client, question, Rating.GOOD)
    user_client.get("/progress/?days=all")  # the dashboard cached as it is after the rating
    stamp = Activity.objects.get(user=user).token
    user_client.post(f"/practice/attempts/{attempt.pk}/undo/", {"scope": "all"})
    assert Activity.objects.get(user=user).token != stamp
    assert ReviewCard.objects.filter(user=user).count() == 0
