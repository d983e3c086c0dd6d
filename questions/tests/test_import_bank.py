"""`import_bank` and `export_bank` as an editor runs them."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.models import KeyPoint, Question, QuestionVersion, Topic
from questions.tests.factories import TopicFactory

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "bank.md"
BANKS = Path(__file__).resolve().parent / "banks"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def db_state() -> tuple:
    return (
        list(
            Question.objects.order_by("id").values_list(
                "id", "prompt", "answer", "explanation", "source_entries", "current_version", "topic"
            )
        ),
        list(KeyPoint.objects.order_by("id").values_list("id", "label", "text", "aliases", "is_derived")),
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
    assert "20 entries read (markdown, headings level 4)" in out
    assert "11 created, 0 updated, 0 unchanged, 0 kept, 0 skipped" in out
    assert "duplicates merged: 9" in out
    assert "entry 16 repeats entry 1" in out
    first = Question.objects.get(prompt__startswith="大模型训练中常见的计算资源瓶颈")
    assert first.source_entries == "1, 16"
    assert list(first.key_points.values_list("label", flat=True)) == ["GPU内存", "CPU计算能力", "网络带宽", "存储容量"]
    assert set(Question.objects.values_list("topic__slug", flat=True)) == {
        "training",
        "data",
        "evaluation",
        "inference",
    }
    assert KeyPoint.objects.filter(question__source_entries="2, 17").count() == 4
    assert not Question.objects.filter(key_points=None).exists()


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
    bank_copy.write_text(bank_copy.read_text(encoding="utf-8").replace("减少模型大小和计算量", "减少参数量"), "utf-8")

    out = run("import_bank", str(bank_copy))

    assert "0 created, 1 updated, 10 unchanged" in out
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert "减少参数量" in question.key_points.get(label="模型剪枝").text
    assert question.key_points.get(label="混合精度训练").aliases == "FP16, 半精度"
    first_version.refresh_from_db()
    assert "减少模型大小和计算量" in str(first_version.key_points)
    assert Question.objects.count() == 11


@pytest.mark.django_db
def test_an_editors_change_survives_make_setup_and_overwrite_edited_forces_the_file(bank_copy):
    run("import_bank", "fixtures/bank.md")
    question = Question.objects.get(source_entries="2, 17")
    question.answer = "编辑改写的答案。"
    question.save()
    question.freeze_version()

    out = run("import_bank", "fixtures/bank.md")  # what `make setup` runs

    assert "0 created, 0 updated, 10 unchanged, 1 kept" in out
    assert "kept (edited in the admin since the last import): 如何优化大模型的训练过程以提高效率？" in out
    question.refresh_from_db()
    assert question.answer == "编辑改写的答案。"
    out = run("import_bank", "fixtures/bank.md", "--overwrite-edited")
    assert "1 updated" in out
    question.refresh_from_db()
    assert question.answer.startswith("优化大模型训练过程的方法包括")
    assert "11 unchanged" in run("import_bank", "fixtures/bank.md")


@pytest.mark.django_db
def test_a_changed_prompt_with_restarted_numbering_updates_only_its_own_question(tmp_path):
    path = tmp_path / "ml.md"
    text = (BANKS / "h3_sections.md").read_text()
    path.write_text(text)
    run("import_bank", str(path), "--topics", "")
    original = Question.objects.get(prompt="学习率太大会怎样？")
    other_first = Question.objects.get(prompt="什么是过拟合？")
    path.write_text(text.replace("学习率太大会怎样？", "学习率设得太大会发生什么？"))

    out = run("import_bank", str(path), "--topics", "")

    assert "0 created, 1 updated, 3 unchanged" in out
    original.refresh_from_db()
    other_first.refresh_from_db()
    assert original.prompt == "学习率设得太大会发生什么？" and original.current_version.number == 2
    assert other_first.prompt == "什么是过拟合？" and other_first.current_version.number == 1
    # A new prompt with a new answer is a new question: nothing is written onto another one.
    path.write_text(text.replace("学习率太大会怎样？", "动量有什么用？").replace("损失会震荡甚至发散。", "加速收敛。"))
    out = run("import_bank", str(path), "--topics", "")
    assert "1 created, 0 updated, 3 unchanged" in out
    original.refresh_from_db()
    assert original.prompt == "学习率设得太大会发生什么？"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, count, topics, derived_everywhere",
    [
        ("h2_numbered.md", 3, {"General"}, True),
        ("h3_sections.md", 4, {"理论篇", "实践篇"}, False),
        ("bold_emoji.md", 3, {"Linear regression", "Trees"}, True),
        ("english_answer.md", 2, {"Evaluation"}, False),
        ("nested.md", 2, {"模型压缩"}, False),
        ("every_type.gift", 9, {"Machine learning", "Maths"}, False),
        ("notes.txt", 2, {"Training", "Inference"}, False),
    ],
)
def test_every_style_imports_with_topics_and_key_points(name, count, topics, derived_everywhere):
    out = run("import_bank", str(BANKS / name), "--topics", "")
    assert f"{count} created" in out and "0 skipped" in out
    assert Question.objects.count() == count
    assert set(Question.objects.values_list("topic__name", flat=True)) == topics
    assert not Question.objects.filter(key_points=None).exists()
    if derived_everywhere:
        assert not KeyPoint.objects.filter(is_derived=False).exists()
    assert "11 unchanged" not in out and f"{count} unchanged" in run("import_bank", str(BANKS / name), "--topics", "")


@pytest.mark.django_db
def test_code_is_stored_byte_for_byte():
    run("import_bank", str(BANKS / "h2_numbered.md"), "--topics", "")
    answer = Question.objects.get(prompt="What does self-attention compute?").answer
    source = (BANKS / "h2_numbered.md").read_text()
    fence = source[source.index("```python") : source.index("```\n", source.index("```python") + 3) + 3]
    assert fence in answer


@pytest.mark.django_db
def test_difficulty_marks_become_difficulty():
    run("import_bank", str(BANKS / "bold_emoji.md"), "--topics", "")
    assert dict(Question.objects.values_list("prompt", "difficulty")) == {
        "What is linear regression?": "easy",
        "What does R² measure?": "medium",
        "How does a decision tree split a node?": "hard",
    }


@pytest.mark.django_db
def test_topic_puts_a_whole_file_under_one_topic_and_topics_maps_sections(tmp_path):
    topic = TopicFactory(slug="ml", name="Machine learning")
    run("import_bank", str(BANKS / "bold_emoji.md"), "--topic", "ml")
    assert set(Question.objects.values_list("topic", flat=True)) == {topic.pk}
    mapping = tmp_path / "topics.json"
    mapping.write_text(json.dumps({"理论篇": "ml"}), "utf-8")
    run("import_bank", str(BANKS / "h3_sections.md"), "--topics", str(mapping))
    assert Question.objects.get(prompt="什么是过拟合？").topic == topic
    assert Question.objects.get(prompt="如何选择批大小？").topic.name == "实践篇"
    with pytest.raises(CommandError, match="no topic with the slug"):
        run("import_bank", str(BANKS / "nested.md"), "--topic", "nope")


@pytest.mark.django_db
def test_a_zip_imports_its_images_and_reports_a_missing_one(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"
    archive = tmp_path / "maths.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(BANKS / "maths.md", "bank/maths.md")
        z.writestr("bank/images/softmax.png", b"\x89PNG fake image")
    out = run("import_bank", str(archive), "--topics", "")
    assert "maths.zip:19: image not found: images/missing.png" in out
    first = Question.objects.get(prompt="What is the softmax function?")
    assert "![softmax curve](/media/question-images/" in first.answer
    stored = list((tmp_path / "media" / "question-images").rglob("softmax.png"))
    assert len(stored) == 1 and stored[0].read_bytes() == b"\x89PNG fake image"
    second = Question.objects.get(prompt="What does this plot show?")
    assert second.answer == "a missing plot It shows the loss going down."
    assert "2 unchanged" in run("import_bank", str(archive), "--topics", "")


@pytest.mark.django_db
def test_a_skipped_entry_is_reported_and_strict_refuses_the_file(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text(
        "### 1.7 有答案？\n\n有。\n\n### 1.8 没有答案？\n\n### 1.9 同一题？\n\n一。\n\n### 2.0 同一题？\n\n二。\n"
    )
    out = run("import_bank", str(path), "--topics", "")
    assert f"{path.name}:5: question 1.8 has no answer" in out
    assert (
        f"{path.name}:11: question 2.0 asks the same question as 1.9 with a different answer (the first one is kept)"
        in out
    )
    assert "2 created, 0 updated, 0 unchanged, 0 kept, 2 skipped" in out
    Question.objects.all().delete()
    with pytest.raises(CommandError) as exc:
        run("import_bank", str(path), "--topics", "", "--strict")
    assert str(exc.value).startswith(f"{path}:5: ")
    assert Question.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, line, message",
    [
        (b"#### 1. a?\n**\xe7\xad\x94\xe6\xa1\x88\xef\xbc\x9a** ok\n\xff\n", 3, "not valid UTF-8"),
        (b"", 1, "the file is empty"),
        ("# 标题\n\n只有介绍。\n".encode(), 1, "no entries found"),
    ],
    ids=["bad-bytes", "empty", "no-entries"],
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
@pytest.mark.parametrize(
    "text, line, message",
    [
        ("### 1. 问\x00题？\n\n答。\n", 1, "NUL character"),
        ("### 1. 问题？\n\n答\x07。\n", 1, "control character U+0007"),
        ("### 1. 问题？\n\n答\u202e。\n", 1, "text-direction override U+202E"),
        ("### 1. 问题？\n\n- **" + "长" * 201 + "：** 文字\n", 1, "longer than 200 characters"),
    ],
    ids=["nul", "control", "bidi", "long-label"],
)
def test_input_beyond_the_databases_limits_is_skipped_with_its_line(tmp_path, text, line, message):
    path = tmp_path / "limits.md"
    path.write_text(f"{text}\n### 2. 好的问题？\n\n好的回答。\n", "utf-8")
    out = run("import_bank", str(path), "--topics", "")
    assert f"limits.md:{line}: question 1 " in out and message in out
    assert list(Question.objects.values_list("prompt", flat=True)) == ["好的问题？"]


@pytest.mark.django_db
def test_a_file_name_over_the_limit_is_refused(tmp_path):
    path = tmp_path / (("n" * 201) + ".md")
    path.write_text("### 1. 问题？\n\n答。\n")
    with pytest.raises(CommandError, match="file name is longer than 200 characters"):
        run("import_bank", str(path))


@pytest.mark.django_db
def test_invisible_characters_are_removed_so_look_alike_prompts_are_one_question(tmp_path):
    path = tmp_path / "zw.md"
    path.write_text("### 1. 什么是\u200b注意力？\n\n答案。\n\n### 2. 什么是注意力\ufeff？\n\n答案。\n", "utf-8")
    out = run("import_bank", str(path), "--topics", "")
    assert "1 created" in out and "duplicates merged: 1" in out
    assert Question.objects.get().prompt == "什么是注意力？"


@pytest.mark.django_db
@pytest.mark.parametrize("format, suffix", [("markdown", "md"), ("json", "json"), ("gift", "gift"), ("anki", "txt")])
def test_every_export_imports_back_with_no_change(tmp_path, format, suffix):
    run("import_bank", str(SEED))
    run("import_bank", str(BANKS / "nested.md"), "--topics", "")
    run("import_bank", str(BANKS / "h2_numbered.md"), "--topics", "")
    KeyPoint.objects.filter(label="GPU内存").update(aliases="显存, GPU memory")
    before = db_state()
    target = tmp_path / f"export.{suffix}"
    call_command("export_bank", "--format", format, "-o", str(target), stderr=io.StringIO())
    out = run("import_bank", str(target), "--topics", "")
    assert "0 created, 0 updated, 16 unchanged, 0 kept, 0 skipped" in out
    assert db_state() == before


@pytest.mark.django_db
def test_an_anki_note_is_matched_by_its_guid_when_its_front_changes(tmp_path):
    run("import_bank", str(BANKS / "notes.txt"), "--topics", "")
    question = Question.objects.get(prompt="What is **gradient clipping**?")
    path = tmp_path / "notes.txt"
    path.write_text((BANKS / "notes.txt").read_text().replace("What is <b>gradient clipping</b>?", "Define clipping."))
    out = run("import_bank", str(path), "--topics", "")
    assert "0 created, 1 updated" in out
    question.refresh_from_db()
    assert question.prompt == "Define clipping." and question.tags == "llm training"


@pytest.mark.django_db
def test_the_json_export_gives_the_version_number_editors_see():
    run("import_bank", str(SEED))
    question = Question.objects.get(source_entries="2, 17")
    question.answer = "新答案。"
    question.save()
    question.freeze_version()
    data = json.loads(run("export_bank", "--format", "json"))
    assert len(data) == 11
    exported = next(item for item in data if item["id"] == question.pk)
    assert exported["version"] == 2
    assert {
        "label": "混合精度训练",
        "text": "使用FP16代替FP32进行训练，减少内存占用和计算时间。",
        "aliases": [],
        "derived": False,
    } in exported["key_points"]


@pytest.mark.django_db
def test_an_id_from_another_sites_export_never_overwrites_an_unrelated_question(tmp_path):
    run("import_bank", str(SEED))
    victim = Question.objects.order_by("pk").first()
    path = tmp_path / "other-site.json"
    path.write_text(
        json.dumps([{"id": victim.pk, "topic": "x", "prompt": "另一个站点的问题？", "answer": "别的答案。"}])
    )
    out = run("import_bank", str(path), "--topics", "")
    assert "1 created, 0 updated" in out
    victim.refresh_from_db()
    assert victim.prompt != "另一个站点的问题？" and victim.current_version.number == 1


@pytest.mark.django_db
def test_a_question_written_in_the_admin_is_kept_when_a_bank_asks_the_same(tmp_path):
    from questions.tests.factories import QuestionFactory

    written = QuestionFactory(prompt="什么是过拟合？", answer="编辑写的答案。")
    out = run("import_bank", str(BANKS / "h3_sections.md"), "--topics", "")
    assert "3 created, 0 updated, 0 unchanged, 1 kept" in out
    written.refresh_from_db()
    assert written.answer == "编辑写的答案。"
