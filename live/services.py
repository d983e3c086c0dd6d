"""Every change to a live session happens here, on the server, under the session row's lock.

States: created (invite out) → joined (the candidate came in through the invite) → running ⇄ paused →
finished; any open session becomes abandoned when nothing happens in it for LIVE_IDLE_MINUTES (the
sweep, run by a command and lazily on every visit). When a session closes, each question the
interviewer rated becomes one of the candidate's attempts, rated through the practice services
(so it counts in dashboards and in the FSRS schedule), and the whole session becomes one of the
candidate's mock interviews.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews.models import Interview, InterviewQuestion
from practice.models import Mode
from practice.services import attempt_rate, attempt_record
from questions.models import Question

from .models import LiveQuestion, LiveSession, new_invite_token

Status = LiveSession.Status


class LiveError(Exception):
    """A request the session's state refuses; the message is for the person who made it."""


class InviteRefused(LiveError):
    pass


@dataclass(frozen=True)
class SessionChoice:
    """Questions picked by hand, or `count` drawn at random from `topics` (none: all topics)."""

    seconds_per_question: int
    questions: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    count: int | None = None


def _invite_expiry(now: datetime) -> datetime:
    return now + timedelta(minutes=settings.LIVE_INVITE_MINUTES)


def _draw(*, topics, count: int, rng) -> list[Question]:
    pool = Question.objects.published().exclude(current_version=None)
    if topics:
        pool = pool.filter(topic__in=topics)
    # Ids only: a bank of 100,000 questions is 100,000 integers here, not 100,000 model objects.
    ids = list(pool.order_by("id").values_list("id", flat=True))
    if not ids:
        raise LiveError(_("There are no published questions in the topics you chose."))
    chosen = rng.sample(ids, min(count, len(ids)))
    by_id = Question.objects.in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def _add_questions(session: LiveSession, questions: list[Question]) -> None:
    LiveQuestion.objects.bulk_create(
        LiveQuestion(session=session, position=i, question=q, version_id=q.current_version_id)
        for i, q in enumerate(questions, start=1)
    )


@transaction.atomic
def live_session_create(*, interviewer, choice: SessionChoice, now: datetime | None = None, rng=None) -> LiveSession:
    """A new session with its questions and an invite link for the candidate."""
    now = now or timezone.now()
    if choice.questions:
        questions = [q for q in choice.questions if q.current_version_id and q.is_published]
        if not questions:
            raise LiveError(_("None of the questions you picked can be asked."))
    else:
        questions = _draw(topics=choice.topics, count=choice.count or 1, rng=rng or random.SystemRandom())
    session = LiveSession.objects.create(
        interviewer=interviewer,
        seconds_per_question=choice.seconds_per_question,
        drawn_count=None if choice.questions else choice.count,
        invite_expires_at=_invite_expiry(now),
        created_at=now,
        updated_at=now,
    )
    session.topics.set(choice.topics)
    _add_questions(session, questions)
    return session


def _locked(session: LiveSession) -> LiveSession:
    # Lock only the session row: the candidate is a nullable (outer) join, which PostgreSQL cannot lock.
    return (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("interviewer", "candidate")
        .get(pk=session.pk)
    )


def _changed(session: LiveSession, now: datetime, *fields: str) -> None:
    """Save a change both screens must show: a new version, so every poll sees it."""
    session.version += 1
    session.updated_at = now
    session.save(update_fields=[*fields, "version", "updated_at"])


def _refuse_unless(session: LiveSession, *statuses: str) -> None:
    if session.status in statuses:
        return
    if not session.is_open:
        raise LiveError(_("This session has ended."))
    raise LiveError(_("The session cannot do that now (it is %(status)s).") % {"status": session.get_status_display()})


