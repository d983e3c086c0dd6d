"""Code runs: a candidate's code judged against a question version's tests, in a task worker."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practice.models import Attempt
from questions.models import Question, QuestionVersion


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    WRONG_ANSWER = "wrong_answer", _("Wrong answer")
    RUNTIME_ERROR = "runtime_error", _("Runtime error")
    TIME_LIMIT = "time_limit", _("Time limit exceeded")
    MEMORY_LIMIT = "memory_limit", _("Memory limit exceeded")
    OUTPUT_LIMIT = "output_limit", _("Output limit exceeded")
    # A question without tests: the code ran without an error; the candidate compares it themselves.
    RAN = "ran", _("Ran")
    NOT_RUN = "not_run", _("Not run")


class CodeRunQuerySet(models.QuerySet):
    def for_user(self, user):
        """A candidate's own runs, never anyone else's."""
        return self.filter(user=user)

    def pending(self):
        """Runs waiting for a worker or being run."""
        return self.filter(status__in=[CodeRun.Status.QUEUED, CodeRun.Status.RUNNING])

    def stale(self, now=None):
        """Pending runs untouched for longer than CODE_RUN_STALE_SECONDS: their worker died or never came."""
        limit = (now or timezone.now()) - timedelta(seconds=settings.CODE_RUN_STALE_SECONDS)
        return self.pending().filter(changed_at__lt=limit)


class CodeRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        SAMPLES = "samples", _("Run samples")
        SUBMIT = "submit", _("Submit")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_runs")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="code_runs")
    # The tests come from this frozen version, whatever editors change meanwhile.
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="code_runs")
    # The judged submission of an answer (practice or interview): dashboards count these.
    attempt = models.OneToOneField(
        Attempt, on_delete=models.CASCADE, null=True, blank=True, related_name="code_run"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    verdict = models.CharField(max_length=15, choices=Verdict.choices, blank=True)
    # [{"name", "hidden", "verdict", "seconds", "memory_kb", and for samples "expected", "got", "error", "output"}]
    tests = models.JSONField(default=list, blank=True)
    passed = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)  # the slowest test's CPU time
    memory_kb = models.PositiveIntegerField(null=True, blank=True)  # the largest test's peak memory
    message = models.TextField(blank=True)  # why a run failed, for the candidate
    # How many times a worker has taken it: a run found stale is queued again once, then failed.
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the status last changed: what the stale check measures.
    changed_at = models.DateTimeField(default=timezone.now)

    objects = CodeRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(verdict=""), name="coderun_done_has_verdict"
            ),
            models.CheckConstraint(condition=Q(passed__lte=models.F("total")), name="coderun_passed_within_total"),
        ]
        indexes = [
            # The per-user limit on pending runs, and the sweep for stale ones.
            models.Index(fields=["user", "status"], name="coderun_user_status_idx"),
            models.Index(fields=["changed_at"], condition=Q(status__in=["queued", "running"]), name="coderun_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question_id} · {self.get_purpose_display()} · {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
