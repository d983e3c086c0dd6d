from datetime import UTC, datetime, timedelta

import pytest

from practice.models import Rating, ReviewCard
from practice.scheduling import apply_review, due_phrase, interval_label, preview_intervals, suggested_rating

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


@pytest.mark.parametrize(
    "seconds, label",
    [
        (0, "<1 min"),
        (29, "<1 min"),
        (60, "1 min"),
        (59 * 60, "59 min"),
        (3600, "1 h"),
        (86400, "1 d"),
        (30 * 86400, "30 d"),
        (31 * 86400, "1 mo"),
        (400 * 86400, "1 y"),
        (90 * 60, "2 h"),  # 1.5 h rounds to 2 (not to 1, as a division by 61 would)
        (23 * 3600 + 59 * 60, "24 h"),  # still hours one minute before a day
        (364 * 86400, "12 mo"),
        (365 * 86400, "1 y"),  # a year is years from its first day
        (46 * 86400, "2 mo"),  # 46 / 30.4 = 1.51
        (548 * 86400, "2 y"),  # 548 / 365 = 1.501
    ],
)
def test_interval_labels_are_short(seconds, label):
    assert interval_label(seconds) == label


def test_due_phrases_never_say_zero_minutes():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert due_phrase(now, now) == "due now"
    assert due_phrase(now - timedelta(hours=1), now) == "due now"
    assert due_phrase(now + timedelta(seconds=20), now) == "in under a minute"
    assert due_phrase(now + timedelta(seconds=59.8), now) == "in 1\xa0minute"
    assert due_phrase(now + timedelta(days=3, hours=2), now) == "in 3\xa0days"


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (1, "in under a minute"),  # one second ahead is not due yet
        (29, "in under a minute"),
        (30, "in 1\xa0minute"),  # from half a minute, rounded to the nearest minute
        (89, "in 1\xa0minute"),
        (90, "in 2\xa0minutes"),
    ],
)
def test_due_phrases_at_each_edge(seconds, phrase):
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert due_phrase(now + timedelta(seconds=seconds), now) == phrase


def test_the_preview_is_what_rating_would_schedule():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    preview = preview_intervals(None, now)
    for rating, seconds in preview.items():
        card = ReviewCard(due=now)
        apply_review(card, rating, now)
        assert (card.due - now).total_seconds() == seconds
