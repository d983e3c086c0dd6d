from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from questions.models import Question, Topic


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # Aggregating drops Meta.ordering: order explicitly.
    topics = (
        Topic.objects.annotate(published_count=Count("questions", filter=Q(questions__is_published=True)))
        .order_by("order", "name")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.published().order_by("id"), to_attr="published_questions")
        )
    )
    return render(request, "home.html", {"topics": [t for t in topics if t.published_count]})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
