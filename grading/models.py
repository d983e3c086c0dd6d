"""The glossary editors extend, and the LLM grader's jobs and cached results."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practice.models import Attempt


class GlossaryConcept(models.Model):
    """A concept added by an editor, or more terms for a built-in one (same key)."""

    key = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_("A short English name such as gpu-memory. The key of a built-in concept adds these terms to it."),
    )
    zh_terms = models.TextField(_("Chinese terms"), blank=True, help_text=_("Comma-separated or one per line."))
    en_terms = models.TextField(
        _("English terms"), blank=True, help_text=_("Comma-separated or one per line, abbreviations too.")
    )
    broader = models.CharField(
        _("broader concepts"),
        max_length=300,
        blank=True,
        help_text=_("Keys of concepts this one is a kind of (weight decay: regularization), comma-separated."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("glossary concept")
        verbose_name_plural = _("glossary concepts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(zh_terms="", en_terms=""),
                name="glossary_concept_has_terms",
                violation_error_message=_("Give at least one Chinese or English term."),
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def clean(self):
        from .glossary import load_data_file, split_terms

        known = set(load_data_file()) | set(GlossaryConcept.objects.values_list("key", flat=True)) | {self.key}
        if unknown := [key for key in split_terms(self.broader) if key not in known]:
            raise ValidationError({"broader": _("No concept has the key %(keys)s.") % {"keys": ", ".join(unknown)}})


class GradingJob(models.Model):
    """One answer sent to the LLM grader: its own record, so a worker killed mid-job is noticed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="grading_job")
    model = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    tries = models.PositiveSmallIntegerField(default=0)
    # Positions of the key points the grader found covered, and its feedback to the candidate.
    covered = models.JSONField(default=list, blank=True)
    feedback = models.TextField(blank=True)

    class Failure(models.TextChoices):
        TIMEOUT = "timeout", _("the grader did not answer in time")
        ERROR = "error", _("the grader answered with an error")
        MALFORMED = "malformed", _("the grader's reply was not in the expected form")
        WORKER_LOST = "worker_lost", _("the grading worker stopped")
        NOT_CONFIGURED = "not_configured", _("the grader is not configured")

    # Why the local score was kept, and the technical detail for the logs and the admin.
    failure = models.CharField(max_length=20, choices=Failure.choices, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="grading_job_finished_has_time",
            ),
        ]
        indexes = [
            # The sweep for jobs stuck in the queue or left running by a lost worker.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["queued", "running"]),
                name="grading_job_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class GradedAnswer(models.Model):
    """The grader's verdict, cached per question version, answer and model (the key is their hash)."""

    cache_key = models.CharField(max_length=64, unique=True)
    covered = models.JSONField(default=list)
    feedback = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.cache_key[:12]
