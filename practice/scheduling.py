"""The glue between review cards and FSRS (the `fsrs` package)."""

import copy
from datetime import datetime, timedelta

import fsrs
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

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


def preview_intervals(card: ReviewCard | None, now: datetime) -> dict[int, float]:
    """Rating → seconds until the card would come back if the candidate chose it now."""
    card = ReviewCard(due=now) if card is None else card
    out = {}
    for rating in Rating.values:
        trial = copy.copy(card)
        apply_review(trial, rating, now)
        out[rating] = (trial.due - now).total_seconds()
    return out


def interval_label(seconds: float) -> str:
    """A short interval for a rating button: "1 min", "3 h", "4 d", "2 mo"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return _("<1 min")
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    if minutes < 24 * 60:
        return _("%(n)d h") % {"n": round(minutes / 60)}
    days = round(minutes / (24 * 60))
    if days < 31:
        return _("%(n)d d") % {"n": days}
    if days < 365:
        return _("%(n)d mo") % {"n": round(days / 30.4)}
    return _("%(n)d y") % {"n": round(days / 365)}


def due_phrase(due: datetime, now: datetime) -> str:
    """When a card comes back, in words: "due now", "in under a minute", "in 3 days"."""
    seconds = (due - now).total_seconds()
    if seconds <= 0:
        return _("due now")
    if seconds < 30:
        return _("in under a minute")
    # Rounded to the nearest unit rather than down: 59.8 s is "1 minute".
    return _("in %(time)s") % {"time": timeuntil(due + timedelta(seconds=30), now, depth=1)}


def suggested_rating(score: float | None) -> int | None:
    """What the coverage suggests; the candidate confirms or changes it."""
    if score is None:
        return None
    if score < 0.3:
        return Rating.AGAIN
    if score < 0.7:
        return Rating.HARD
    return Rating.GOOD
