"""Practice: choosing the next card, recording attempts, rating them on the FSRS schedule."""

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from grading.jobs import grading_job_start
from grading.services import scoring_context
from interviews.reference import reference_withheld
from questions.models import Difficulty, KeyPoint, Question, QuestionVersion, split_aliases

from .models import Attempt, AttemptKeyPoint, Mode, ReviewCard
from .scheduling import apply_review
from .scoring import SCORER_VERSION, Coverage, Point, derived_points, score_answer

DUE, ALL = "due", "all"
_CARD_SALT = "practice.card-shown"


class InvalidUndo(Exception):
    """Only the candidate's latest rating can be undone."""


@dataclass(frozen=True)
class Scope:
    """Which questions a practice session draws from: due reviews, everything, or one topic,
    optionally of one difficulty."""

    kind: str  # DUE, ALL or "topic"
    topic: object = None
    difficulty: str = ""

    @property
    def param(self) -> str:
        return self.topic.slug if self.topic else self.kind

    @property
    def query(self) -> str:
        """The scope as a URL query string, for links and redirects that stay in the session."""
        params = {"scope": self.param}
        if self.difficulty:
            params["difficulty"] = self.difficulty
        return urlencode(params)

    def difficulty_label(self) -> str:
        return Difficulty(self.difficulty).label if self.difficulty else ""

    def questions(self):
        """The published questions this scope draws from."""
        questions = Question.objects.published()
        if self.topic is not None:
            questions = questions.filter(topic=self.topic)
        if self.difficulty:
            questions = questions.filter(difficulty=self.difficulty)
        return questions


def _live_aliases(version: QuestionVersion) -> dict[int, str]:
    """Aliases of the version's key points that still exist (editors may delete one later)."""
    ids = [kp["id"] for kp in version.key_points if kp.get("id")]
    return dict(KeyPoint.objects.filter(pk__in=ids).values_list("pk", "aliases"))


def version_points(version: QuestionVersion, aliases: dict[int, str] | None = None) -> list[Point]:
    """The version's key points for the scorer, with the aliases editors give them now."""
    aliases = _live_aliases(version) if aliases is None else aliases
    return [
        Point(kp["label"], kp.get("text", ""), tuple(split_aliases(aliases.get(kp.get("id"), ""))))
        for kp in version.key_points
    ]


def scored_points(version: QuestionVersion, aliases: dict[int, str] | None = None) -> list[Point]:
    """What an answer to the version is scored on: its key points, or for a question that has none,
    points derived from its reference answer, so no question scores 0 for want of a list."""
    points = version_points(version, aliases)
    if points:
        return points
    context = scoring_context()
    return derived_points(version.answer, prompt=version.prompt, glossary=context.glossary, weights=context.weights)


def answer_coverage(answer: str, points: list[Point]) -> Coverage:
    """The offline scorer with the site's glossary and the bank's concept weights."""
    context = scoring_context()
    return score_answer(answer, points, glossary=context.glossary, weights=context.weights)


def question_score(*, question: Question, answer: str) -> tuple[list[Point], Coverage]:
    """How the scorer rates an answer to the question as it is now (`score_answer` command)."""
    points = scored_points(question.current_version)
    return points, answer_coverage(answer, points)


def card_token(question: Question) -> str:
    """A signed note of when the server showed the card, for the time taken."""
    return signing.dumps({"q": question.pk, "t": time.time()}, salt=_CARD_SALT)


