from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from coding.services import attempt_judge, run_suggested_rating
from interviews.reference import may_see_reference
from interviews.views import reference_withheld_response
from progress.selectors import published_counts
from questions.models import Difficulty, Question, Topic
from quizsite.htmx import HtmxHttpRequest

from .forms import AnswerForm, RateForm
from .models import Attempt, Rating, ReviewCard
from .scheduling import due_phrase, interval_label, preview_intervals, suggested_rating
from .services import (
    ALL,
    DUE,
    InvalidUndo,
    Scope,
    attempt_rate,
    attempt_unrate,
    card_token,
    next_question,
    next_review,
    practice_answer,
    session_progress,
)

# A practice session (for the "3 of 11" counter) ends when its scope changes or after this long.
SESSION_KEY, SESSION_LENGTH = "practice-session", timedelta(hours=6)


def _scope_from(params) -> Scope:
    value = params.get("scope", ALL)
    difficulty = params.get("difficulty", "")
    difficulty = difficulty if difficulty in Difficulty.values else ""
    if value in ("", ALL):
        return Scope(ALL, difficulty=difficulty)
    if value == DUE:
        return Scope(DUE, difficulty=difficulty)
    return Scope("topic", get_object_or_404(Topic.objects.with_published_questions(), slug=value), difficulty)


def _get_attempt_for_user(request: HtmxHttpRequest, pk: int) -> Attempt:
    """Another candidate's attempt is a 404, never a 403: its existence is not ours to tell."""
    return get_object_or_404(
        Attempt.objects.for_user(request.user).select_related("question__topic", "version", "grading_job"), pk=pk
    )


WITHHELD_MESSAGE = _lazy("This question is in your mock interview in progress: finish the interview first.")


def _session_start(request: HtmxHttpRequest, scope: Scope, now: datetime) -> datetime:
    """When the current practice session in this scope began (kept in the Django session)."""
    saved = request.session.get(SESSION_KEY) or {}
    started = datetime.fromisoformat(saved["started"]) if saved.get("scope") == scope.query else None
    if started is None or now - started > SESSION_LENGTH:
        started = now
        request.session[SESSION_KEY] = {"scope": scope.query, "started": now.isoformat()}
    return started


@login_required
@require_GET
def practice_home(request: HtmxHttpRequest) -> HttpResponse:
    now = timezone.now()
    due = ReviewCard.objects.for_user(request.user).due(now).filter(question__is_published=True)
    due_by_topic = dict(due.values("question__topic").annotate(n=Count("pk")).values_list("question__topic", "n"))
    counts = published_counts()  # cached: counting a large bank per request is too slow
    topics = list(Topic.objects.filter(pk__in=list(counts)).order_by("order", "name"))
    for topic in topics:
        topic.published_count, topic.due = counts[topic.pk], due_by_topic.get(topic.pk, 0)
    difficulties = [
        (value, label)
        for value, label in Difficulty.choices
        if value and Question.objects.published().filter(difficulty=value).exists()
    ]
    context = {"topics": topics, "due_total": sum(due_by_topic.values()), "difficulties": difficulties}
    return render(request, "practice/home.html", context)


def _card_context(request: HtmxHttpRequest, scope: Scope, rated: Attempt | None = None) -> dict:
    """The next card of the session (or "nothing left"), with the rating just given, if any."""
    now = timezone.now()
    question = next_question(user=request.user, scope=scope, now=now)
    context = {"scope": scope, "question": question, "rated": rated}
    if question is None:
        request.session.pop(SESSION_KEY, None)
        context["next_card"] = next_review(user=request.user, scope=scope)
        if context["next_card"]:
            context["next_when"] = due_phrase(context["next_card"].due, now)
    else:
        since = _session_start(request, scope, now)
        context["position"], context["session_total"] = session_progress(
            user=request.user, scope=scope, since=since, now=now
        )
        context["form"] = AnswerForm(initial={"token": card_token(question)})
    if rated is not None:
        context.update(_rated_context(rated, now))
    return context


def _rated_context(attempt: Attempt, now: datetime) -> dict:
    card = ReviewCard.objects.filter(user_id=attempt.user_id, question_id=attempt.question_id).first()
    latest = Attempt.objects.for_user(attempt.user_id).last_rated()
    return {
        "rated_when": due_phrase(card.due, now) if card else None,
        "can_undo": latest is not None and latest.pk == attempt.pk,
    }


