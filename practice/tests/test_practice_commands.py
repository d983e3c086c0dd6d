"""The practice commands and the data export."""

import io
import json
import sys

from django.core.management import call_command

from practice.models import Attempt, Rating
from practice.scoring import SCORER_VERSION
from practice.services import attempt_rate, attempt_record
from practice.tests.conftest import reveal


def test_score_answer_prints_json(question, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("我会用并行计算"))
    out = io.StringIO()
    call_command("score_answer", str(question.pk), stdout=out)
    assert json.loads(out.getvalue()) == {
        "covered": ["并行计算"],
        "score": 0.5,
        "evidence": {"并行计算": ["并行计算 → 并行计算"]},
    }
    monkeypatch.setattr(sys, "stdin", io.StringIO("混合精度训练"))
    out = io.StringIO()
    call_command("score_answer", question.prompt, stdout=out)
    assert '"混合精度训练"' in out.getvalue()


def test_the_export_includes_my_attempts(user_client, question):
    reveal(user_client, question)
    data = user_client.get("/accounts/profile/export/").json()
    assert data["practice"]["attempts"][0]["covered_key_points"] == ["并行计算"]


def test_rescoring_updates_the_automatic_coverage_and_keeps_corrections(user, question):
    rated = attempt_record(user=user, question=question, answer="并行计算")
    attempt_rate(attempt=rated, covered_positions={0, 1}, rating=Rating.GOOD)
    unrated = attempt_record(user=user, question=question, answer="混合精度训练")
    Attempt.objects.update(scorer_version="old", auto_score=0.0)
    out = io.StringIO()
    call_command("rescore_attempts", stdout=out)
    assert "rescored 2 attempt(s)" in out.getvalue()
    rated.refresh_from_db()
    unrated.refresh_from_db()
    assert (rated.auto_score, rated.score, rated.scorer_version) == (0.5, 1.0, SCORER_VERSION)
    assert (unrated.auto_score, unrated.score) == (0.5, 0.5)