def seconds_since_shown(token: str, question: Question, now: float | None = None) -> int | None:
    """Seconds since the server showed this question's card; None for a token that is not genuine."""
    try:
        data = signing.loads(token, salt=_CARD_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    if data.get("q") != question.pk:
        return None
    return max(0, int((now or time.time()) - data["t"]))


def practice_answer(*, user, question: Question, answer: str, in_head: bool, token: str) -> Attempt:
    """Record the answer to a card the server showed. The same answer to the same card sent twice
    (a double click, a retry) gives back the first attempt instead of a second one; a different
    answer to a card already answered (after browser Back) is kept as an attempt of its own."""
    seconds = seconds_since_shown(token, question)
    if seconds is None:
        token, seconds = "", 0
    else:
        token = f"{token}:{hashlib.sha256(f'{in_head}:{answer}'.encode()).hexdigest()[:16]}"
    if token and (existing := Attempt.objects.for_user(user).filter(card_token=token).first()):
        return existing
    try:
        with transaction.atomic():
            return attempt_record(
                user=user, question=question, answer=answer, in_head=in_head, seconds_taken=seconds, card_token=token
            )
    except IntegrityError:  # the twin request won the race
        return Attempt.objects.for_user(user).get(card_token=token)


def next_question(*, user, scope: Scope, now: datetime | None = None) -> Question | None:
    """Due reviews first (the most overdue), then questions never seen; in "due" scope only the due ones."""
    now = now or timezone.now()
    questions = scope.questions().with_current_version()
    cards = ReviewCard.objects.for_user(user)
    due = questions.filter(review_cards__in=cards.due(now)).order_by("review_cards__due", "id").first()
    if due or scope.kind == DUE:
        return due
    return questions.exclude(Exists(cards.filter(question=OuterRef("pk")))).order_by("topic__order", "id").first()


def next_review(*, user, scope: Scope) -> ReviewCard | None:
    """The card that comes back soonest, for "nothing left: come back at …"."""
    return ReviewCard.objects.for_user(user).filter(question__in=scope.questions()).order_by("due").first()


def session_progress(*, user, scope: Scope, since: datetime, now: datetime | None = None) -> tuple[int, int]:
    """(this card's number, cards in the session): ratings given since the session began, plus
    the cards still waiting (due ones; in the "all" and topic scopes, unseen ones too). Three queries."""
    now = now or timezone.now()
    questions = scope.questions()
    done = Attempt.objects.for_user(user).filter(rated_at__gte=since, question__in=questions).count()
    cards = ReviewCard.objects.for_user(user).filter(question__in=questions)
    counted = cards.aggregate(due=Count("pk", filter=Q(due__lte=now)), seen=Count("pk"))
    waiting = counted["due"]
    if scope.kind != DUE:
        # Unseen = in scope without a card. Counted apart, not as one anti-join with the due ones, which took
        # seconds over 100,000 questions.
        waiting += questions.order_by().count() - counted["seen"]
    return done + 1, done + waiting


@transaction.atomic
def attempt_record(
    *,
    user,
    question: Question,
    answer: str,
    in_head: bool = False,
    seconds_taken: int = 0,
    mode: str = Mode.PRACTICE,
    version: QuestionVersion | None = None,
    card_token: str = "",
    now: datetime | None = None,
) -> Attempt:
    """Store an answer to the question's current version (or the given one) with its automatic coverage,
    and hand it to the LLM grader when that is on."""
    version = version or question.current_version
    aliases = _live_aliases(version)
    points = scored_points(version, aliases)
    # A coding answer's verdict comes from its tests (coding app): no coverage score.
    unscored = in_head or bool(version.coding)
    coverage = None if unscored else answer_coverage(answer, points)
    attempt = Attempt.objects.create(
        user=user,
        question=question,
        version=version,
        mode=mode,
        answer=answer,
        answered_in_head=in_head,
        auto_score=coverage.score if coverage else None,
        score=coverage.score if coverage else None,
        scorer_version="" if unscored else SCORER_VERSION,
        seconds_taken=seconds_taken,
        card_token=card_token,
        created_at=now or timezone.now(),
    )
    covered = set(coverage.covered) if coverage else set()
    ids = [kp.get("id") for kp in version.key_points]
    AttemptKeyPoint.objects.bulk_create(
        AttemptKeyPoint(
            attempt=attempt,
            key_point_id=ids[i] if i < len(ids) and ids[i] in aliases else None,
            position=i,
            label=point.label,
            auto_covered=point.label in covered,
            covered=point.label in covered,
            evidence=[e.as_list() for e in coverage.evidence.get(point.label, ())] if coverage else [],
        )
        for i, point in enumerate(points)
    )
    grading_job_start(attempt=attempt)
    return attempt


@transaction.atomic
def attempt_rate(*, attempt: Attempt, covered_positions: set[int], rating: int, now: datetime | None = None) -> Attempt:
    """Store the candidate's corrected coverage and recall rating, and schedule the next review.

    Rating twice (a double click, a retry) changes nothing the second time.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.rating is not None:
        return attempt
    results = list(attempt.key_point_results.all())
    for result in results:
        result.covered = result.position in covered_positions
    AttemptKeyPoint.objects.bulk_update(results, ["covered"])
    attempt.score = round(sum(r.covered for r in results) / len(results), 4) if results else 0.0
    attempt.rating = rating
    attempt.rated_at = now
    attempt.save(update_fields=["score", "rating", "rated_at"])
    review_record(user=attempt.user, question=attempt.question, rating=rating, now=now)
    return attempt


@transaction.atomic
def attempt_unrate(*, attempt: Attempt) -> Attempt:
    """Undo the candidate's latest rating: the attempt is unrated again (its automatic coverage
    back) and the question's review card is rebuilt from the ratings that remain.

    Raises InvalidUndo for an attempt that is not rated or not the candidate's latest rating.
    """
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    latest = Attempt.objects.for_user(attempt.user_id).last_rated()
    if attempt.rating is None or latest is None or latest.pk != attempt.pk:
        raise InvalidUndo
    results = list(attempt.key_point_results.all())
    for result in results:
        result.covered = result.auto_covered
    AttemptKeyPoint.objects.bulk_update(results, ["covered"])
    attempt.score, attempt.rating, attempt.rated_at = attempt.auto_score, None, None
    attempt.save(update_fields=["score", "rating", "rated_at"])
    _card_rebuild(user=attempt.user, question=attempt.question)
    return attempt


def _card_rebuild(*, user, question: Question) -> None:
    """Replay the candidate's ratings of the question (FSRS without fuzzing repeats itself exactly)."""
    card = ReviewCard.objects.select_for_update().filter(user=user, question=question).first()
    ratings = list(
        Attempt.objects.for_user(user)
        .filter(question=question, rating__isnull=False)
        .order_by("rated_at", "pk")
        .values_list("rating", "rated_at")
    )
    if not ratings:
        if card is not None:
            card.delete()
        return
    fresh = ReviewCard(user=user, question=question, due=ratings[0][1])
    if card is not None:
        fresh.pk = card.pk
    for rating, rated_at in ratings:
        apply_review(fresh, rating, rated_at)
    fresh.save()


