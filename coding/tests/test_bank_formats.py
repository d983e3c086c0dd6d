"""GIFT and Anki have no place for a coding question's code and tests: importing them back, even with an
edited answer, never turns a coding question into free text or blanks its code."""

import io

import pytest
from django.core.management import call_command

from questions.models import Kind, Question


@pytest.mark.django_db
@pytest.mark.parametrize("format, suffix", [("gift", "gift"), ("anki", "txt")])
def test_a_coding_question_keeps_its_code_through_an_edited_gift_or_anki_file(tmp_path, format, suffix):
    call_command("import_bank", "fixtures/coding.md", "--topics", "fixtures/coding-topics.json", stdout=io.StringIO())
    before = {q.pk: (q.kind, q.starter_code, q.solution_code, q.sample_tests, q.hidden_tests) for q in Question.objects.all()}
    target = tmp_path / f"export.{suffix}"
    call_command("export_bank", "--format", format, "-o", str(target), stderr=io.StringIO())
    question = Question.objects.get(prompt__startswith="数值稳定的 softmax")
    text = target.read_text()
    assert text.count("利用平移不变性避免") == 1
    target.write_text(text.replace("利用平移不变性避免", "利用平移不变性（edited）避免"))

    out = io.StringIO()
    call_command("import_bank", str(target), "--topics", "", stdout=out)

    assert "0 created, 1 updated" in out.getvalue()
    question.refresh_from_db()
    assert "（edited）" in question.answer and question.kind == Kind.CODE
    after = {q.pk: (q.kind, q.starter_code, q.solution_code, q.sample_tests, q.hidden_tests) for q in Question.objects.all()}
    assert after == before
