"""The scheduler glue at its edges: lapses, the first review, exact FSRS steps, the rating thresholds.

The exact times are FSRS's default parameters without fuzzing (practice.scheduling.SCHEDULER).
"""

from datetime import UTC, datetime, timedelta

import pytest

from practice.models import Rating, ReviewCard
from practice.scheduling import apply_review, suggested_rating

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
AGAIN, HARD, GOOD, EASY = Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY


def reviewed(*ratings) -> ReviewCard:
    """A new card reviewed with these ratings, each review at the moment the card fell due."""
    card = ReviewCard(due=NOW)
    when = NOW
    for rating in ratings:
        apply_review(card, rating, when)
        when = card.due
    return card


def test_again_on_the_first_review_is_not_a_lapse():
    card = reviewed(AGAIN)
    assert (card.reviews, card.lapses) == (1, 0)


@pytest.mark.parametrize("second", [HARD, GOOD, EASY])
def test_only_again_counts_as_a_lapse(second):
    card = reviewed(GOOD, second)
    assert (card.reviews, card.lapses) == (2, 0)


def test_again_on_the_second_review_is_a_lapse():
    card = reviewed(AGAIN, AGAIN)
    assert (card.reviews, card.lapses) == (2, 1)


def test_every_later_again_is_another_lapse():
    card = reviewed(GOOD, AGAIN, AGAIN, GOOD, AGAIN)
    assert (card.reviews, card.lapses) == (5, 3)


def test_a_new_card_starts_learning_from_the_first_step():
    # A card row as review_record creates it: no step yet.
    card = ReviewCard(due=NOW, step=None, state=ReviewCard.State.REVIEW)
    apply_review(card, GOOD, NOW)
    assert (card.state, card.step) == (ReviewCard.State.LEARNING, 1)
    assert card.due == NOW + timedelta(minutes=10)
    assert card.last_review == NOW


def test_exact_steps_of_a_good_good_good_history():
    card = reviewed(GOOD)
    assert (card.state, card.step, card.due) == (ReviewCard.State.LEARNING, 1, NOW + timedelta(minutes=10))
    assert card.stability == pytest.approx(2.3065)
    card = reviewed(GOOD, GOOD)
    assert (card.state, card.step) == (ReviewCard.State.REVIEW, None)
    assert card.due == NOW + timedelta(days=2, minutes=10)
    assert card.last_review == NOW + timedelta(minutes=10)
    card = reviewed(GOOD, GOOD, GOOD)
    assert card.due == NOW + timedelta(days=13, minutes=10)
    assert card.stability == pytest.approx(10.971048, abs=1e-6)
    assert card.difficulty == pytest.approx(2.104331, abs=1e-6)
    assert card.reviews == 3


def test_a_forgotten_review_card_relearns():
    card = reviewed(GOOD, GOOD, AGAIN)
    assert (card.state, card.step) == (ReviewCard.State.RELEARNING, 0)
    assert card.due == NOW + timedelta(days=2, minutes=20)
    assert card.stability == pytest.approx(0.607702, abs=1e-6)
    assert card.difficulty == pytest.approx(7.392238, abs=1e-6)


def test_easy_first_goes_straight_to_review():
    card = reviewed(EASY)
    assert (card.state, card.step, card.due) == (ReviewCard.State.REVIEW, None, NOW + timedelta(days=8))
    assert card.difficulty == pytest.approx(1.0)


@pytest.mark.parametrize(
    "score, rating",
    [
        (None, None),
        (0.0, AGAIN),
        (0.2999, AGAIN),
        (0.3, HARD),
        (0.3001, HARD),
        (0.6999, HARD),
        (0.7, GOOD),
        (0.7001, GOOD),
        (1.0, GOOD),
    ],
)
def test_the_suggested_rating_on_both_sides_of_each_threshold(score, rating):
    assert suggested_rating(score) == rating
