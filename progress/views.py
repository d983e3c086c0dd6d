from datetime import timedelta

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.middleware import SESSION_DISPLAY_NAME
from interviews.services import MIN_QUESTIONS
from questions.models import Topic
from quizsite.htmx import HtmxHttpRequest

from . import selectors
from .charts import heat_map, heat_map_svg, line_chart

PERIODS = {"7": 7, "30": 30, "all": None}


@login_required
@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Where do I stand, and what should I practise next? Filters swap the panels over htmx."""
    now = timezone.now()
    today = timezone.localdate(now)
    period = request.GET.get("days", "30")
    if period not in PERIODS:
        period = "30"
    days = PERIODS[period]
    topics = Topic.objects.with_published_questions()
    topic = topics.filter(slug=request.GET.get("topic")).first() if request.GET.get("topic") else None
    since = selectors.window_start(days, now)

    rows = selectors.topic_rows(user=request.user, now=now, days=days, topic=topic)
    year = selectors.daily_activity(user=request.user, since=now - timedelta(days=366))
    window = selectors.daily_activity(user=request.user, since=since, topic=topic)
    interviews = selectors.interview_scores(user=request.user, since=since, topic=topic)
    cells, heat_width, heat_height = heat_map({d: v.attempts for d, v in year.items()}, today)
    context = {
        "name": request.session.get(SESSION_DISPLAY_NAME) or request.user.get_username(),
        "period": period,
        "periods": [("7", "7"), ("30", "30"), ("all", "all")],
        "topics": topics,
        "topic": topic,
        "rows": rows,
        "has_history": bool(year) or any(r.attempted for r in rows),
        "coverage_chart": line_chart([(d, v.avg_score) for d, v in window.items() if v.avg_score is not None]),
        "interview_chart": line_chart(interviews),
        "interview_minimum": MIN_QUESTIONS,
        "heat_cells": cells,
        "heat_svg": heat_map_svg(cells),
        "heat_width": heat_width,
        "heat_height": heat_height,
        "active_days": sum(1 for c in cells if c.count),
        "streak": selectors.streak(year, today),
        "due_total": sum(r.due for r in rows),
    }
    template = "progress/dashboard.html#panels" if request.htmx else "progress/dashboard.html"
    return render(request, template, context)


@login_required
@require_GET
def topic_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.with_published_questions(), slug=slug)
    now = timezone.now()
    attempts = list(selectors.recent_attempts(user=request.user, topic=topic))
    context = {
        "topic": topic,
        "row": next(iter(selectors.topic_rows(user=request.user, now=now, topic=topic)), None),
        "questions": selectors.question_states(user=request.user, topic=topic, now=now),
        "attempts": attempts,
    }
    return render(request, "progress/topic.html", context)


@login_required
@permission_required("questions.view_question", raise_exception=True)
@require_GET
def staff_stats(request: HtmxHttpRequest) -> HttpResponse:
    """Which questions and reference answers need work, across every candidate."""
    context = {
        "questions": selectors.question_stats(),
        "key_points": selectors.key_point_stats()[:50],
    }
    return render(request, "progress/staff.html", context)
