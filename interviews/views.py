from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from practice.forms import RateForm
from practice.models import Rating
from practice.scheduling import suggested_rating
from practice.services import attempt_rate
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
    interview_start,
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


def _get_own_interview(request: HtmxHttpRequest, pk: int) -> Interview:
    """Another candidate's interview is a 404, never a 403."""
    return get_object_or_404(Interview.objects.for_user(request.user), pk=pk)


def _get_interview_for_user(request: HtmxHttpRequest, pk: int) -> Interview:
    """The candidate's interview with the clock applied, before anything is shown."""
    return interview_sync(interview=_get_own_interview(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def interview_new(request: HtmxHttpRequest) -> HttpResponse:
    running = Interview.objects.for_user(request.user).in_progress().first()
    form = InterviewSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
    remaining = max(0, int((current.deadline - timezone.now()).total_seconds()))
    return {
        "interview": interview,
        "item": current,
        "total": len(items),
        "remaining": remaining,
        "form": form or AnswerForm(initial={"answer": current.draft}),
    }


@login_required
@require_GET
def interview_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interview = _get_interview_for_user(request, pk)
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
        get_object_or_404(Interview.objects.for_user(request.user), pk=pk)
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
    interview = _get_own_interview(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        interview = interview_sync(interview=interview)
        if not interview.is_in_progress:
            return redirect("interview_report", pk=interview.pk)
        template = "interviews/question.html#question" if request.htmx else "interviews/question.html"
        return render(request, template, _question_context(interview, form), status=422)
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
    interview = interview_abandon(interview=_get_own_interview(request, pk))
    return redirect("interview_report", pk=interview.pk)


def _report_items(interview: Interview, position: int | None = None) -> list[InterviewQuestion]:
    """The interview's questions (or just one) with their key points as answered."""
    items = interview.questions.select_related(
        "version", "question__topic", "attempt__version", "attempt__grading_job"
    ).prefetch_related("attempt__key_point_results")
    if position is not None:
        items = items.filter(position=position)
    items = list(items)
    for item in items:
        item.key_points = item.attempt.key_point_rows() if item.attempt else item.version.key_points
        item.suggested = suggested_rating(item.attempt.auto_score) if item.attempt else None
    return items


@login_required
@require_GET
def interview_report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    interview = _get_interview_for_user(request, pk)
    if interview.is_in_progress:
        return redirect(interview)
    if _reference_withheld_in(interview, request.user):
        return reference_withheld_response(request, REPORT_WITHHELD)
    items = _report_items(interview)
    answered = [item for item in items if item.attempt]
    overall = sum(item.attempt.score for item in answered) / len(answered) if answered else None
    by_topic: dict = {}
    for item in items:
        by_topic.setdefault(item.question.topic, []).append(item.attempt.score if item.attempt else 0.0)
    weakest = min(by_topic, key=lambda t: sum(by_topic[t]) / len(by_topic[t])) if by_topic else None
    context = {
        "interview": interview,
        "items": items,
        "answered_count": len(answered),
        "overall": overall,
        "weakest": weakest,
        "rating_choices": Rating.choices,
    }
    return render(request, "interviews/report.html", context)


@login_required
@require_POST
def report_rate(request: HtmxHttpRequest, pk: int, position: int) -> HttpResponse:
    """The self-assessment of one answered question: corrected key points and a recall rating."""
    interview = _get_interview_for_user(request, pk)
    item = get_object_or_404(
        interview.questions.select_related("attempt", "version"), position=position, attempt__isnull=False
    )
    if interview.is_in_progress:
        return redirect(interview)
    if _reference_withheld_in(interview, request.user):
        return reference_withheld_response(request, REPORT_WITHHELD)
    form = RateForm(request.POST, key_point_count=item.attempt.key_point_results.count())
    if form.is_valid():
        attempt_rate(
            attempt=item.attempt,
            covered_positions=set(form.cleaned_data["covered"]),
            rating=form.cleaned_data["rating"],
        )
    elif not request.htmx:
        messages.error(request, next(iter(form.errors.values()))[0])
    if not request.htmx:
        return redirect(reverse("interview_report", args=[pk]) + f"#q-{position}")
    (item,) = _report_items(interview, position)
    context = {"interview": interview, "item": item, "rating_choices": Rating.choices, "rate_form": form}
    return render(request, "interviews/report.html#assessment", context, status=200 if form.is_valid() else 422)
