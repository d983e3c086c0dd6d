from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from practice.models import Attempt
from quizsite.htmx import HtmxHttpRequest

from .jobs import grading_jobs_recover
from .models import GradingJob


def _get_graded_attempt_for_user(request: HtmxHttpRequest, pk: int) -> Attempt:
    """The candidate's own attempt that has a grading job; anything else is a 404."""
    attempt = get_object_or_404(Attempt.objects.for_user(request.user).select_related("grading_job", "version"), pk=pk)
    if not hasattr(attempt, "grading_job"):
        raise Http404("no grading job")
    return attempt


@login_required
@require_GET
def grading_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The LLM grader's progress on an answer; htmx polls it until the verdict is in."""
    attempt = _get_graded_attempt_for_user(request, pk)
    job = attempt.grading_job
    if job.is_open and grading_jobs_recover(jobs=GradingJob.objects.filter(pk=job.pk)) != {"requeued": 0, "failed": 0}:
        job.refresh_from_db()
    context = {"attempt": attempt, "job": job}
    if not request.htmx:
        return render(request, "grading/status.html", context)
    response = render(request, "grading/status.html#status", context)
    if not job.is_open:
        # The page around the poll shows the verdict's ticks and score by reloading its part.
        response["HX-Trigger"] = "grading-finished"
    return response
