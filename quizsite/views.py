from django.db import connection
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from questions.models import Question, Topic


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    topics = Topic.objects.with_published_questions().prefetch_related(
        Prefetch("questions", queryset=Question.objects.published().order_by("id"), to_attr="published_questions")
    )
    return render(request, "home.html", {"topics": topics})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
