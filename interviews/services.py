"""The mock-interview clock and its state machine. Every move happens here, on the server.

A question opens with a deadline (its own limit, or the interview's). It closes when
the candidate submits, or by itself once the deadline and a short network grace have
passed: then its last autosaved draft becomes the answer. Closing the last question
finishes the interview. `interview_sync` applies the clock lazily on every access and
from the `close_expired_interviews` sweep, so an abandoned browser changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from practice.models import Attempt, Mode
from practice.services import attempt_record
from questions.models import Question

from .models import Interview, InterviewQuestion

Status = InterviewQuestion.Status


class InterviewError(Exception):
    """A request the interview's state refuses; the message is for the candidate."""


class TooLate(InterviewError):
    pass


@dataclass(frozen=True)
class InterviewSettings:
    question_count: int
    topics: list
    seconds_per_question: int | None
    total_seconds: int | None
    favour_weak_topics: bool = False


def grace() -> timedelta:
    return timedelta(seconds=settings.INTERVIEW_GRACE_SECONDS)


def _weak_first(questions: list[Question], user, rng: random.Random) -> list[Question]:
    """A random order that draws from the candidate's weakest topics more often."""
    averages = dict(
        Attempt.objects.for_user(user)
        .answered()
        .values("question__topic")
        .annotate(avg=Avg("score"))
        .values_list("question__topic", "avg")
    )

    def key(question):
        weight = 1 + 3 * (1 - averages.get(question.topic_id, 0.5))  # unseen topics count as middling
        return rng.random() ** (1 / weight)

    return sorted(questions, key=key, reverse=True)


# Each @transaction.atomic service is a thin wrapper over a plain function: mutmut mutates no
# decorated function, and these hold the clock's rules (docs/testing.md).
@transaction.atomic
def interview_start(*, user, choice: InterviewSettings, now: datetime | None = None, rng=None) -> Interview:
    """Draw the questions and start the clock on the first one. Resumes an interview already running."""
    return _start(user=user, choice=choice, now=now, rng=rng)


def _start(*, user, choice: InterviewSettings, now: datetime | None, rng) -> Interview:
    now = now or timezone.now()
    running = Interview.objects.for_user(user).in_progress().first()
    if running is not None:
        running = interview_sync(interview=running, now=now)
        if running.is_in_progress:
            return running
    rng = rng or random.SystemRandom()
    pool = Question.objects.published().exclude(current_version=None)
    if choice.topics:
        pool = pool.filter(topic__in=choice.topics)
    pool = list(pool)
    if not pool:
        raise InterviewError(_("There are no published questions in the topics you chose."))
    if choice.favour_weak_topics:
        drawn = _weak_first(pool, user, rng)[: choice.question_count]
    else:
        drawn = rng.sample(pool, min(choice.question_count, len(pool)))
    limit = choice.total_seconds or choice.seconds_per_question * len(drawn)
    try:
        with transaction.atomic():
            interview = Interview.objects.create(
                user=user,
                favour_weak_topics=choice.favour_weak_topics,
                seconds_per_question=choice.seconds_per_question,
                total_seconds=choice.total_seconds,
                started_at=now,
                deadline=now + timedelta(seconds=limit),
            )
    except IntegrityError:
        # Another tab started one at the same moment (one running interview per candidate).
        return Interview.objects.for_user(user).in_progress().get()
    interview.topics.set(choice.topics)
    InterviewQuestion.objects.bulk_create(
        InterviewQuestion(interview=interview, position=i, question=q, version_id=q.current_version_id)
        for i, q in enumerate(drawn, start=1)
    )
    _open(interview, interview.questions.get(position=1), now)
    return interview


def _open(interview: Interview, item: InterviewQuestion, at: datetime) -> None:
    item.status = Status.OPEN
    item.opened_at = at
    if interview.seconds_per_question:
        item.deadline = min(at + timedelta(seconds=interview.seconds_per_question), interview.deadline)
    else:
        item.deadline = interview.deadline
    item.save(update_fields=["status", "opened_at", "deadline"])


def _close(interview: Interview, item: InterviewQuestion, text: str, at: datetime, *, timed_out: bool) -> None:
    """Make `text` the answer (blank: unanswered) and record it as an attempt."""
    item.draft = text
    item.closed_at = at
    item.timed_out = timed_out
    item.status = Status.ANSWERED if text.strip() else Status.UNANSWERED
    if item.status == Status.ANSWERED:
        item.attempt = attempt_record(
            user=interview.user,
            question=item.question,
            version=item.version,
            answer=text,
            mode=Mode.INTERVIEW,
            seconds_taken=item.seconds_spent or 0,
            now=at,
        )
    item.save(update_fields=["draft", "closed_at", "timed_out", "status", "attempt"])


def _finish(interview: Interview, at: datetime, status=Interview.Status.FINISHED) -> None:
    interview.questions.filter(status=Status.PENDING).update(status=Status.UNANSWERED)
    interview.status = status
    interview.finished_at = at
    interview.save(update_fields=["status", "finished_at"])


def _advance(interview: Interview, after: InterviewQuestion, at: datetime) -> None:
    following = interview.questions.filter(position__gt=after.position, status=Status.PENDING).first()
    if following is None or at >= interview.deadline:
        _finish(interview, at)
    else:
        _open(interview, following, at)


def _locked(interview: Interview) -> Interview:
    return Interview.objects.select_for_update().select_related("user").get(pk=interview.pk)


@transaction.atomic
def interview_sync(*, interview: Interview, now: datetime | None = None) -> Interview:
    """Apply the clock: close every question whose deadline and grace have passed, open the next."""
    return _sync(interview=interview, now=now)


