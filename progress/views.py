import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from accounts.middleware import SESSION_DISPLAY_NAME
from interviews.reference import reference_withheld
from interviews.services import MIN_QUESTIONS
from questions.models import Topic
from quizsite.htmx import HtmxHttpRequest

from . import selectors
from .charts import heat_map, heat_map_svg, line_chart

PERIODS = {"7": 7, "30": 30, "all": None}


@login_required
@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Where do I stand, and what should I practise next? Filters swap the panels over htmx.

    The panels are cached as rendered under the candidate's activity stamp (selectors.dashboard_key)
    with the language and the CSRF secret their forms carry, and so is the whole page for each
    address and greeting: a repeated view costs one query (the stamp) and one cache read, no render.
    A request with messages to show renders the page around the cached panels.
    """
    now = timezone.now()
    period = request.GET.get("days", "30")
    if period not in PERIODS:
        period = "30"
    days, topic_slug = PERIODS[period], request.GET.get("topic")
    key = selectors.dashboard_key(user=request.user, now=now, days=days, topic_slug=topic_slug)
    # The forms in the panels carry a token of the browser's CSRF secret: cached only for a browser that
    # already has one (a first visit gets a new secret, whose panels nobody could use again).
    page_key = None
    if key is not None and settings.CSRF_COOKIE_NAME in request.COOKIES and "CSRF_COOKIE" in request.META:
        secret = hashlib.sha256(request.META["CSRF_COOKIE"].encode()).hexdigest()[:16]
        key = f"{key}:{get_language()}:{secret}"
        if not request.htmx and not len(get_messages(request)):
            name = _display_name(request)
            page = f"{name}\n{request.user.is_staff}\n{request.get_full_path()}"
            page = hashlib.sha256(page.encode()).hexdigest()[:16]
            page_key = f"{key}:page:{page}"
            if (html := cache.get(page_key)) is not None:
                return HttpResponse(html)
    else:
        key = None
    cached = cache.get(key) if key else None
    if cached is None:
        figures = selectors.dashboard_figures(user=request.user, now=now, days=days, topic_slug=topic_slug)
        context = {**_panels_context(figures, now), "period": period}
        cached = {
            "panels": render_to_string("progress/dashboard.html#panels", context, request),
            "topics": figures.topics,
            "topic": figures.topic,
        }
        if key:
            cache.set(key, cached, selectors.DASHBOARD_CACHE_SECONDS)
    if request.htmx:
        return HttpResponse(cached["panels"])
    context = {
        "name": _display_name(request),
        "period": period,
        "periods": [("7", "7"), ("30", "30"), ("all", "all")],
        "topics": cached["topics"],
        "topic": cached["topic"],
        "panels": mark_safe(cached["panels"]),  # noqa: S308 - our own rendered template
    }
    response = render(request, "progress/dashboard.html", context)
    if page_key:
        cache.set(page_key, response.content.decode(), selectors.DASHBOARD_CACHE_SECONDS)
    return response


def _display_name(request: HtmxHttpRequest) -> str:
    return request.session.get(SESSION_DISPLAY_NAME) or request.user.get_username()


def _panels_context(figures: selectors.DashboardFigures, now) -> dict:
    today = timezone.localdate(now)
    rows, year, window, interviews = figures.rows, figures.year, figures.window, figures.interviews
    cells, heat_width, heat_height = heat_map({d: v.attempts for d, v in year.items()}, today)
    return {
        "topic": figures.topic,
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


@login_required
@require_GET
def topic_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.with_published_questions(), slug=slug)
    now = timezone.now()
    attempts = list(selectors.recent_attempts(user=request.user, topic=topic))
    # No link to an attempt's reference while a running interview holds its question.
    withheld = reference_withheld(user=request.user, question_ids={a.question_id for a in attempts})
    for attempt in attempts:
        attempt.reference_withheld = attempt.question_id in withheld
    context = {
        "topic": topic,
        "row": next(iter(selectors.topic_rows(user=request.user, now=now, topic=topic, with_missed=False)), None),
        "questions": selectors.question_states(user=request.user, topic=topic, now=now, page=request.GET.get("page")),
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
