"""Live mock interviews: an interviewer asks, a candidate answers aloud, both on their own screens.

Everything either screen shows lives in these rows, so any app server can serve either person and a
reload or another device resumes where the session is. Every change that the candidate's screen
shows bumps `version`; the candidate's scratch text bumps `scratch_version` (only the interviewer
sees it). The screens poll with an ETag made of both, so an unchanged poll is one small query.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.models import Interview
from practice.models import Attempt, Rating
from questions.models import Question, QuestionVersion, Topic


def new_public_id() -> str:
    """The session's name in URLs: 128 random bits, never a database id."""
    return secrets.token_urlsafe(16)


def new_invite_token() -> str:
    return secrets.token_urlsafe(24)


OPEN_STATUSES = ("created", "joined", "running", "paused")


def idle_before(now: datetime) -> datetime:
    """An open session untouched since before this moment is abandoned (LIVE_IDLE_MINUTES)."""
    return now - timedelta(minutes=settings.LIVE_IDLE_MINUTES)


class LiveSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Sessions the user is in, as interviewer or candidate; nobody else's."""
        return self.filter(Q(interviewer=user) | Q(candidate=user))

    def run_by(self, user):
        """Sessions the user ran as the interviewer, newest first."""
        return self.filter(interviewer=user).order_by("-created_at")

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def idle(self, now: datetime):
        """Open sessions nothing has happened in for LIVE_IDLE_MINUTES: the sweep closes them."""
        return self.open().filter(updated_at__lt=idle_before(now))


class LiveSession(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", _("Waiting for the candidate")
        JOINED = "joined", _("Ready to start")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        FINISHED = "finished", _("Finished")
        ABANDONED = "abandoned", _("Abandoned")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CREATED)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    # How the questions were chosen, so that "swap roles" can choose the same way again.
    drawn_count = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Empty: picked by hand."))
    seconds_per_question = models.PositiveIntegerField()

    invite_token = models.CharField(max_length=64, unique=True, default=new_invite_token, editable=False)
    invite_expires_at = models.DateTimeField()
    invite_revoked_at = models.DateTimeField(null=True, blank=True)

    # The clock of the current question: seconds used before the last start, and when it last started.
    position = models.PositiveSmallIntegerField(default=0, help_text=_("0: not started yet."))
    clock_elapsed = models.PositiveIntegerField(default=0)
    clock_started_at = models.DateTimeField(null=True, blank=True)

    feedback = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    scratch_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Any change by either person; the sweep abandons sessions idle for too long.
    updated_at = models.DateTimeField(default=timezone.now)
    # The candidate's record as a mock interview (dashboards), made when the session closes.
    interview = models.OneToOneField(
        Interview, on_delete=models.SET_NULL, null=True, blank=True, related_name="live_session"
    )
    # The second session with the roles swapped.
    swapped_into = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="swapped_from"
    )

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(candidate=models.F("interviewer")), name="live_candidate_is_not_interviewer"
            ),
            # Only a created (or abandoned before anyone joined) session has no candidate.
            models.CheckConstraint(
                condition=Q(candidate__isnull=False) | Q(status__in=["created", "abandoned"]),
                name="live_joined_has_candidate",
            ),
            models.CheckConstraint(
                condition=Q(seconds_per_question__gte=60, seconds_per_question__lte=3600),
                name="live_seconds_per_question_range",
            ),
            # The clock runs only while the session does.
            models.CheckConstraint(
                condition=Q(clock_started_at__isnull=True) | Q(status="running"), name="live_clock_runs_when_running"
            ),
        ]
        indexes = [
            # The sessions an interviewer ran, newest first.
            models.Index(fields=["interviewer", "-created_at"], name="live_interviewer_recent_idx"),
            # The sessions a candidate was in, newest first.
            models.Index(fields=["candidate", "-created_at"], name="live_candidate_recent_idx"),
            # The sweep of idle open sessions.
            models.Index(fields=["updated_at"], condition=Q(status__in=OPEN_STATUSES), name="live_open_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} → {self.candidate or '…'} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("live_session", args=[self.public_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_idle(self, now: datetime) -> bool:
        return self.is_open and self.updated_at < idle_before(now)

    @property
    def has_begun(self) -> bool:
        return self.position > 0

    def role_of(self, user) -> str | None:
        if user.pk == self.interviewer_id:
            return "interviewer"
        if user.pk == self.candidate_id:
            return "candidate"
        return None

    def elapsed(self, now: datetime) -> int:
        """Seconds used on the current question, counting the running clock."""
        running = int((now - self.clock_started_at).total_seconds()) if self.clock_started_at else 0
        return self.clock_elapsed + max(0, running)

    def remaining(self, now: datetime) -> int:
        return max(0, self.seconds_per_question - self.elapsed(now))

    def invite_state(self, now: datetime) -> str:
        """What the invite link does now: "valid", "used", "revoked" or "expired"."""
        if self.candidate_id is not None or self.status != self.Status.CREATED:
            return "used"
        if self.invite_revoked_at is not None:
            return "revoked"
        if now >= self.invite_expires_at:
            return "expired"
        return "valid"


class LiveQuestion(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # What was asked, whatever editors change later.
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    # Only the interviewer's: key points ticked (positions in version.key_points), notes, rating.
    ticked = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    # Written by the interviewer; the candidate sees it once revealed.
    hint = models.TextField(blank=True)
    hint_revealed_at = models.DateTimeField(null=True, blank=True)
    # The candidate's scratch box (or code), which the interviewer watches.
    scratch = models.TextField(blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(null=True, blank=True)
    # The candidate's attempt, recorded when the session closes (rated questions only).
    attempt = models.OneToOneField(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="live_question"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="live_question_unique_position"),
            models.UniqueConstraint(fields=["session", "question"], name="live_question_asked_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=4), name="live_question_rating_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(hint_revealed_at__isnull=True) | ~Q(hint=""), name="live_question_revealed_hint_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.position}"

    def key_point_rows(self) -> list[dict]:
        """The version's key points, each with its position and whether the interviewer ticked it."""
        ticked = set(self.ticked)
        return [{**kp, "position": i, "ticked": i in ticked} for i, kp in enumerate(self.version.key_points)]

    @property
    def coverage(self) -> float | None:
        points = len(self.version.key_points)
        return len(set(self.ticked)) / points if points else None
