"""Grading jobs: an answer handed to the LLM grader in a background task.

Each job has its own row with a status and the time it started, so a job whose worker died
(killed, machine lost) is noticed instead of waiting for ever: a job still queued or running past
GRADING_JOB_LIMIT_SECONDS is queued once more, and after that given up, keeping the local score.
The check runs when the page polls the job and in `recover_grading_jobs` (cron, every minute).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from practice.models import Attempt, AttemptKeyPoint

from .grader import GraderError, grader_settings, llm_verdict
from .models import GradingJob

MAX_TRIES = 2
logger = logging.getLogger(__name__)


def llm_grading_enabled() -> bool:
    return settings.SCORER_BACKEND == "llm" and grader_settings() is not None


def grading_job_start(*, attempt: Attempt) -> GradingJob | None:
    """Queue the LLM grader for a written answer (when it is on); the task starts after the commit."""
    if not llm_grading_enabled() or attempt.answered_in_head or not attempt.answer.strip():
        return None
    if attempt.version.coding:  # code is judged by its tests (coding app), not graded
        return None
    job = GradingJob.objects.create(attempt=attempt, model=settings.LLM_MODEL)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import grade_attempt  # the task module imports this one

    grade_attempt.enqueue(job_id)


def grading_job_run(*, job_id: int, now: datetime | None = None) -> str:
    """The task's body: ask the grader, then apply its verdict or record why the local score stays."""
    with transaction.atomic():
        job = GradingJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != GradingJob.Status.QUEUED:
            return "skipped"  # done, given up, or already taken by another worker
        job.status, job.started_at, job.tries = GradingJob.Status.RUNNING, now or timezone.now(), job.tries + 1
        job.save(update_fields=["status", "started_at", "tries"])
    attempt = Attempt.objects.select_related("version").get(pk=job.attempt_id)
    labels = list(attempt.key_point_results.values_list("label", flat=True))
    config = grader_settings()
    try:
        if config is None:
            raise GraderError(GradingJob.Failure.NOT_CONFIGURED, "LLM_BASE_URL or LLM_MODEL is not set")
        verdict = llm_verdict(config, version=attempt.version, labels=labels, answer=attempt.answer)
    except GraderError as exc:
        logger.warning("grading job %s failed: %s (%s)", job.pk, exc.code, exc)
        _finish(job, status=GradingJob.Status.FAILED, failure=exc.code, detail=str(exc))
        return "failed"
    with transaction.atomic():
        _apply_verdict(attempt, set(verdict.covered), len(labels))
        _finish(job, status=GradingJob.Status.DONE, covered=list(verdict.covered), feedback=verdict.feedback)
    return "done"


def _apply_verdict(attempt: Attempt, covered: set[int], count: int) -> None:
    """The grader's coverage replaces the local one; a candidate who already corrected the ticks keeps them."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    results = list(attempt.key_point_results.all())
    for result in results:
        result.auto_covered = result.position in covered
        if attempt.rating is None:
            result.covered = result.auto_covered
    AttemptKeyPoint.objects.bulk_update(results, ["auto_covered", "covered"])
    attempt.auto_score = round(len(covered) / count, 4) if count else 0.0
    if attempt.rating is None:
        attempt.score = attempt.auto_score
    attempt.save(update_fields=["auto_score", "score"])


def _finish(job: GradingJob, *, status: str, failure="", detail: str = "", covered=None, feedback: str = "") -> None:
    job.status, job.failure, job.detail, job.finished_at = status, failure, detail[:300], timezone.now()
    job.covered, job.feedback = covered or [], feedback
    job.save(update_fields=["status", "failure", "detail", "finished_at", "covered", "feedback"])


def _stale(now: datetime) -> Q:
    limit = now - timedelta(seconds=settings.GRADING_JOB_LIMIT_SECONDS)
    return Q(status=GradingJob.Status.RUNNING, started_at__lt=limit) | Q(
        status=GradingJob.Status.QUEUED, created_at__lt=limit, tries__gt=0
    )


def grading_jobs_recover(*, now: datetime | None = None, jobs=None) -> dict[str, int]:
    """Jobs running (or re-queued) past the limit lost their worker: queue each once more, then
    give it up with a message. Returns how many were re-queued and how many given up."""
    now = now or timezone.now()
    jobs = GradingJob.objects.all() if jobs is None else jobs
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        for job in jobs.filter(_stale(now)).select_for_update():
            if job.tries < MAX_TRIES:
                job.status, job.created_at = GradingJob.Status.QUEUED, now
                job.save(update_fields=["status", "created_at"])
                transaction.on_commit(lambda pk=job.pk: _enqueue(pk))
                counts["requeued"] += 1
            else:
                _finish(
                    job,
                    status=GradingJob.Status.FAILED,
                    failure=GradingJob.Failure.WORKER_LOST,
                    detail=f"still {job.status} {settings.GRADING_JOB_LIMIT_SECONDS} s after try {job.tries}",
                )
                counts["failed"] += 1
    return counts
