"""Every save that changes a candidate's progress moves their activity stamp (progress.services)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from interviews.models import Interview
from practice.models import Attempt, ReviewCard
from questions.models import Question

from .selectors import PUBLISHED_COUNTS_KEY
from .services import progress_changed


def _changed(sender, instance, **kwargs) -> None:
    progress_changed(user_id=instance.user_id)


def _bank_changed(sender, instance, **kwargs) -> None:
    cache.delete(PUBLISHED_COUNTS_KEY)


def connect() -> None:
    post_save.connect(_bank_changed, sender=Question, dispatch_uid="progress-question-saved")
    post_delete.connect(_bank_changed, sender=Question, dispatch_uid="progress-question-deleted")
    # Not deletes: these rows go only with their candidate (questions are protected), and a stamp
    # written during that cascade would point at a deleted user.
    for model in (Attempt, ReviewCard, Interview):
        post_save.connect(_changed, sender=model, dispatch_uid=f"progress-{model.__name__}-saved")