def _sync(*, interview: Interview, now: datetime | None) -> Interview:
    now = now or timezone.now()
    interview = _locked(interview)
    while interview.is_in_progress:
        current = interview.questions.filter(status=Status.OPEN).first()
        if current is None or now <= current.deadline + grace():
            break
        # Time ran out with nobody there: the last saved draft is the answer, at the deadline.
        _close(interview, current, current.draft, current.deadline, timed_out=True)
        _advance(interview, current, current.deadline)
    return interview


def _item(interview: Interview, position: int) -> InterviewQuestion:
    try:
        return interview.questions.select_related("question", "version").get(position=position)
    except InterviewQuestion.DoesNotExist:
        raise InterviewError(_("This interview has no question %(n)s.") % {"n": position}) from None


def _refuse_closed(item: InterviewQuestion) -> None:
    if item.status == Status.PENDING:
        raise InterviewError(_("This question is not open yet."))
    if item.timed_out:
        raise TooLate(
            _(
                "Time was up at %(time)s, so this answer was not accepted. Your last saved draft was kept as your answer."
            )
            % {"time": timezone.localtime(item.deadline).strftime("%H:%M:%S")}
        )
    raise InterviewError(_("This question is already closed."))


def answer_autosave(*, user, interview_id: int, position: int, text: str, now: datetime | None = None) -> datetime:
    """Keep the draft of the open question; refused once its time is up. Returns when it was saved.

    Raises Interview.DoesNotExist for an interview that is not the user's.
    """
    now = now or timezone.now()
    if _save_open_draft(user_id=user.pk, interview_id=interview_id, position=position, text=text, now=now):
        return now
    with transaction.atomic():
        interview = interview_sync(interview=Interview.objects.for_user(user).get(pk=interview_id), now=now)
        item = _item(interview, position)
        if item.status != Status.OPEN:
            _refuse_closed(item)
        item.draft, item.draft_saved_at = text, now
        item.save(update_fields=["draft", "draft_saved_at"])
    return now


def _save_open_draft(*, user_id: int, interview_id: int, position: int, text: str, now: datetime) -> bool:
    """The common case in one statement: the question is the user's, open and in time.

    Autosave is the busiest write of the site; as plain SQL it skips the ORM's compiling of
    the joined UPDATE, which took about a third of the request. A concurrent close holds the
    row's lock, and the WHERE is checked again once it is released.
    """
    question, interview = InterviewQuestion._meta.db_table, Interview._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {question} SET draft = %s, draft_saved_at = %s"  # noqa: S608 - table names, not input
            f" WHERE interview_id = %s AND position = %s AND status = %s AND deadline >= %s"
            f" AND interview_id IN (SELECT id FROM {interview} WHERE id = %s AND user_id = %s AND status = %s)",
            [
                text,
                now,
                interview_id,
                position,
                Status.OPEN,
                now - grace(),
                interview_id,
                user_id,
                Interview.Status.IN_PROGRESS,
            ],
        )
        return cursor.rowcount == 1


@transaction.atomic
def answer_submit(*, interview: Interview, position: int, text: str, now: datetime | None = None) -> Interview:
    """The candidate's "Next": the answer is final and the next question opens.

    Submitting the same question again (a double click, a retry) changes nothing.
    """
    return _submit(interview=interview, position=position, text=text, now=now)


def _submit(*, interview: Interview, position: int, text: str, now: datetime | None) -> Interview:
    now = now or timezone.now()
    interview = interview_sync(interview=interview, now=now)
    item = _item(interview, position)
    if item.status != Status.OPEN:
        if item.status in (Status.ANSWERED, Status.UNANSWERED) and not item.timed_out:
            return interview  # already submitted: the retry is a no-op
        _refuse_closed(item)
    _close(interview, item, text, min(now, item.deadline), timed_out=False)
    _advance(interview, item, now)
    return interview


@transaction.atomic
def interview_abandon(*, interview: Interview, now: datetime | None = None) -> Interview:
    """Stop early: the open question keeps its last draft; the rest stay unanswered."""
    return _abandon(interview=interview, now=now)


def _abandon(*, interview: Interview, now: datetime | None) -> Interview:
    now = now or timezone.now()
    interview = interview_sync(interview=interview, now=now)
    if not interview.is_in_progress:
        return interview
    current = interview.questions.filter(status=Status.OPEN).first()
    if current is not None:
        _close(interview, current, current.draft, now, timed_out=False)
    _finish(interview, now, status=Interview.Status.ABANDONED)
    return interview


def close_expired_interviews(*, now: datetime | None = None) -> int:
    """Close every interview whose deadline has passed, whether or not its browser comes back."""
    now = now or timezone.now()
    expired = list(Interview.objects.expired(now))
    for interview in expired:
        interview_sync(interview=interview, now=now)
    return len(expired)


def question_in_live_interview(*, user, question: Question) -> bool:
    """True while the question waits in the candidate's running interview (its answer must stay hidden)."""
    return InterviewQuestion.objects.filter(
        interview__user=user, interview__status=Interview.Status.IN_PROGRESS, question=question
    ).exists()


def interviews_export(user) -> list[dict]:
    """A candidate's interviews, for "download all my data"."""
    interviews = Interview.objects.for_user(user).prefetch_related("questions__version", "questions__attempt", "topics")
    return [
        {
            "started_at": i.started_at.isoformat(),
            "status": i.status,
            "topics": [t.slug for t in i.topics.all()],
            "questions": [
                {
                    "prompt": q.version.prompt,
                    "status": q.status,
                    "answer": q.draft,
                    "score": q.attempt.score if q.attempt else None,
                    "seconds_spent": q.seconds_spent,
                }
                for q in i.questions.all()
            ],
        }
        for i in interviews
    ]
