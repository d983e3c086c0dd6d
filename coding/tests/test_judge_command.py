"""`manage.py judge QUESTION SOLUTION_FILE`, and every shipped question solved by its reference solution."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from coding.services import code_judge, version_spec
from coding.tests.factories import SOLUTION, CodingQuestionFactory
from questions.models import Kind, Question

from .test_sandbox import pytestmark as needs_bwrap


@pytest.fixture
def coding_bank(db):
    call_command("import_bank", "fixtures/coding.md", topics="fixtures/coding-topics.json", stdout=io.StringIO())


def judge(*args) -> dict:
    out = io.StringIO()
    call_command("judge", *args, stdout=out)
    return json.loads(out.getvalue())


@needs_bwrap
def test_it_prints_the_verdict_and_each_test(db, tmp_path):
    question = CodingQuestionFactory()
    path = tmp_path / "solution.py"
    path.write_text("def add(a, b):\n    return a - b\n")
    result = judge(str(question.pk), str(path))
    assert result["verdict"] == "wrong_answer"
    assert [t["name"] for t in result["tests"]] == ["sample 1", "sample 2", "hidden 1", "hidden 2"]
    assert [t["verdict"] for t in result["tests"]] == ["wrong_answer", "wrong_answer", "wrong_answer", "accepted"]
    assert all(set(t) == {"name", "verdict", "seconds"} for t in result["tests"])


@needs_bwrap
def test_the_question_may_be_named_by_its_prompt_or_title(db, tmp_path):
    question = CodingQuestionFactory(prompt="两数之和 / Add\nReturn a + b.")
    path = tmp_path / "solution.py"
    path.write_text(SOLUTION)
    assert judge(question.prompt, str(path))["verdict"] == "accepted"
    assert judge("两数之和 / Add", str(path))["verdict"] == "accepted"


def test_an_unknown_question_or_file_is_a_clear_error(db, tmp_path):
    question = CodingQuestionFactory()
    with pytest.raises(CommandError, match="no coding question"):
        judge("no such question", str(tmp_path / "x.py"))
    with pytest.raises(CommandError, match="cannot read"):
        judge(str(question.pk), str(tmp_path / "missing.py"))


def test_without_bwrap_the_command_refuses(db, tmp_path, settings):
    settings.CODE_RUNNER_BWRAP = "/nonexistent/bwrap"
    path = tmp_path / "solution.py"
    path.write_text(SOLUTION)
    with pytest.raises(CommandError, match="bubblewrap is not installed"):
        judge(str(CodingQuestionFactory().pk), str(path))


@needs_bwrap
def test_every_shipped_question_is_solved_by_its_solution_and_not_by_its_starter(coding_bank):
    questions = list(Question.objects.filter(kind=Kind.CODE).select_related("current_version"))
    assert len(questions) == 13
    for question in questions:
        spec = version_spec(question.current_version)
        solved = code_judge(spec=spec, code=spec.solution_code)
        if spec.has_tests:
            assert solved["verdict"] == "accepted", (question.prompt, solved)
            assert code_judge(spec=spec, code=spec.starter_code)["verdict"] != "accepted", question.prompt
        else:
            assert solved["verdict"] == "ran"


def test_importing_the_shipped_bank_again_changes_nothing_and_export_round_trips(coding_bank, tmp_path):
    out = io.StringIO()
    call_command("import_bank", "fixtures/coding.md", topics="fixtures/coding-topics.json", stdout=out)
    assert "13 unchanged" in out.getvalue()
    exported = tmp_path / "export.md"
    call_command("export_bank", "-o", str(exported), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_bank", str(exported), stdout=out)
    assert "0 created, 0 updated, 13 unchanged" in out.getvalue()


def test_a_changed_test_makes_a_new_version_that_freezes_the_coding_fields(coding_bank, tmp_path):
    text = open("fixtures/coding.md", encoding="utf-8").read()
    text = text.replace("assert edit_distance(\"\", \"\") == 0", "assert edit_distance(\"\", \"\") == 0\nassert 1")
    path = tmp_path / "coding.md"
    path.write_text(text, encoding="utf-8")
    call_command("import_bank", str(path), stdout=io.StringIO())
    question = Question.objects.get(prompt__startswith="编辑距离")
    first, second = question.versions.order_by("number")
    assert "\nassert 1\n" in second.coding["hidden_tests"] and "\nassert 1\n" not in first.coding["hidden_tests"]
    assert first.coding["solution_code"] == second.coding["solution_code"]


def test_the_json_export_carries_the_coding_fields_into_an_empty_bank_and_back_unchanged(coding_bank, tmp_path):
    exported = tmp_path / "export.json"
    call_command("export_bank", "-o", str(exported), "--format", "json", stdout=io.StringIO())
    before = {q.prompt: q.coding_data() for q in Question.objects.all()}
    out = io.StringIO()
    call_command("import_bank", str(exported), stdout=out)
    assert "0 created, 0 updated, 13 unchanged" in out.getvalue()
    Question.objects.all().delete()
    call_command("import_bank", str(exported), stdout=io.StringIO())
    after = {q.prompt: q.coding_data() for q in Question.objects.all()}
    assert after == before and all(after.values())
    assert all(q.current_version.coding == before[q.prompt] for q in Question.objects.select_related("current_version"))


def test_an_editors_change_to_a_hidden_test_survives_a_reimport(coding_bank):
    question = Question.objects.get(prompt__startswith="编辑距离")
    question.hidden_tests += "\nassert edit_distance('a', 'a') == 0"
    question.save()
    question.freeze_version()
    out = io.StringIO()
    call_command("import_bank", "fixtures/coding.md", topics="fixtures/coding-topics.json", stdout=out)
    assert "12 unchanged, 1 kept" in out.getvalue()
    question.refresh_from_db()
    assert question.hidden_tests.endswith("assert edit_distance('a', 'a') == 0")