def review_record(*, user, question: Question, rating: int, now: datetime) -> ReviewCard:
    """One review of a question on the candidate's FSRS schedule."""
    card, _ = ReviewCard.objects.select_for_update().get_or_create(user=user, question=question, defaults={"due": now})
    apply_review(card, rating, now)
    card.save()
    return card


def practice_export(user) -> dict:
    """A candidate's attempts and review schedule, for "download all my data".

    Key points and the grader's feedback are reference material: an attempt at a question that a
    running interview holds is listed without them (interviews.reference).
    """
    withheld = reference_withheld(user=user)
    attempts = (
        Attempt.objects.for_user(user).select_related("version", "grading_job").prefetch_related("key_point_results")
    )
    return {
        "attempts": [_export_attempt(a, with_key_points=a.question_id not in withheld) for a in attempts],
        "review_cards": list(
            ReviewCard.objects.for_user(user).values(
                "question_id", "state", "stability", "difficulty", "due", "last_review", "reviews", "lapses"
            )
        ),
    }


def _export_attempt(a: Attempt, *, with_key_points: bool) -> dict:
    row = {
        "question": a.question_id,
        "question_version": a.version.number,
        "prompt": a.version.prompt,
        "mode": a.mode,
        "answer": a.answer,
        "answered_in_head": a.answered_in_head,
        "auto_score": a.auto_score,
        "score": a.score,
        "scorer_version": a.scorer_version,
        "rating": a.get_rating_display() if a.rating else None,
        "seconds_taken": a.seconds_taken,
        "created_at": a.created_at.isoformat(),
    }
    if with_key_points:
        results = a.key_point_results.all()
        row["covered_key_points"] = [r.label for r in results if r.covered]
        row["missed_key_points"] = [r.label for r in results if not r.covered]
        job = getattr(a, "grading_job", None)
        row["llm_grader"] = (
            {"model": job.model, "status": job.status, "feedback": job.feedback} if job is not None else None
        )
    return row


def attempts_rescore(*, batch_size: int = 500) -> int:
    """Score written answers again with the current scorer (after it improves).

    The automatic coverage is replaced; a candidate's own corrections (the coverage of
    rated attempts) stay as they are. Returns how many attempts changed scorer version.
    """
    stale = (
        Attempt.objects.exclude(scorer_version=SCORER_VERSION)
        .filter(answered_in_head=False)
        .exclude(question__kind="code")  # judged by their tests, never scored
        # The LLM grader's coverage is not the offline scorer's to redo.
        .exclude(grading_job__status="done")
        .select_related("version")
        .prefetch_related("key_point_results")
        .order_by("pk")
    )
    done = 0
    aliases_by_version: dict[int, dict] = {}
    while batch := list(stale[:batch_size]):
        with transaction.atomic():
            for attempt in batch:
                if attempt.version_id not in aliases_by_version:
                    aliases_by_version[attempt.version_id] = _live_aliases(attempt.version)
                results = list(attempt.key_point_results.all())
                # Derived points are scored as they were stored (the glossary may derive others now).
                points = version_points(attempt.version, aliases_by_version[attempt.version_id]) or [
                    Point(r.label) for r in results
                ]
                coverage = answer_coverage(attempt.answer, points)
                for result in results:
                    result.auto_covered = result.label in coverage.covered
                    result.evidence = [e.as_list() for e in coverage.evidence.get(result.label, ())]
                    if attempt.rating is None:
                        result.covered = result.auto_covered
                AttemptKeyPoint.objects.bulk_update(results, ["auto_covered", "covered", "evidence"])
                attempt.auto_score = coverage.score
                if attempt.rating is None:
                    attempt.score = attempt.auto_score
                attempt.scorer_version = SCORER_VERSION
                attempt.save(update_fields=["auto_score", "score", "scorer_version"])
        done += len(batch)
    return done
