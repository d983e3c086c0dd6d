"""The mock-interview clock and its state machine. Every move happens here, on the server.

A question opens with a deadline (its own limit, or the interview's). With a limit per
question, a question opens when the server first serves it (`interview_serve`), so time
between questions is nobody's; the interview's deadline then moves on to "now plus the
limits of the questions left", which is when an abandoned interview closes. With one
limit in all, the clock runs from the start and each question opens as the last closes.

A question closes when the candidate submits, or by itself once the deadline and a short
network grace have passed: then its last autosaved draft becomes the answer. An answer
that arrives after the deadline (the browser's own submit at 0:00) is accepted within the
grace and labelled as closed by the clock, like one the server closed. Closing the last
question finishes the interview. `interview_sync` applies the clock lazily on every
access and from the `close_expired_interviews` sweep, so an abandoned browser changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Case, FloatField, Value, When
from django.db.models.functions import Coalesce, Power, Random
from django.utils import timezone
from django.utils.translation import gettext as _

from practice.models import Attempt, Mode
from practice.services import attempt_rate, attempt_record
from questions.models import Question, Topic

from .models import Interview, InterviewQuestion

Status = InterviewQuestion.Status
# An interview asks at least this many questions (and at most MAX_QUESTIONS).
MIN_QUESTIONS, MAX_QUESTIONS = 3, 10


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


def _draw(user, choice: InterviewSettings) -> list[Question]:
    """Sample the questions in the database: a random order over the pool, never the pool in Python.

    Favouring weak topics weights each question by its topic's weakness (`weakness_weight`) and draws by the key
    random^(1 / weight), highest first: a weighted sample without replacement (Efraimidis-Spirakis).
    """
    pool = Question.objects.published().exclude(current_version=None).only("id", "topic_id", "current_version_id")
    if choice.topics:
        pool = pool.filter(topic__in=choice.topics)
    order = Random()
    if choice.favour_weak_topics:
        order = Power(Random(), Value(1.0) / weakness_weight(user))
    return list(pool.order_by(order.desc())[: choice.question_count])


def weakness_weight(user) -> Case:
    """A question's weight by its topic's weakness for this user: 1 + 3 × (1 − the average score of the user's
    scored attempts in the topic), so 1 for a topic answered perfectly, 4 for one answered with no coverage, and
    2.5 for one never tried."""
    averages = (
        Attempt.objects.for_user(user)
        .answered()
        .values("question__topic")
        .annotate(avg=Avg("score"))
        .values_list("question__topic", "avg")
    )
    return Case(
        *[When(topic_id=topic, then=Value(1 + 3 * (1 - avg))) for topic, avg in averages],
        default=Value(2.5),
        output_field=FloatField(),
    )


# Each @transaction.atomic service is a thin wrapper over a plain function: mutmut mutates no
# decorated function, and these hold the clock's rules (docs/testing.md).
@transaction.atomic
def interview_start(*, user, choice: InterviewSettings, now: datetime | None = None) -> Interview:
    """Draw the questions and start the clock on the first one. Resumes an interview already running."""
    return _start(user=user, choice=choice, now=now)


def _start(*, user, choice: InterviewSettings, now: datetime | None) -> Interview:
    now = now or timezone.now()
    running = Interview.objects.for_user(user).in_progress().first()
    if running is not None:
        running = interview_sync(interview=running, now=now)
        if running.is_in_progress:
            return running
    drawn = _draw(user, choice)
    if len(drawn) < MIN_QUESTIONS:
        # The draw takes min(count, pool) and count >= MIN_QUESTIONS, so this is the whole pool.
        raise InterviewError(too_few_questions(len(drawn)))
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


def too_few_questions(available: int) -> str:
    return _(
        "These topics have only %(n)d published questions, and an interview asks at least %(min)d: choose more topics."
    ) % {"n": available, "min": MIN_QUESTIONS}


def _open(interview: Interview, item: InterviewQuestion, at: datetime) -> None:
    item.status = Status.OPEN
    item.opened_at = at
    if interview.seconds_per_question:
        item.deadline = at + timedelta(seconds=interview.seconds_per_question)
    else:
        item.deadline = interview.deadline
    item.save(update_fields=["status", "opened_at", "deadline"])


def _move_deadline(interview: Interview, at: datetime) -> None:
    """Per-question limits: the interview ends when the questions left would have run out from `at`."""
    left = interview.questions.filter(status__in=[Status.PENDING, Status.OPEN]).count()
    interview.deadline = at + timedelta(seconds=interview.seconds_per_question * left)
    interview.save(update_fields=["deadline"])


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
    if following is None or (interview.total_seconds and at >= interview.deadline):
        _finish(interview, at)
    elif interview.seconds_per_question:
        _move_deadline(interview, at)  # the next question opens when it is served
    else:
        _open(interview, following, at)


def _locked(interview: Interview) -> Interview:
    return Interview.objects.select_for_update().select_related("user").get(pk=interview.pk)


@transaction.atomic
def interview_sync(*, interview: Interview, now: datetime | None = None) -> Interview:
    """Apply the clock: close every question whose deadline and grace have passed (the rules are in `_sync`)."""
    interview = _locked(interview)
    _sync(interview, now or timezone.now())
    return interview


def _sync(interview: Interview, now: datetime) -> InterviewQuestion | None:
    """The clock on a locked interview; returns the question still open, if any."""
    while interview.is_in_progress:
        current = interview.questions.filter(status=Status.OPEN).first()
        if current is None:
            # Between questions: the candidate never came back for the next one.
            if now > interview.deadline + grace():
                _finish(interview, interview.deadline)
            return None
        if now <= current.deadline + grace():
            return current
        # Time ran out with nobody there: the last saved draft is the answer, at the deadline.
        _close(interview, current, current.draft, current.deadline, timed_out=True)
        _advance(interview, current, current.deadline)
    return None


@transaction.atomic
def interview_serve(*, interview: Interview, now: datetime | None = None) -> Interview:
    """The clock applied, and the next question opened if none is: its own limit starts now."""
    return _serve(interview=interview, now=now)


def _serve(*, interview: Interview, now: datetime | None) -> Interview:
    now = now or timezone.now()
    interview = _locked(interview)
    if _sync(interview, now) is None and interview.is_in_progress:
        following = interview.questions.filter(status=Status.PENDING).first()
        _move_deadline(interview, now)
        _open(interview, following, now)
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
def answer_submit(*, interview: Interview, position: int, text: str | None, now: datetime | None = None) -> Interview:
    """The candidate's "Next": the answer is final and the next question opens.

    `text` None (the post had no answer field) submits the last saved draft, never a blank over it.
    Submitting the same question again (a double click, a retry) changes nothing.
    """
    return _submit(interview=interview, position=position, text=text, now=now)


def _submit(*, interview: Interview, position: int, text: str | None, now: datetime | None) -> Interview:
    now = now or timezone.now()
    interview = interview_sync(interview=interview, now=now)
    item = _item(interview, position)
    if item.status != Status.OPEN:
        if item.status in (Status.ANSWERED, Status.UNANSWERED) and text in (None, item.draft):
            return interview  # already submitted, or closed with this very text: the retry is a no-op
        _refuse_closed(item)
    # Arriving after the deadline (within the grace) is the clock closing it, whoever pressed.
    timed_out = now >= item.deadline
    _close(interview, item, item.draft if text is None else text, min(now, item.deadline), timed_out=timed_out)
    _advance(interview, item, min(now, item.deadline))
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


@dataclass(frozen=True)
class ReportSummary:
    overall: float | None  # average coverage over the answered questions
    answered_count: int
    total_count: int
    weakest: Topic | None  # the topic with the lowest average, unanswered questions counting 0


def interview_summary(*, interview: Interview) -> ReportSummary:
    """The report's figures, from the same annotations as the list and the dashboard. Two queries."""
    results = Interview.objects.with_results().get(pk=interview.pk)
    weakest = (
        interview.questions.values("question__topic")
        .annotate(avg=Avg(Coalesce("attempt__score", Value(0.0), output_field=FloatField())))
        .order_by("avg", "question__topic__order", "question__topic")
        .values_list("question__topic", flat=True)
        .first()
    )
    return ReportSummary(
        overall=results.avg_score,
        answered_count=results.answered_count,
        total_count=results.total_count,
        weakest=Topic.objects.get(pk=weakest) if weakest is not None else None,
    )


