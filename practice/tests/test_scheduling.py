from datetime import UTC, datetime

import pytest

from practice.models import Rating, ReviewCard
from practice.scheduling import apply_review, suggested_rating

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def reviewed(*ratings):
    card = ReviewCard(due=NOW)
    when = NOW
    for rating in ratings:
        apply_review(card, rating, when)
        when = card.due
    return card


def test_a_card_rated_again_comes_back_sooner_than_one_rated_easy():
    again, hard, good, easy = (reviewed(r).due for r in Rating.values)
    assert again < hard <= good < easy
    assert (again - NOW).total_seconds() <= 600
    assert (easy - NOW).days >= 1


def test_good_reviews_space_out():
    first = reviewed(Rating.GOOD, Rating.GOOD)
    later = reviewed(Rating.GOOD, Rating.GOOD, Rating.GOOD)
    assert later.due - later.last_review > first.due - first.last_review
    assert later.reviews == 3


def test_a_lapse_is_counted():
    card = reviewed(Rating.GOOD, Rating.GOOD, Rating.AGAIN)
    assert card.lapses == 1


@pytest.mark.parametrize(
    "score, rating",
    [
        (None, None),
        (0.0, Rating.AGAIN),
        (0.25, Rating.AGAIN),
        (0.5, Rating.HARD),
        (0.75, Rating.GOOD),
        (1.0, Rating.GOOD),
    ],
)
def test_the_coverage_suggests_a_rating(score, rating):
    assert suggested_rating(score) == rating
