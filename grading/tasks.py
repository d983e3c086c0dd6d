from django_tasks import task

from .jobs import grading_job_run


@task()
def grade_attempt(job_id: int) -> str:
    """Ask the LLM grader about one answer (a GradingJob); see grading.jobs."""
    return grading_job_run(job_id=job_id)
