"""The glue between review cards and FSRS (the `fsrs` package)."""

from datetime import datetime

import fsrs

from .models import Rating, ReviewCard

# No fuzzing: the same history always gives the same schedule, which candidates and tests can rely on.
SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)


def _to_fsrs(card: ReviewCard) -> fsrs.Card:
    return fsrs.Card(
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def apply_review(card: ReviewCard, rating: int, now: datetime) -> None:
    """Move the card to its next state and due time; the caller saves it."""
    if card.reviews == 0:
        card.step, card.state = 0, ReviewCard.State.LEARNING
    updated, _ = SCHEDULER.review_card(_to_fsrs(card), fsrs.Rating(rating), review_datetime=now)
    card.state = int(updated.state)
    card.step = updated.step
    card.stability = updated.stability
    card.difficulty = updated.difficulty
    card.due = updated.due
    card.last_review = updated.last_review
    card.reviews += 1
    if rating == Rating.AGAIN and card.reviews > 1:
        card.lapses += 1


def suggested_rating(score: float | None) -> int | None:
    """What the coverage suggests; the candidate confirms or changes it."""
    if score is None:
        return None
    if score < 0.3:
        return Rating.AGAIN
    if score < 0.7:
        return Rating.HARD
    return Rating.GOOD