@transaction.atomic
def interview_assess(*, interview: Interview, assessments: dict[int, tuple[set[int], int]]) -> int:
    """The candidate's self-assessment of an ended interview, all answered questions at once:
    position → (covered key point positions, recall rating). Questions already rated stay as
    they are. Returns how many were rated now."""
    return _assess(interview=interview, assessments=assessments)


def _assess(*, interview: Interview, assessments: dict[int, tuple[set[int], int]]) -> int:
    items = interview.questions.filter(position__in=assessments, attempt__isnull=False).select_related("attempt")
    rated = 0
    for item in items:
        if item.attempt.rating is None:
            covered, rating = assessments[item.position]
            attempt_rate(attempt=item.attempt, covered_positions=covered, rating=rating)
            rated += 1
    return rated


def close_expired_interviews(*, now: datetime | None = None) -> int:
    """Close every interview whose deadline has passed, whether or not its browser comes back."""
    now = now or timezone.now()
    expired = list(Interview.objects.expired(now))
    for interview in expired:
        interview_sync(interview=interview, now=now)
    return len(expired)


def interviews_export(user) -> list[dict]:
    """A candidate's interviews, for "download all my data".

    A question the candidate has not reached yet (pending) is listed without its prompt.
    """
    interviews = Interview.objects.for_user(user).prefetch_related("questions__version", "questions__attempt", "topics")
    return [
        {
            "started_at": i.started_at.isoformat(),
            "status": i.status,
            "topics": [t.slug for t in i.topics.all()],
            "questions": [_export_question(q) for q in i.questions.all()],
        }
        for i in interviews
    ]


def _export_question(item: InterviewQuestion) -> dict:
    if item.status == Status.PENDING:
        return {"position": item.position, "status": item.status}
    return {
        "position": item.position,
        "prompt": item.version.prompt,
        "status": item.status,
        "answer": item.draft,
        "score": item.attempt.score if item.attempt else None,
        "seconds_spent": item.seconds_spent,
    }
