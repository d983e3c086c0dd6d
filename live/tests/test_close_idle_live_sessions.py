import io
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.utils import timezone

from live.models import LiveSession


def run(*args) -> str:
    out = io.StringIO()
    call_command("close_idle_live_sessions", *args, stdout=out)
    return out.getvalue()


def test_it_closes_idle_sessions_and_says_how_many(settings, running):
    settings.LIVE_IDLE_MINUTES = 30
    assert "closed 0 idle live session(s)" in run()
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert "would close 1" in run("--dry-run")
        assert LiveSession.objects.get().status == LiveSession.Status.RUNNING
        assert "closed 1 idle live session(s)" in run()
    assert LiveSession.objects.get().status == LiveSession.Status.ABANDONED


def test_it_leaves_ended_sessions_alone(settings, running):
    LiveSession.objects.update(status=LiveSession.Status.FINISHED, clock_started_at=None)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert "closed 0" in run()
