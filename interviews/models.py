"""Timed mock interviews. Every deadline lives here, in the database, set by the server."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practice.models import Attempt
from questions.models import Question, QuestionVersion, Topic


class InterviewQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def in_progress(self):
        return self.filter(status=Interview.Status.IN_PROGRESS)

    def expired(self, now):
        """In progress past the last moment any of its answers could still be accepted."""
        return self.in_progress().filter(deadline__lt=now - timedelta(seconds=settings.INTERVIEW_GRACE_SECONDS))

    def running(self, now):
        """In progress and still accepting answers (the complement of `expired` among those in progress)."""
        return self.in_progress().filter(deadline__gte=now - timedelta(seconds=settings.INTERVIEW_GRACE_SECONDS))

    def with_results(self):
        """Each interview with its average coverage over answered questions and its counts."""
        return self.annotate(
            avg_score=Avg("questions__attempt__score"),
            answered_count=Count("questions", filter=Q(questions__status=InterviewQuestion.Status.ANSWERED)),
            total_count=Count("questions"),
        )


class Interview(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")
        ABANDONED = "abandoned", _("Abandoned")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    topics = models.ManyToManyField(Topic, blank=True, help_text=_("Empty: all topics."))
    favour_weak_topics = models.BooleanField(default=False)
    # Exactly one of the two limits is set.
    seconds_per_question = models.PositiveIntegerField(null=True, blank=True)
    total_seconds = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    # start + limit: no answer is accepted after it (plus a short grace for the network).
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seconds_per_question__isnull=False, total_seconds__isnull=True)
                | Q(seconds_per_question__isnull=True, total_seconds__isnull=False),
                name="interview_one_time_limit",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("started_at")), name="interview_deadline_after_start"
            ),
            # One interview at a time: a second tab resumes the same one.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="in_progress"), name="interview_one_in_progress_per_user"
            ),
        ]
        indexes = [
            # Past interviews of a candidate, newest first.
            models.Index(fields=["user", "-started_at"], name="interview_user_recent_idx"),
            # The sweep that closes interviews whose deadline passed.
            models.Index(fields=["deadline"], condition=Q(status="in_progress"), name="interview_open_deadline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.started_at:%Y-%m-%d %H:%M} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("interview_detail", args=[self.pk])

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class InterviewQuestion(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Not reached")
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        UNANSWERED = "unanswered", _("Unanswered")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # What was asked: the report shows this version, whatever editors do later.
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    opened_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    draft = models.TextField(blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    attempt = models.OneToOneField(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="interview_question"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "position"], name="interview_question_unique_position"),
            models.UniqueConstraint(fields=["interview", "question"], name="interview_question_asked_once"),
            models.CheckConstraint(
                condition=~Q(status__in=["open", "answered"]) | Q(opened_at__isnull=False, deadline__isnull=False),
                name="interview_question_opened_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interview_id} #{self.position}: {self.get_status_display()}"

    @property
    def seconds_spent(self) -> int | None:
        if self.opened_at and self.closed_at:
            return max(0, int((self.closed_at - self.opened_at).total_seconds()))
        return None