@transaction.atomic
def invite_revoke(*, session: LiveSession, now: datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    session = _locked(session)
    _refuse_unless(session, Status.CREATED)
    session.invite_revoked_at = session.invite_revoked_at or now
    _changed(session, now, "invite_revoked_at")
    return session


@transaction.atomic
def invite_renew(*, session: LiveSession, now: datetime | None = None) -> LiveSession:
    """A fresh link (the old one stops working) valid for LIVE_INVITE_MINUTES from now."""
    now = now or timezone.now()
    session = _locked(session)
    _refuse_unless(session, Status.CREATED)
    session.invite_token = new_invite_token()
    session.invite_expires_at = _invite_expiry(now)
    session.invite_revoked_at = None
    _changed(session, now, "invite_token", "invite_expires_at", "invite_revoked_at")
    return session


def invite_refusal(session: LiveSession, user, now: datetime) -> str | None:
    """Why this user cannot join through this invite now, in words for them; None if they can."""
    state = session.invite_state(now)
    if state == "used" and user.pk == session.candidate_id:
        return None  # they already joined: the link takes them back in
    if user.pk == session.interviewer_id:
        return _("This is your own invite link: send it to the person you will interview.")
    if state == "used":
        return _("This invite link has already been used.")
    if state == "revoked":
        return _("This invite link was revoked by the interviewer. Ask them for a new one.")
    if state == "expired":
        return _("This invite link expired. Ask the interviewer for a new one.")
    return None


@transaction.atomic
def live_session_join(*, session: LiveSession, user, now: datetime | None = None) -> LiveSession:
    """The first person through a valid invite becomes the candidate; the link is then used up."""
    now = now or timezone.now()
    session = _locked(session)
    if refusal := invite_refusal(session, user, now):
        raise InviteRefused(refusal)
    if session.candidate_id == user.pk:
        return session
    session.candidate = user
    session.status = Status.JOINED
    session.joined_at = now
    _changed(session, now, "candidate", "status", "joined_at")
    return session


@transaction.atomic
def clock_start(*, session: LiveSession, now: datetime | None = None) -> LiveSession:
    """Start the first question, or resume the paused clock."""
    now = now or timezone.now()
    session = _locked(session)
    _refuse_unless(session, Status.JOINED, Status.PAUSED, Status.RUNNING)
    if session.status == Status.RUNNING:
        return session  # a double click
    if session.status == Status.JOINED:
        session.position, session.started_at, session.clock_elapsed = 1, now, 0
        session.questions.filter(position=1).update(opened_at=now)
    session.status, session.clock_started_at = Status.RUNNING, now
    _changed(session, now, "position", "started_at", "clock_elapsed", "status", "clock_started_at")
    return session


@transaction.atomic
def clock_pause(*, session: LiveSession, now: datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    session = _locked(session)
    _refuse_unless(session, Status.RUNNING, Status.PAUSED)
    if session.status == Status.PAUSED:
        return session
    session.clock_elapsed = session.elapsed(now)
    session.status, session.clock_started_at = Status.PAUSED, None
    _changed(session, now, "clock_elapsed", "status", "clock_started_at")
    return session


def _stop_current(session: LiveSession, now: datetime) -> None:
    """Keep the time spent on the current question."""
    if session.position:
        session.questions.filter(position=session.position).update(seconds_spent=session.elapsed(now))


@transaction.atomic
def question_next(*, session: LiveSession, position: int, now: datetime | None = None) -> LiveSession:
    """Leave question `position` for the next one, with a fresh running clock.

    `position` is the question the interviewer was looking at: a second click, or one from a
    stale screen, changes nothing.
    """
    now = now or timezone.now()
    session = _locked(session)
    _refuse_unless(session, Status.RUNNING, Status.PAUSED)
    if position != session.position:
        return session
    if not session.questions.filter(position=position + 1).exists():
        raise LiveError(_("This is the last question: finish the session instead."))
    _stop_current(session, now)
    session.position += 1
    session.questions.filter(position=session.position).update(opened_at=now)
    session.status, session.clock_elapsed, session.clock_started_at = Status.RUNNING, 0, now
    _changed(session, now, "position", "status", "clock_elapsed", "clock_started_at")
    return session


def _reached(session: LiveSession, position: int) -> None:
    if not 1 <= position <= session.position:
        raise LiveError(_("That question has not been asked yet."))


@transaction.atomic
def question_assess(
    *,
    session: LiveSession,
    position: int,
    ticked: set[int],
    notes: str,
    rating: int | None,
    now: datetime | None = None,
) -> LiveQuestion:
    """The interviewer's ticks, private notes and rating of an asked question (kept while the session is open).

    None of it is on the candidate's screen, so neither poll needs to change: no new version.
    """
    now = now or timezone.now()
    session = _locked(session)
    _refuse_unless(session, Status.RUNNING, Status.PAUSED)
    _reached(session, position)
    item = session.questions.select_related("version").get(position=position)
    item.ticked = sorted(i for i in ticked if 0 <= i < len(item.version.key_points))
    item.notes, item.rating = notes, rating
    item.save(update_fields=["ticked", "notes", "rating"])
    LiveSession.objects.filter(pk=session.pk).update(updated_at=now)
    return item


@transaction.atomic
def hint_reveal(*, session: LiveSession, position: int, text: str, now: datetime | None = None) -> datetime:
    """Show the interviewer's hint on the candidate's screen (a second hint replaces the first). Returns when."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise LiveError(_("Write the hint first."))
    session = _locked(session)
    _refuse_unless(session, Status.RUNNING, Status.PAUSED)
    if position != session.position:
        raise LiveError(_("A hint can only be given for the current question."))
    item = session.questions.get(position=position)
    item.hint, item.hint_revealed_at = text, now
    item.save(update_fields=["hint", "hint_revealed_at"])
    _changed(session, now)
    return now


def scratch_save(*, session: LiveSession, position: int, text: str, now: datetime | None = None) -> datetime:
    """Keep the candidate's scratch text of the current question, for the interviewer's screen.

    Two single UPDATEs, no lock: the WHERE admits only the current question of a session that
    is running or paused, and only the interviewer's poll (`scratch_version`) has to notice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session_rows = LiveSession.objects.filter(
            pk=session.pk, position=position, status__in=[Status.RUNNING, Status.PAUSED]
        ).update(scratch_version=F("scratch_version") + 1, updated_at=now)
        if not session_rows:
            raise LiveError(_("This question is closed: your notes for it were kept as they were."))
        LiveQuestion.objects.filter(session=session, position=position).update(scratch=text)
    return now


def _as_interview_question(interview: Interview, item: LiveQuestion, limit: int) -> InterviewQuestion:
    opened = item.opened_at
    return InterviewQuestion(
        interview=interview,
        position=item.position,
        question_id=item.question_id,
        version_id=item.version_id,
        status=InterviewQuestion.Status.ANSWERED if item.attempt_id else InterviewQuestion.Status.UNANSWERED,
        opened_at=opened,
        deadline=opened + timedelta(seconds=limit) if opened else None,
        closed_at=opened + timedelta(seconds=item.seconds_spent or 0) if opened else None,
        draft=item.scratch,
        attempt_id=item.attempt_id,
    )


def _record_for_candidate(session: LiveSession, now: datetime) -> None:
    """The candidate's side: rated questions become rated attempts, and the session a mock interview."""
    items = list(session.questions.select_related("question", "version"))
    for item in items:
        if item.rating is None or item.position > session.position:
            continue
        attempt = attempt_record(
            user=session.candidate,
            question=item.question,
            version=item.version,
            answer=item.scratch,
            mode=Mode.INTERVIEW,
            seconds_taken=item.seconds_spent or 0,
            now=item.opened_at or now,
        )
        item.attempt = attempt_rate(attempt=attempt, covered_positions=set(item.ticked), rating=item.rating, now=now)
        item.save(update_fields=["attempt"])
    started = session.started_at or now
    interview = Interview.objects.create(
        user=session.candidate,
        status=Interview.Status.FINISHED if session.status == Status.FINISHED else Interview.Status.ABANDONED,
        seconds_per_question=session.seconds_per_question,
        started_at=started,
        deadline=max(now, started + timedelta(seconds=1)),
        finished_at=now,
    )
    interview.topics.set(session.topics.all())
    InterviewQuestion.objects.bulk_create(
        _as_interview_question(interview, item, session.seconds_per_question) for item in items
    )
    session.interview = interview


def _close(session: LiveSession, status: str, now: datetime, *also: str) -> None:
    """End the session (saving `also` fields changed with it) and record it for the candidate."""
    if session.status in (Status.RUNNING, Status.PAUSED):
        _stop_current(session, now)
    session.status, session.finished_at, session.clock_started_at = status, now, None
    if session.candidate_id and session.has_begun:
        _record_for_candidate(session, now)
    _changed(session, now, "status", "finished_at", "clock_started_at", "interview", *also)


@transaction.atomic
def live_session_finish(*, session: LiveSession, feedback: str, now: datetime | None = None) -> LiveSession:
    """The interviewer ends the session with overall feedback. Before anyone joined it is simply cancelled."""
    now = now or timezone.now()
    session = _locked(session)
    if not session.is_open:
        return session  # a double click
    session.feedback = feedback
    _close(session, Status.FINISHED if session.candidate_id else Status.ABANDONED, now, "feedback")
    return session


def live_session_close_if_idle(*, session: LiveSession, now: datetime | None = None) -> LiveSession:
    """Abandon the session if nothing happened in it for LIVE_IDLE_MINUTES (what the sweep does to one)."""
    now = now or timezone.now()
    if not session.is_idle(now):
        return session  # the common case, decided without a query
    with transaction.atomic():
        session = _locked(session)
        if session.is_idle(now):
            _close(session, Status.ABANDONED, now)
    return session


def live_sessions_close_idle(*, now: datetime | None = None, dry_run: bool = False, sessions=None) -> int:
    """The sweep: abandon every open session (of `sessions`, default all) left idle too long. Returns how many."""
    now = now or timezone.now()
    sessions = LiveSession.objects.all() if sessions is None else sessions
    idle = list(sessions.idle(now).order_by("pk"))
    if not dry_run:
        for session in idle:
            live_session_close_if_idle(session=session, now=now)
    return len(idle)


@transaction.atomic
def live_session_swap(*, session: LiveSession, now: datetime | None = None, rng=None) -> LiveSession:
    """A second session between the same two people with the roles swapped; asked again, the same one.

    Questions drawn at random are drawn again from the same topics; questions picked by hand are asked again.
    """
    now = now or timezone.now()
    session = _locked(session)
    if session.swapped_into_id:
        return session.swapped_into
    if session.is_open or session.candidate_id is None:
        raise LiveError(_("Roles can be swapped once a session with a candidate has ended."))
    topics = list(session.topics.all())
    if session.drawn_count:
        questions = _draw(topics=topics, count=session.drawn_count, rng=rng or random.SystemRandom())
    else:
        questions = [lq.question for lq in session.questions.select_related("question")]
    second = LiveSession.objects.create(
        interviewer=session.candidate,
        candidate=session.interviewer,
        status=Status.JOINED,
        seconds_per_question=session.seconds_per_question,
        drawn_count=session.drawn_count,
        invite_expires_at=now,
        created_at=now,
        joined_at=now,
        updated_at=now,
    )
    second.topics.set(topics)
    _add_questions(second, questions)
    session.swapped_into = second
    _changed(session, now, "swapped_into")
    return second
