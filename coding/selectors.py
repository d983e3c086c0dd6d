"""Reads about code runs, for dashboards."""

from datetime import datetime

from django.db.models import Count, Q

from .models import CodeRun, Verdict


def pass_rates_by_topic(*, user, since: datetime | None = None, topic=None) -> list[dict]:
    """Per topic, the candidate's judged coding answers and how many were accepted (one query).

    Questions without tests (self-graded, verdict "ran") are not counted.
    """
    runs = CodeRun.objects.for_user(user).filter(attempt__isnull=False, status=CodeRun.Status.DONE)
    runs = runs.exclude(verdict=Verdict.RAN)
    if since is not None:
        runs = runs.filter(created_at__gte=since)
    if topic is not None:
        runs = runs.filter(question__topic=topic)
    rows = (
        runs.values("question__topic__name", "question__topic__slug", "question__topic__order")
        .annotate(judged=Count("id"), accepted=Count("id", filter=Q(verdict=Verdict.ACCEPTED)))
        .order_by("question__topic__order", "question__topic__name")
    )
    return [
        {
            "name": row["question__topic__name"],
            "slug": row["question__topic__slug"],
            "judged": row["judged"],
            "accepted": row["accepted"],
            "rate": row["accepted"] / row["judged"],
        }
        for row in rows
    ]
