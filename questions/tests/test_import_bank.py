"""`import_bank` and `export_bank` as an editor runs them."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.models import KeyPoint, Question, QuestionVersion, Topic

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "bank.md"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def db_state() -> tuple:
    return (
        list(
            Question.objects.values_list("id", "prompt", "answer", "explanation", "source_entries", "current_version")
        ),
        list(KeyPoint.objects.values_list("id", "label", "text", "aliases")),
        QuestionVersion.objects.count(),
        Topic.objects.count(),
    )


@pytest.fixture
def bank_copy(tmp_path):
    path = tmp_path / "bank.md"
    path.write_bytes(SEED.read_bytes())
    return path


@pytest.mark.django_db
def test_the_seed_imports_eleven_questions_under_topics():
    out = run("import_bank", str(SEED))
    assert Question.objects.count() == 11
    assert QuestionVersion.objects.count() == 11
    assert not Question.objects.filter(current_version=None).exists()
    assert "20 entries read" in out
    assert "11 created, 0 updated, 0 unchanged" in out
    assert "duplicates merged: 9" in out
    assert "entry 16 repeats entry 1" in out
    assert Question.objects.get(prompt__startswith="大模型训练中常见的计算资源瓶颈").source_entries == "1, 16"
    assert set(Question.objects.values_list("topic__slug", flat=True)) == {
        "training",
        "data",
        "evaluation",
        "inference",
    }
    assert KeyPoint.objects.filter(question__source_entries="2, 17").count() == 4


@pytest.mark.django_db
def test_a_second_import_changes_nothing_and_says_so():
    run("import_bank", str(SEED))
    before = db_state()
    out = run("import_bank", str(SEED))
    assert "0 created, 0 updated, 11 unchanged" in out
    assert "no change" in out
    assert db_state() == before


@pytest.mark.django_db
def test_a_dry_run_reports_and_writes_nothing():
    out = run("import_bank", str(SEED), "--dry-run")
    assert "11 created" in out and "nothing was written" in out
    assert Question.objects.count() == 0
    assert Topic.objects.count() == 0


@pytest.mark.django_db
def test_a_changed_entry_makes_a_new_version_of_that_question_only(bank_copy):
    run("import_bank", str(bank_copy))
    question = Question.objects.get(source_entries="2, 17")
    keypoint = question.key_points.get(label="混合精度训练")
    keypoint.aliases = "FP16, 半精度"
    keypoint.save()
    first_version = question.current_version
    # Entries 2 and 17 are the same question; editing it edits both.
    bank_copy.write_text(bank_copy.read_text(encoding="utf-8").replace("减少模型大小和计算量", "减少参数量"), "utf-8")

    out = run("import_bank", str(bank_copy))

    assert "0 created, 1 updated, 10 unchanged" in out
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert "减少参数量" in question.key_points.get(label="模型剪枝").text
    assert "减少参数量" in question.current_version.key_points[3]["text"]
    assert question.key_points.get(label="混合精度训练").aliases == "FP16, 半精度"
    first_version.refresh_from_db()
    assert "减少模型大小和计算量" in str(first_version.key_points)
    assert Question.objects.count() == 11


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, line, message",
    [
        (b"#### 1. a?\n**\xe7\xad\x94\xe6\xa1\x88\xef\xbc\x9a** ok\n\xff\n", 3, "not valid UTF-8"),
        ("#### 1. 问题？\n**答案：** 是。\n#### 2. 问题二？\n\n**解析：** 无\n".encode(), 3, "no '**答案：**' answer"),
        ("#### 1. 问题？\n**答案：** 是。\n#### 2.\n".encode(), 3, "no question"),
        (b"", 1, "no entries found"),
    ],
    ids=["bad-bytes", "no-answer", "no-question", "empty"],
)
def test_a_malformed_file_exits_with_its_line_and_writes_nothing(tmp_path, content, line, message):
    run("import_bank", str(SEED))
    before = db_state()
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        run("import_bank", str(path))
    assert str(exc.value).startswith(f"{path}:{line}: ")
    assert message in str(exc.value)
    assert db_state() == before


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.md:1: cannot read the file"):
        run("import_bank", str(tmp_path / "missing.md"))
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_an_export_imports_back_with_no_change(tmp_path):
    run("import_bank", str(SEED))
    before = db_state()
    target = tmp_path / "export.md"
    call_command("export_bank", "-o", str(target), stderr=io.StringIO())
    out = run("import_bank", str(target))
    assert "0 created, 0 updated, 11 unchanged" in out
    assert db_state() == before


@pytest.mark.django_db
def test_the_json_export_lists_every_question_with_key_points():
    run("import_bank", str(SEED))
    out = run("export_bank", "--format", "json")
    assert out.count('"prompt"') == 11
    assert '"label": "混合精度训练"' in out