@never_cache
@login_required
@require_GET
def practice_next(request: HtmxHttpRequest) -> HttpResponse:
    scope = _scope_from(request.GET)
    rated = _get_attempt_for_user(request, request.GET["rated"]) if request.GET.get("rated", "").isdigit() else None
    template = "practice/session.html#card" if request.htmx else "practice/session.html"
    return render(request, template, _card_context(request, scope, rated))


@login_required
@require_POST
def practice_reveal(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.published().with_current_version(), pk=pk)
    scope = _scope_from(request.POST)
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
    url = reverse("practice_attempt", args=[attempt.pk]) + f"?{scope.query}"
    if request.htmx:
        return _render_attempt(request, attempt, scope, partial=True, push_url=url)
    return redirect(url)


@login_required
@require_POST
def practice_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Rate the revealed card and go straight on to the next one (which offers to undo this rating)."""
    attempt = _get_attempt_for_user(request, pk)
    if not may_see_reference(user=request.user, question=attempt.question):
        return reference_withheld_response(request, WITHHELD_MESSAGE)
    scope = _scope_from(request.POST)
    form = RateForm(request.POST, key_point_count=attempt.key_point_results.count())
    if not form.is_valid():
        return _render_attempt(request, attempt, scope, partial=request.htmx, rate_form=form)
    attempt = attempt_rate(
        attempt=attempt, covered_positions=set(form.cleaned_data["covered"]), rating=form.cleaned_data["rating"]
    )
    next_url = reverse("practice_next") + f"?{scope.query}"
    if not request.htmx:
        return redirect(f"{next_url}&rated={attempt.pk}")
    response = render(request, "practice/session.html#card", _card_context(request, scope, rated=attempt))
    response["HX-Push-Url"] = next_url
    return response


@login_required
@require_POST
def practice_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Undo the latest rating: the attempt is back to its revealed state, ready to be rated again."""
    attempt = _get_attempt_for_user(request, pk)
    if not may_see_reference(user=request.user, question=attempt.question):
        return reference_withheld_response(request, WITHHELD_MESSAGE)
    scope = _scope_from(request.POST)
    try:
        attempt = attempt_unrate(attempt=attempt)
    except InvalidUndo:
        messages.error(request, _("Only your latest rating can be undone."))
    url = reverse("practice_attempt", args=[attempt.pk]) + f"?{scope.query}"
    if not request.htmx:
        return redirect(url)
    if attempt.rating is not None:
        return HttpResponseClientRedirect(url)
    return _render_attempt(request, attempt, scope, partial=True, push_url=url)


@never_cache
@login_required
@require_GET
def practice_attempt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if not may_see_reference(user=request.user, question=attempt.question):
        return reference_withheld_response(request, WITHHELD_MESSAGE)
    return _render_attempt(request, attempt, _scope_from(request.GET), partial=request.htmx)


def _render_attempt(request, attempt: Attempt, scope: Scope, *, partial: bool, rate_form=None, push_url=None):
    """An answered card: the answer, the full reference with its key points, and either the
    rating buttons (each with the interval it would schedule) or, once rated, when it comes back."""
    now = timezone.now()
    code_run = attempt_judge(attempt=attempt)  # a coding answer's verdict; None for free text
    context = {
        "attempt": attempt,
        "question": attempt.question,
        "scope": scope,
        "key_points": attempt.key_point_rows(),
        "code_run": code_run,
    }
    if attempt.rating is None:
        card = ReviewCard.objects.filter(user=request.user, question_id=attempt.question_id).first()
        intervals = preview_intervals(card, now)
        context.update(
            rate_form=rate_form,
            suggested=run_suggested_rating(code_run) if code_run else suggested_rating(attempt.auto_score),
            ratings=[(value, label, interval_label(intervals[value])) for value, label in Rating.choices],
        )
    else:
        context.update(_rated_context(attempt, now))
    template = "practice/session.html#revealed" if partial else "practice/session.html"
    response = render(request, template, {**context, "state": "revealed"})
    if push_url:
        response["HX-Push-Url"] = push_url
    return response
