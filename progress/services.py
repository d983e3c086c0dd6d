"""Writes of the progress app."""

import uuid

from django.utils import timezone

from .models import Activity


def progress_changed(*, user_id: int) -> None:
    """Record that a candidate's progress changed: their dashboard is recomputed on its next view.

    The one function every source of attempts calls after a write that changes what the dashboard
    shows: an attempt recorded, rescored or rated, a review, an interview started or ended. Saves of
    Attempt, ReviewCard and Interview call it by themselves (progress.signals); a writer that skips
    save() (bulk_create, update()) calls it once per candidate it wrote for. One statement (an upsert).
    """
    now = timezone.now()
    Activity.objects.bulk_create(
        [Activity(user_id=user_id, token=uuid.uuid4().hex, changed_at=now)],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["token", "changed_at"],
    )
