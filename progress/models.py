"""What the progress app stores itself: when each candidate's progress last changed."""

from django.conf import settings
from django.db import models


class Activity(models.Model):
    """A candidate's activity stamp: a new random token on every write that changes their progress.

    The dashboard's figures are cached under it (progress.selectors.dashboard_figures), so a write
    makes the next view recompute them, on every app server, whatever cache each one has.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} · {self.changed_at:%Y-%m-%d %H:%M:%S}"
