"""`score_answer --backend llm`: the grader's verdict for one answer, or why there is none."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from questions.tests.factories import QuestionFactory


@pytest.fixture
def question(db):
    return QuestionFactory()


def run(question, answer, monkeypatch, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    out = io.StringIO()
    call_command("score_answer", str(question.pk), *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_llm_backend_prints_the_graders_verdict(fake_llm, question, monkeypatch):
    fake_llm.reply = {"covered": [2], "feedback": "混合精度答到了。"}
    result = run(question, "用FP16", monkeypatch, "--backend", "llm")
    assert result == {"covered": ["混合精度训练"], "score": 0.5, "feedback": "混合精度答到了。", "model": "fake-model"}


def test_a_failing_grader_says_why_and_shows_the_local_result(fake_llm, question, monkeypatch):
    fake_llm.mode = "error"
    with pytest.raises(CommandError, match=r'HTTP 500; the local result was: \{"covered": \["混合精度训练"\]'):
        run(question, "用混合精度训练", monkeypatch, "--backend", "llm")


def test_the_llm_backend_needs_a_server(question, monkeypatch, settings):
    settings.LLM_BASE_URL = ""
    with pytest.raises(CommandError, match="LLM_BASE_URL"):
        run(question, "x", monkeypatch, "--backend", "llm")
