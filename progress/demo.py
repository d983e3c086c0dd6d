"""Synthetic history for demos, tests and benchmarks, written with bulk inserts."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion
from practice.models import Attempt, AttemptKeyPoint, Mode, ReviewCard
from practice.scheduling import apply_review, suggested_rating
from practice.scoring import SCORER_VERSION
from questions.models import Question

DEMO_PASSWORD = "demo-password-123"
INTERVIEW_SIZE = 3


@dataclass
class DemoReport:
    users: int = 0
    attempts: int = 0
    interviews: int = 0
    cards: int = 0
    usernames: list[str] = field(default_factory=list)


def _rating_for(score: float, rng: random.Random) -> int:
    # Mostly what the coverage suggests, sometimes a candidate's own opinion.
    suggested = suggested_rating(score)
    return rng.choice([1, 2, 3, 4]) if rng.random() < 0.15 else suggested


def seed_demo(
    *,
    users: int,
    attempts_per_user: int,
    weeks: int = 8,
    prefix: str = "demo",
    seed: int = 1,
    now: datetime | None = None,
) -> DemoReport:
    """Create `users` candidates with `attempts_per_user` rated attempts each over the past weeks,
    every third of them part of a finished mock interview, and their FSRS review cards."""
    now = now or timezone.now()
    rng = random.Random(seed)
    questions = list(Question.objects.published().select_related("current_version"))
    if not questions:
        raise ValueError("the question bank is empty: run `python manage.py import_bank fixtures/bank.md` first")
    password = make_password(DEMO_PASSWORD)
    User = get_user_model()
    taken = User.objects.filter(username__startswith=f"{prefix}-").count()
    report = DemoReport()
    for start in range(0, users, 100):  # a batch of users at a time keeps memory flat
        with transaction.atomic():
            batch = User.objects.bulk_create(
                User(
                    username=f"{prefix}-{taken + i + 1}",
                    email=f"{prefix}{taken + i + 1}@example.com",
                    password=password,
                )
                for i in range(start, min(users, start + 100))
            )
            for user in batch:
                _seed_user(user, questions, attempts_per_user, weeks, now, rng, report)
            report.users += len(batch)
            report.usernames += [u.username for u in batch[:3]]
    return report


def _seed_user(user, questions, count, weeks, now, rng, report: DemoReport) -> None:
    span = weeks * 7 * 24 * 3600
    times = sorted(now - timedelta(seconds=rng.randrange(span)) for _ in range(count))
    attempts, results = [], []
    complete_blocks = count // INTERVIEW_SIZE
    skill = rng.uniform(0.2, 0.9)
    for i, created in enumerate(times):
        # Every fourth block of three attempts is a mock interview, spread over the whole period.
        block = i // INTERVIEW_SIZE
        in_interview = block % 4 == 0 and block < complete_blocks and len(questions) >= INTERVIEW_SIZE
        if in_interview:
            # Three distinct questions, answered two minutes apart.
            if i % INTERVIEW_SIZE == 0:
                drawn, begun = rng.sample(questions, INTERVIEW_SIZE), created
            question, created = drawn[i % INTERVIEW_SIZE], begun + timedelta(minutes=2 * (i % INTERVIEW_SIZE))
        else:
            question = rng.choice(questions)
        key_points = question.current_version.key_points
        covered = [rng.random() < skill for _ in key_points]
        score = round(sum(covered) / len(covered), 4) if covered else 0.0
        attempt = Attempt(
            user=user,
            question=question,
            version=question.current_version,
            mode=Mode.INTERVIEW if in_interview else Mode.PRACTICE,
            answer="；".join(kp["label"] for kp, hit in zip(key_points, covered, strict=True) if hit) or "不记得了",
            auto_score=score,
            score=score,
            scorer_version=SCORER_VERSION,
            rating=_rating_for(score, rng),
            seconds_taken=rng.randrange(30, 240),
            created_at=created,
            rated_at=created,
        )
        attempts.append(attempt)
        results.append(covered)
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    AttemptKeyPoint.objects.bulk_create(
        (
            AttemptKeyPoint(
                attempt=a, key_point_id=kp.get("id"), position=p, label=kp["label"], auto_covered=hit, covered=hit
            )
            for a, covered in zip(attempts, results, strict=True)
            for p, (kp, hit) in enumerate(zip(a.version.key_points, covered, strict=True))
        ),
        batch_size=5000,
    )
    report.attempts += len(attempts)
    report.cards += _seed_cards(user, attempts, now)
    report.interviews += _seed_interviews(user, [a for a in attempts if a.mode == Mode.INTERVIEW])


def _seed_cards(user, attempts, now) -> int:
    """Each question's card replays that question's last few ratings."""
    by_question: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_question.setdefault(attempt.question_id, []).append(attempt)
    cards = []
    for question_id, history in by_question.items():
        card = ReviewCard(user=user, question_id=question_id, due=now)
        for attempt in history[-4:]:
            apply_review(card, attempt.rating, attempt.created_at)
        cards.append(card)
    ReviewCard.objects.bulk_create(cards, batch_size=2000)
    return len(cards)


def _seed_interviews(user, attempts) -> int:
    """Group the interview attempts, in threes, into finished interviews."""
    interviews, items = [], []
    for i in range(0, len(attempts) - INTERVIEW_SIZE + 1, INTERVIEW_SIZE):
        group = attempts[i : i + INTERVIEW_SIZE]
        started = group[0].created_at - timedelta(minutes=1)
        interview = Interview(
            user=user,
            status=Interview.Status.FINISHED,
            seconds_per_question=180,
            started_at=started,
            deadline=started + timedelta(minutes=9),
            finished_at=group[-1].created_at,
        )
        interviews.append(interview)
        items.append(group)
    Interview.objects.bulk_create(interviews, batch_size=1000)
    InterviewQuestion.objects.bulk_create(
        (
            InterviewQuestion(
                interview=interview,
                position=p,
                question_id=a.question_id,
                version_id=a.version_id,
                status=InterviewQuestion.Status.ANSWERED,
                opened_at=interview.started_at,
                deadline=interview.deadline,
                closed_at=a.created_at,
                draft=a.answer,
                attempt=a,
            )
            for interview, group in zip(interviews, items, strict=True)
            for p, a in enumerate(group, start=1)
        ),
        batch_size=3000,
    )
    return len(interviews)
