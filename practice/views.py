from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coding.services import attempt_judge, run_suggested_rating
from interviews.services import question_in_live_interview
from questions.models import Question, Topic
from quizsite.db import count_subquery
from quizsite.htmx import HtmxHttpRequest

from .forms import AnswerForm, RateForm
from .models import Attempt, Rating, ReviewCard
from .scheduling import suggested_rating
from .services import (
    ALL,
    DUE,
    Scope,
    attempt_rate,
    card_token,
    next_question,
    next_review,
    practice_answer,
)


def _scope_from(value: str) -> Scope:
    if value in ("", ALL):
        return Scope(ALL)
    if value == DUE:
        return Scope(DUE)
    return Scope("topic", get_object_or_404(Topic, slug=value))


def _get_attempt_for_user(request: HtmxHttpRequest, pk: int) -> Attempt:
    """Another candidate's attempt is a 404, never a 403: its existence is not ours to tell."""
    return get_object_or_404(Attempt.objects.for_user(request.user).select_related("question__topic", "version"), pk=pk)


@login_required
@require_GET
def practice_home(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    cards = ReviewCard.objects.for_user(request.user)
    due = cards.due(now).filter(question__is_published=True)
    topics = Topic.objects.annotate(
        total=count_subquery(Question.objects.published(), "topic"),
        due=count_subquery(due, "question__topic"),
    ).filter(total__gt=0)
    due_total = due.count()
    return render(request, "practice/home.html", {"topics": topics, "due_total": due_total})


@login_required
@require_GET
def practice_next(request: HtmxHttpRequest) -> HttpResponse:
    scope = _scope_from(request.GET.get("scope", ALL))
    question = next_question(user=request.user, scope=scope)
    context = {"scope": scope, "question": question, "form": AnswerForm(initial=_initial(question))}
    if question is None:
        context["next_card"] = next_review(user=request.user, scope=scope)
    template = "practice/session.html#card" if request.htmx else "practice/session.html"
    return render(request, template, context)


def _initial(question: Question | None) -> dict:
    return {"token": card_token(question)} if question else {}


@login_required
@require_POST
def practice_reveal(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.published().with_current_version(), pk=pk)
    scope = _scope_from(request.POST.get("scope", ALL))
    form = AnswerForm(request.POST)
    if question_in_live_interview(user=request.user, question=question):
        form.add_error(None, _("This question is in your mock interview in progress: finish the interview first."))
    if not form.is_valid():
        context = {"scope": scope, "question": question, "form": form}
        template = "practice/session.html#card" if request.htmx else "practice/session.html"
        return render(request, template, context)
    answer = form.cleaned_data["answer"]
    attempt = practice_answer(
        user=request.user,
        question=question,
        answer=answer,
        in_head="in_head" in request.POST or not answer,
        token=form.cleaned_data["token"],
    )
    url = reverse("practice_attempt", args=[attempt.pk]) + f"?scope={scope.param}"
    if request.htmx:
        return _render_attempt(request, attempt, scope, partial=True, push_url=url)
    return redirect(url)


@login_required
@require_POST
def practice_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    scope = _scope_from(request.POST.get("scope", ALL))
    form = RateForm(request.POST, key_point_count=len(attempt.version.key_points))
    if not form.is_valid():
        return _render_attempt(request, attempt, scope, partial=request.htmx, rate_form=form)
    attempt = attempt_rate(
        attempt=attempt, covered_positions=set(form.cleaned_data["covered"]), rating=form.cleaned_data["rating"]
    )
    if request.htmx:
        return _render_attempt(request, attempt, scope, partial=True)
    return redirect(reverse("practice_attempt", args=[attempt.pk]) + f"?scope={scope.param}")


@login_required
@require_GET
def practice_attempt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    return _render_attempt(request, attempt, _scope_from(request.GET.get("scope", ALL)), partial=request.htmx)


def _render_attempt(request, attempt: Attempt, scope: Scope, *, partial: bool, rate_form=None, push_url=None):
    """An attempt before rating (reference, checklist, rating buttons) or after (when it comes back)."""
    card = None
    code_run = attempt_judge(attempt=attempt)  # a coding answer's verdict; None for free text
    if attempt.rating is not None:
        card = ReviewCard.objects.filter(user_id=attempt.user_id, question_id=attempt.question_id).first()
    context = {
        "attempt": attempt,
        "question": attempt.question,
        "key_points": attempt.key_point_rows(),
        "scope": scope,
        "rate_form": rate_form,
        "suggested": run_suggested_rating(code_run) if code_run else suggested_rating(attempt.auto_score),
        "code_run": code_run,
        "card": card,
        "rating_choices": Rating.choices,
    }
    name = "rated" if attempt.rating is not None else "revealed"
    template = f"practice/session.html#{name}" if partial else "practice/session.html"
    response = render(request, template, {**context, "state": name})
    if push_url:
        response["HX-Push-Url"] = push_url
    return response
