import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from coding.services import attempt_judge, run_suggested_rating
from practice.forms import RateForm
from practice.models import Rating
from practice.scheduling import suggested_rating
from quizsite.htmx import HtmxHttpRequest

from .forms import AnswerForm, InterviewSetupForm
from .models import Interview, InterviewQuestion
from .reference import reference_withheld
from .services import (
    InterviewError,
    TooLate,
    answer_autosave,
    answer_submit,
    interview_abandon,
    interview_assess,
    interview_serve,
    interview_start,
    interview_summary,
    interview_sync,
)


def reference_withheld_response(request: HtmxHttpRequest, message: str) -> HttpResponse:
    """Instead of a page with reference material that interviews.reference withholds: back to the interview."""
    messages.warning(request, message)
    running = Interview.objects.for_user(request.user).in_progress().first()
    target = running.get_absolute_url() if running else reverse("practice_home")
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


def _reference_withheld_in(interview: Interview, user) -> bool:
    return bool(reference_withheld(user=user, question_ids=interview.questions.values("question_id")))


REPORT_WITHHELD = _lazy("A question of this report is in your mock interview in progress: finish that interview first.")


def _get_interview_for_user(request: HtmxHttpRequest, pk: int) -> Interview:
    """The candidate's own interview, as stored. Another candidate's is a 404, never a 403."""
    return get_object_or_404(Interview.objects.for_user(request.user), pk=pk)


def _get_synced_interview_for_user(request: HtmxHttpRequest, pk: int) -> Interview:
    """The candidate's interview with the clock applied (questions past their time closed)."""
    return interview_sync(interview=_get_interview_for_user(request, pk))


