"""Reads for the dashboards. Every figure is aggregated in the database; each function runs
a fixed number of queries, whatever the length of the history.

Mastery: FSRS schedules a review for the moment the chance of recalling an answer falls to
90 %. A question is *mastered* while its card is in the review state and not yet due, i.e.
while that chance is still at least 90 %. A topic's mastery is the share of its published
questions that are mastered.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from interviews.models import Interview
from practice.models import Attempt, AttemptKeyPoint, Rating, ReviewCard
from questions.models import Question, Topic
from quizsite.db import count_subquery

MISSED_PER_TOPIC = 3


def window_start(days: int | None, now: datetime) -> datetime | None:
    return now - timedelta(days=days) if days else None


@dataclass
class TopicRow:
    topic: Topic
    total: int
    attempted: int
    mastered: int
    due: int
    avg_coverage: float | None
    last_practised: datetime | None
    missed: list

    @property
    def mastery(self) -> float:
        return self.mastered / self.total if self.total else 0.0


def topic_rows(*, user, now: datetime, days: int | None = None, topic: Topic | None = None) -> list[TopicRow]:
    """Per topic: attempted / total, mastery, average coverage (in the window), due now, last practised.

    Weakest first: lowest mastery, then lowest coverage. Four plain grouped queries, each over one
    candidate's rows (simpler to plan and to build than one query of correlated subqueries).
    """
    topics = Topic.objects.with_published_questions()
    if topic is not None:
        topics = topics.filter(pk=topic.pk)
    since = window_start(days, now)
    attempts = {
        row["question__topic"]: row
        for row in Attempt.objects.for_user(user)
        .values("question__topic")
        .annotate(
            attempted=Count("question", distinct=True),
            last_practised=Max("created_at"),
            avg_coverage=Avg("score", filter=Q(created_at__gte=since) if since else None),
        )
        .order_by()
    }
    cards = {
        row["question__topic"]: row
        for row in ReviewCard.objects.for_user(user)
        .filter(question__is_published=True)
        .values("question__topic")
        .annotate(
            mastered=Count("pk", filter=Q(state=ReviewCard.State.REVIEW, due__gt=now)),
            due=Count("pk", filter=Q(due__lte=now)),
        )
        .order_by()
    }
    missed = missed_key_points(user=user, since=since)
    rows = []
    for t in topics:
        a, c = attempts.get(t.pk, {}), cards.get(t.pk, {})
        rows.append(
            TopicRow(
                topic=t,
                total=t.published_count,
                attempted=a.get("attempted", 0),
                mastered=c.get("mastered", 0),
                due=c.get("due", 0),
                avg_coverage=a.get("avg_coverage"),
                last_practised=a.get("last_practised"),
                missed=missed.get(t.pk, []),
            )
        )
    return sorted(rows, key=lambda r: (r.mastery, r.avg_coverage if r.avg_coverage is not None else -1, r.topic.order))


def missed_key_points(*, user=None, since: datetime | None = None, per_topic: int = MISSED_PER_TOPIC) -> dict:
    """Topic id → the key points missed most often, as (label, misses, times asked). One query."""
    results = AttemptKeyPoint.objects.filter(key_point__isnull=False, attempt__score__isnull=False)
    if user is not None:
        results = results.filter(attempt__user=user)
    if since is not None:
        results = results.filter(attempt__created_at__gte=since)
    rows = (
        results.values("key_point", "key_point__label", "key_point__question__topic")
        .annotate(asked=Count("pk"), misses=Count("pk", filter=Q(covered=False)))
        .filter(misses__gt=0)
        .order_by("-misses", "key_point")
    )
    out: dict = {}
    for row in rows:
        bucket = out.setdefault(row["key_point__question__topic"], [])
        if len(bucket) < per_topic:
            bucket.append((row["key_point__label"], row["misses"], row["asked"]))
    return out


@dataclass
class Day:
    day: date
    attempts: int
    avg_score: float | None


def daily_activity(*, user, since: datetime | None, topic: Topic | None = None) -> dict[date, Day]:
    """Attempts and average coverage per day of the candidate's own time zone. One query."""
    attempts = Attempt.objects.for_user(user)
    if since is not None:
        attempts = attempts.filter(created_at__gte=since)
    if topic is not None:
        attempts = attempts.filter(question__topic=topic)
    rows = (
        attempts.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .order_by("day")
    )
    return {row["day"]: Day(row["day"], row["n"], row["avg"]) for row in rows}


def streak(days: dict[date, Day], today: date) -> int:
    """Consecutive days with practice, ending today (or yesterday, if today has none yet)."""
    current = today if today in days else today - timedelta(days=1)
    count = 0
    while current in days:
        count += 1
        current -= timedelta(days=1)
    return count


def interview_scores(*, user, since: datetime | None = None, topic: Topic | None = None) -> list:
    """(start, average coverage) of each ended interview with at least one answer, oldest first. One query."""
    interviews = Interview.objects.for_user(user).exclude(status=Interview.Status.IN_PROGRESS)
    if since is not None:
        interviews = interviews.filter(started_at__gte=since)
    if topic is not None:
        interviews = interviews.filter(questions__question__topic=topic).distinct()
    rows = interviews.with_results().filter(avg_score__isnull=False).order_by("started_at")
    return [(i.started_at, i.avg_score) for i in rows]


def question_states(*, user, topic: Topic, now: datetime) -> list[Question]:
    """The topic's published questions, each with this candidate's card and state. One query."""
    cards = ReviewCard.objects.filter(user=user, question=OuterRef("pk"))
    questions = (
        Question.objects.published()
        .filter(topic=topic)
        .select_related("current_version")
        .annotate(
            card_due=Subquery(cards.values("due")),
            card_state=Subquery(cards.values("state")),
            attempt_count=count_subquery(Attempt.objects.for_user(user), "question"),
        )
        .order_by("id")
    )
    for q in questions:
        if q.card_due is None:
            q.learning_state = "new"
        elif q.card_due <= now:
            q.learning_state = "due"
        elif q.card_state == ReviewCard.State.REVIEW:
            q.learning_state = "mastered"
        else:
            q.learning_state = "learning"
    return list(questions)


def recent_attempts(*, user, topic: Topic, limit: int = 100):
    """The candidate's latest attempts in a topic, newest first. One query."""
    return (
        Attempt.objects.for_user(user)
        .filter(question__topic=topic)
        .select_related("version")
        .order_by("-created_at")[:limit]
    )


def question_stats():
    """For editors: per question, attempts, average coverage and the share rated Again. One query."""
    return (
        Question.objects.select_related("topic")
        .annotate(
            attempt_count=Count("attempts"),
            avg_coverage=Avg("attempts__score"),
            again_count=Count("attempts", filter=Q(attempts__rating=Rating.AGAIN)),
            rated_count=Count("attempts", filter=Q(attempts__rating__isnull=False)),
        )
        .order_by("avg_coverage", "-attempt_count")
    )


def key_point_stats():
    """For editors: per live key point, how often answers missed it. One query."""
    return (
        AttemptKeyPoint.objects.filter(key_point__isnull=False, attempt__score__isnull=False)
        .values("key_point", "key_point__label", "key_point__question", "key_point__question__prompt")
        .annotate(asked=Count("pk"), misses=Count("pk", filter=Q(covered=False)))
        .filter(misses__gt=0)
        .annotate(miss_rate=F("misses") * 1.0 / F("asked"))
        .order_by("-miss_rate", "-asked")
    )
