from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from interviews.reference import may_see_reference
from interviews.views import reference_withheld_response
from progress.selectors import published_counts
from questions.models import Question, Topic
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
    return get_object_or_404(
        Attempt.objects.for_user(request.user).select_related("question__topic", "version", "grading_job"), pk=pk
    )


WITHHELD_MESSAGE = _lazy("This question is in your mock interview in progress: finish the interview first.")


@login_required
@require_GET
def practice_home(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    due = ReviewCard.objects.for_user(request.user).due(now).filter(question__is_published=True)
    due_by_topic = dict(due.values("question__topic").annotate(n=Count("pk")).values_list("question__topic", "n"))
    counts = published_counts()  # cached: counting a large bank per request is too slow
    topics = list(Topic.objects.filter(pk__in=list(counts)))
    for topic in topics:
        topic.total, topic.due = counts[topic.pk], due_by_topic.get(topic.pk, 0)
    return render(request, "practice/home.html", {"topics": topics, "due_total": sum(due_by_topic.values())})


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
    if not may_see_reference(user=request.user, question=question):
        form.add_error(None, WITHHELD_MESSAGE)
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
    if not may_see_reference(user=request.user, question=attempt.question):
        return reference_withheld_response(request, WITHHELD_MESSAGE)
    scope = _scope_from(request.POST.get("scope", ALL))
    form = RateForm(request.POST, key_point_count=attempt.key_point_results.count())
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
    if not may_see_reference(user=request.user, question=attempt.question):
        return reference_withheld_response(request, WITHHELD_MESSAGE)
    return _render_attempt(request, attempt, _scope_from(request.GET.get("scope", ALL)), partial=request.htmx)


def _render_attempt(request, attempt: Attempt, scope: Scope, *, partial: bool, rate_form=None, push_url=None):
    """An attempt before rating (reference, checklist, rating buttons) or after (when it comes back)."""
    card = None
    if attempt.rating is not None:
        card = ReviewCard.objects.filter(user_id=attempt.user_id, question_id=attempt.question_id).first()
    context = {
        "attempt": attempt,
        "question": attempt.question,
        "key_points": attempt.key_point_rows(),
        "scope": scope,
        "rate_form": rate_form,
        "suggested": suggested_rating(attempt.auto_score),
        "card": card,
        "rating_choices": Rating.choices,
    }
    name = "rated" if attempt.rating is not None else "revealed"
    template = f"practice/session.html#{name}" if partial else "practice/session.html"
    response = render(request, template, {**context, "state": name})
    if push_url:
        response["HX-Push-Url"] = push_url
    return response
