from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from progress.selectors import published_counts
from questions.models import Topic


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The topics with their number of questions and links; never the questions themselves (the bank
    may hold 100,000). Two queries, whatever its size."""
    counts = published_counts()
    topics = list(Topic.objects.filter(pk__in=list(counts)).order_by("order", "name"))
    for topic in topics:
        topic.published_count = counts[topic.pk]
    return render(request, "home.html", {"topics": topics})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
