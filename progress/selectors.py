"""Reads for the dashboards. Every figure is aggregated in the database; each function runs
a fixed number of queries, whatever the length of the history.

Mastery: FSRS schedules a review for the moment the chance of recalling an answer falls to
90 %. A question is *mastered* while its card is in the review state and not yet due, i.e.
while that chance is still at least 90 %. A topic's mastery is the share of its published
questions that are mastered.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from interviews.models import Interview
from interviews.reference import reference_withheld
from practice.models import Attempt, AttemptKeyPoint, Rating, ReviewCard
from questions.models import Question, Topic
from quizsite.db import count_subquery

from .models import Activity

MISSED_PER_TOPIC = 3
# How long a dashboard is kept at most: a write replaces it at once (a new activity stamp); this
# bounds only what time alone changes (cards falling due, the period's moving start).
DASHBOARD_CACHE_SECONDS = 60


PUBLISHED_COUNTS_KEY = "published-counts"
PUBLISHED_COUNTS_SECONDS = 60


def published_counts() -> dict[int, int]:
    """Topic id → number of published questions, shared by every page that shows them.

    Counting 100,000 questions takes tens of milliseconds, so the counts are cached: a question saved
    or deleted drops them at once (progress.signals); a bulk import shows within a minute.
    """
    return cache.get_or_set(PUBLISHED_COUNTS_KEY, _published_counts, PUBLISHED_COUNTS_SECONDS)


def _published_counts() -> dict[int, int]:
    # COUNT(*) is read from the (topic, is_published) index alone; COUNT(id) would read every row.
    rows = Question.objects.published().values("topic").annotate(n=Count("*")).order_by()
    return {row["topic"]: row["n"] for row in rows}


def activity_stamp(user) -> str | None:
    """The candidate's activity token (progress.services.progress_changed), None before any. One query."""
    return Activity.objects.filter(user=user).values_list("token", flat=True).first()


@dataclass
class DashboardFigures:
    topics: list[Topic]
    topic: Topic | None
    rows: list
    year: dict
    window: dict
    interviews: list


def dashboard_key(*, user, now: datetime, days: int | None, topic_slug: str | None) -> str | None:
    """The cache key of the candidate's dashboard figures: their activity stamp, the filters, their time
    zone and day. None for a candidate who has written nothing yet (nothing is cached for them). One query.

    A write replaces the stamp, so the next view recomputes. The stamp is read before the figures, so
    figures computed across a concurrent write are at worst kept under the stamp that write replaced.
    """
    stamp = activity_stamp(user)
    if stamp is None:
        return None
    zone = timezone.get_current_timezone_name()
    return f"dashboard:{user.pk}:{stamp}:{days}:{topic_slug or ''}:{zone}:{timezone.localdate(now)}"


def dashboard_figures(*, user, now: datetime, days: int | None, topic_slug: str | None) -> DashboardFigures:
    """Everything the dashboard shows, computed: nine queries, whatever the length of the history."""
    since = window_start(days, now)
    rows = topic_rows(user=user, now=now, days=days)  # every topic's row: the filter's choices too
    topics = sorted((r.topic for r in rows), key=lambda t: (t.order, t.name))
    topic = next((t for t in topics if t.slug == topic_slug), None) if topic_slug else None
    return DashboardFigures(
        topics=topics,
        topic=topic,
        rows=[r for r in rows if topic is None or r.topic == topic],
        year=daily_activity(user=user, since=now - timedelta(days=366)),
        window=daily_activity(user=user, since=since, topic=topic),
        interviews=interview_scores(user=user, since=since, topic=topic),
    )


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


def topic_rows(
    *, user, now: datetime, days: int | None = None, topic: Topic | None = None, with_missed: bool = True
) -> list[TopicRow]:
    """Per topic: attempted / total, mastery, average coverage (in the window), due now, last practised.

    Weakest first: lowest mastery, then lowest coverage. Plain grouped queries (topic counts, topics,
    attempts, cards; with_missed: the reference rule and the missed key points), each over one
    candidate's rows (simpler to plan and to build than one query of correlated subqueries).
    """
    totals = published_counts()
    topics = [t for t in Topic.objects.filter(pk__in=list(totals)) if topic is None or t == topic]
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
    missed = (
        missed_key_points(user=user, since=since, withheld=reference_withheld(user=user, now=now)) if with_missed else {}
    )
    rows = []
    for t in topics:
        a, c = attempts.get(t.pk, {}), cards.get(t.pk, {})
        rows.append(
            TopicRow(
                topic=t,
                total=totals[t.pk],
                attempted=a.get("attempted", 0),
                mastered=c.get("mastered", 0),
                due=c.get("due", 0),
                avg_coverage=a.get("avg_coverage"),
                last_practised=a.get("last_practised"),
                missed=missed.get(t.pk, []),
            )
        )
    return sorted(rows, key=lambda r: (r.mastery, r.avg_coverage if r.avg_coverage is not None else -1, r.topic.order))


def missed_key_points(
    *, user=None, since: datetime | None = None, per_topic: int = MISSED_PER_TOPIC, withheld=frozenset()
) -> dict:
    """Topic id → the key points missed most often, as (label, misses, times asked). One query.

    Key points are reference material: none of the `withheld` questions (interviews.reference).
    """
    results = AttemptKeyPoint.objects.filter(key_point__isnull=False, attempt__score__isnull=False)
    if withheld:
        results = results.exclude(key_point__question__in=withheld)
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
    """Attempts and average coverage per day of the candidate's own time zone (the current one, which the
    middleware sets from their profile). One query."""
    attempts = Attempt.objects.for_user(user)
    if since is not None:
        attempts = attempts.filter(created_at__gte=since)
    if topic is not None:
        attempts = attempts.filter(question__topic=topic)
    rows = (
        attempts.annotate(day=TruncDate("created_at"))
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


QUESTIONS_PER_PAGE = 50


def question_states(*, user, topic: Topic, now: datetime, page: str | None = None):
    """One page of the topic's published questions, each with this candidate's card and state.

    Two queries (the count and the page), whatever the size of the topic.
    """
    cards = ReviewCard.objects.filter(user=user, question=OuterRef("pk"))
    questions = (
        Question.objects.published()
        .filter(topic=topic)
        .select_related("current_version")
        # Only what the page shows: a version's answer and key points are the bulk of its row.
        .only("topic", "current_version__prompt")
        .annotate(
            card_due=Subquery(cards.values("due")),
            card_state=Subquery(cards.values("state")),
            attempt_count=count_subquery(Attempt.objects.for_user(user), "question"),
        )
        .order_by("id")
    )
    questions_page = Paginator(questions, QUESTIONS_PER_PAGE).get_page(page)
    for q in questions_page:
        if q.card_due is None:
            q.learning_state = "new"
        elif q.card_due <= now:
            q.learning_state = "due"
        elif q.card_state == ReviewCard.State.REVIEW:
            q.learning_state = "mastered"
        else:
            q.learning_state = "learning"
    return questions_page


def recent_attempts(*, user, topic: Topic, limit: int = 50):
    """The candidate's latest attempts in a topic, newest first, with what the topic page shows. One query."""
    return (
        Attempt.objects.for_user(user)
        .filter(question__topic=topic)
        .select_related("version")
        .only("user", "question", "mode", "score", "rating", "created_at", "version__prompt", "version__number")
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
        # Questions nobody answered yet come last on every database (PostgreSQL sorts NULL last, SQLite first).
        .order_by(F("avg_coverage").asc(nulls_last=True), "-attempt_count")
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