def _get_served_interview_for_user(request: HtmxHttpRequest, pk: int) -> Interview:
    """The candidate's interview with the clock applied and its next question open: serving
    a question is what starts its own clock."""
    return interview_serve(interview=_get_interview_for_user(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request: HtmxHttpRequest) -> HttpResponse:
    """The set-up form; a link may prefill its topics (`?topic=slug`)."""
    running = Interview.objects.for_user(request.user).in_progress().first()
    if request.method == "GET":
        form = InterviewSetupForm.prefilled(request.GET)
    else:
        form = InterviewSetupForm(request.POST)
        if form.is_valid():
            try:
                interview = interview_start(user=request.user, choice=form.settings())
            except InterviewError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(interview)
    return render(request, "interviews/new.html", {"form": form, "running": running})


INTERVIEWS_PER_PAGE = 25


@login_required
@require_GET
def interview_list(request: HtmxHttpRequest) -> HttpResponse:
    running = Interview.objects.for_user(request.user).in_progress().first()
    if running is not None:
        interview_sync(interview=running)
    # Aggregating drops Meta.ordering: newest first, explicitly.
    interviews = (
        Interview.objects.for_user(request.user).with_results().order_by("-started_at").prefetch_related("topics")
    )
    page = Paginator(interviews, INTERVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "interviews/list.html", {"interviews": page})


def _question_context(interview: Interview, form=None) -> dict:
    items = list(interview.questions.select_related("version"))
    current = next(item for item in items if item.status == InterviewQuestion.Status.OPEN)
    # Rounded up, so the browser's countdown never reaches 0:00 before the server's deadline.
    remaining = max(0, math.ceil((current.deadline - timezone.now()).total_seconds()))
    previous = next((item for item in items if item.position == current.position - 1), None)
    return {
        "interview": interview,
        "item": current,
        "total": len(items),
        "remaining": remaining,
        "timed_out_before": previous if previous is not None and previous.timed_out else None,
        "form": form or AnswerForm(initial={"answer": current.draft}),
    }


@login_required
@require_GET
def interview_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interview = _get_served_interview_for_user(request, pk)
    if not interview.is_in_progress:
        return redirect("interview_report", pk=interview.pk)
    template = "interviews/question.html#question" if request.htmx else "interviews/question.html"
    return render(request, template, _question_context(interview))


@login_required
@require_POST
def answer_draft(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    """The autosave: a small partial saying when the draft was saved, or why it was refused."""
    form = AnswerForm(request.POST)
    status, context = 200, {}
    if not form.is_valid() or form.answer_or_none() is None:
        _get_interview_for_user(request, pk)
        error = form.errors["answer"][0] if form.errors else _("No answer was sent, so your saved draft was kept.")
        status, context["error"] = 422, error
    else:
        try:
            context["saved_at"] = answer_autosave(
                user=request.user, interview_id=pk, position=position, text=form.cleaned_data["answer"]
            )
        except Interview.DoesNotExist:
            raise Http404 from None
        except InterviewError as exc:
            status, context["error"] = 409, str(exc)
    if not request.htmx:
        if "error" in context:
            messages.error(request, context["error"])
        return redirect("interview_detail", pk=pk)
    return render(request, "interviews/question.html#save-state", context, status=status)


@login_required
@require_POST
def answer_next(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        interview = _get_served_interview_for_user(request, pk)
        if not interview.is_in_progress:
            return redirect("interview_report", pk=interview.pk)
        template = "interviews/question.html#question" if request.htmx else "interviews/question.html"
        return render(request, template, _question_context(interview, form), status=422)
    interview = _get_interview_for_user(request, pk)
    try:
        interview = answer_submit(interview=interview, position=position, text=form.answer_or_none())
    except TooLate as exc:
        messages.warning(request, str(exc))
    except InterviewError as exc:
        messages.error(request, str(exc))
    target = interview.get_absolute_url() if interview.is_in_progress else reverse("interview_report", args=[pk])
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@login_required
@require_POST
def interview_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interview = interview_abandon(interview=_get_interview_for_user(request, pk))
    return redirect("interview_report", pk=interview.pk)


def _report_items(interview: Interview) -> list[InterviewQuestion]:
    """The interview's questions with their key points as answered."""
    items = list(
        interview.questions.select_related(
            "version", "question__topic", "attempt__version", "attempt__grading_job", "attempt__code_run"
        ).prefetch_related("attempt__key_point_results")
    )
    for item in items:
        item.key_points = item.attempt.key_point_rows() if item.attempt else item.version.key_points
        item.suggested = suggested_rating(item.attempt.auto_score) if item.attempt else None
        # A coding answer's verdict (judged on first view) suggests the rating instead.
        item.code_run = attempt_judge(attempt=item.attempt) if item.attempt else None
        if item.code_run:
            item.suggested = run_suggested_rating(item.code_run)
    return items


@login_required
@require_GET
def interview_report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interview = _get_synced_interview_for_user(request, pk)
    if interview.is_in_progress:
        return redirect(interview)
    if _reference_withheld_in(interview, request.user):
        return reference_withheld_response(request, REPORT_WITHHELD)
    items = _report_items(interview)
    context = {
        "interview": interview,
        "items": items,
        "summary": interview_summary(interview=interview),
        "to_assess": [item for item in items if item.attempt and item.attempt.rating is None],
        "rating_choices": Rating.choices,
    }
    return render(request, "interviews/report.html", context)


@login_required
@require_POST
def report_assess(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One self-assessment for the whole report: per answered question, the corrected key points
    and a recall rating. A question left without a rating stays unassessed."""
    interview = _get_synced_interview_for_user(request, pk)
    if interview.is_in_progress:
        return redirect(interview)
    if _reference_withheld_in(interview, request.user):
        return reference_withheld_response(request, REPORT_WITHHELD)
    assessments = {}
    # The points an attempt was scored on: its version's key points, or ones derived from its reference.
    answered = interview.questions.filter(attempt__isnull=False).annotate(
        point_count=Count("attempt__key_point_results")
    )
    for item in answered:
        form = RateForm(
            {
                "rating": request.POST.get(f"rating-{item.position}"),
                "covered": request.POST.getlist(f"covered-{item.position}"),
            },
            key_point_count=item.point_count,
        )
        if form.is_valid():
            assessments[item.position] = (set(form.cleaned_data["covered"]), form.cleaned_data["rating"])
    if assessments:
        rated = interview_assess(interview=interview, assessments=assessments)
        message = ngettext(
            "Your self-assessment is saved: %(n)d question rated.",
            "Your self-assessment is saved: %(n)d questions rated.",
            rated,
        )
        messages.success(request, message % {"n": rated})
    else:
        messages.error(request, _("Choose how well you recalled at least one answer."))
    return redirect(reverse("interview_report", args=[pk]) + "#assessment")
