"""Markdown banks in the styles people publish, read by the markdown-it-py importer."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questions.importers import BankError, KeyPointData, read_bank
from questions.importers.base import clean, decode
from questions.importers.keypoints import enumerated_key_points
from questions.importers.markdown import parse_markdown, split_heading

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "bank.md"
BANKS = Path(__file__).resolve().parent / "banks"
FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1$", re.MULTILINE | re.DOTALL)


def parse(name: str, **options):
    return read_bank((BANKS / name).read_bytes(), name=name, **options)[0]


def stored_text(bank) -> str:
    return "\n".join(f"{e.prompt}\n{e.answer}\n{e.explanation}" for e in bank.entries)


def assert_code_kept(source: str, bank) -> None:
    for block in FENCE.finditer(source):
        assert block.group(0) in stored_text(bank)


def test_the_seed_has_twenty_entries_with_their_key_points():
    bank = parse_markdown(decode(SEED.read_bytes()))
    assert [e.number for e in bank.entries] == [str(n) for n in range(1, 21)]
    assert bank.style == "headings level 4"
    second = bank.entries[1]
    assert second.prompt == "如何优化大模型的训练过程以提高效率？"
    assert second.answer.startswith("优化大模型训练过程的方法包括：\n- **并行计算：**")
    assert second.key_points[2] == KeyPointData("混合精度训练", "使用FP16代替FP32进行训练，减少内存占用和计算时间。")
    assert second.explanation.startswith("这些方法可以提高大模型训练的效率")
    assert "通过上述解析" not in bank.entries[-1].explanation
    assert len({e.content() for e in bank.entries}) == 11


def test_entry_one_of_the_seed_has_its_enumerated_key_points():
    first = parse_markdown(decode(SEED.read_bytes())).entries[0]
    assert [kp.label for kp in first.key_points] == ["GPU内存", "CPU计算能力", "网络带宽", "存储容量"]
    assert not any(kp.derived for kp in first.key_points)


def test_numbered_h2_questions_keep_subheadings_and_code_with_comment_lines():
    bank = parse("h2_numbered.md")
    assert bank.style == "headings level 2"
    assert [e.prompt for e in bank.entries] == [
        "What does self-attention compute?",
        "Why scale the dot products?",
        "What is multi-head attention?",
    ]
    first = bank.entries[0]
    assert "### Core components" in first.answer and first.answer.endswith("The output keeps the sequence length.")
    assert "    # an indented code block\n    x = q @ k.T / math.sqrt(d_k)" in bank.entries[1].answer
    assert_code_kept((BANKS / "h2_numbered.md").read_text(), bank)
    assert all(e.key_points and all(kp.derived for kp in e.key_points) for e in bank.entries)


def test_h3_questions_under_numbered_sections_whose_numbering_restarts():
    bank = parse("h3_sections.md")
    assert [(e.number, e.section, e.position) for e in bank.entries] == [
        ("1", "理论篇", 1),
        ("2", "理论篇", 2),
        ("1", "实践篇", 1),
        ("2", "实践篇", 2),
    ]
    assert [kp.label for kp in bank.entries[1].key_points] == ["正则化", "Dropout", "数据增强"]
    assert [kp.label for kp in bank.entries[3].key_points] == ["显存允许的范围内尽量大", "配合学习率一起调整"]


def test_bold_paragraph_questions_with_emoji_difficulty():
    bank = parse("bold_emoji.md")
    assert bank.style == "bold paragraphs"
    assert [(e.prompt, e.difficulty, e.section) for e in bank.entries] == [
        ("What is linear regression?", "easy", "Linear regression"),
        ("What does R² measure?", "medium", "Linear regression"),
        ("How does a decision tree split a node?", "hard", "Trees"),
    ]
    assert len(bank.entries[2].key_points) == 2


def test_english_answer_marker_with_label_paragraphs():
    bank = parse("english_answer.md")
    first, second = bank.entries
    assert first.number == "Q1" and first.answer.startswith("They measure different errors.")
    assert [kp.label for kp in first.key_points] == ["Precision", "Recall"]
    assert first.explanation == "Trade one against the other with the threshold."
    assert second.answer == "The harmonic mean of precision and recall."


def test_nested_lists_scope_repeated_child_labels_and_dotted_numbers():
    bank = parse("nested.md")
    first, second = bank.entries
    assert first.number == "1.1" and second.number == "1.2"
    assert [kp.label for kp in first.key_points] == [
        "量化",
        "量化 / 优点",
        "量化 / 缺点",
        "剪枝",
        "剪枝 / 优点",
        "剪枝 / 缺点",
    ]
    assert second.prompt == "什么是知识蒸馏？\n请解释知识蒸馏的基本思想，并说明温度参数的作用。"
    assert second.answer == "用大模型（教师）的软标签训练小模型（学生）。"
    assert second.explanation == "温度越高，软标签越平滑。"


def test_maths_tables_and_images_are_kept():
    bank = parse("maths.md")
    first = bank.entries[0]
    assert r"$\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$" in first.answer
    assert "$$\n\\sum_i \\sigma(z)_i = 1\n$$" in first.answer
    assert "| logits | probabilities |" in first.answer
    assert first.images == ((15, "images/softmax.png"),)
    assert bank.entries[1].images == ((19, "images/missing.png"),)


def test_level_and_style_can_be_forced():
    text = "## A?\n\ntext a\n\n### B?\n\ntext b\n"
    assert [e.prompt for e in parse_markdown(text).entries] == ["A?"]
    assert [e.prompt for e in parse_markdown(text, level=3).entries] == ["B?"]
    bold = "## Section\n\n**Is it bold?**\n\nyes\n"
    assert parse_markdown(bold, style="bold").entries[0].prompt == "Is it bold?"


def test_a_question_without_an_answer_is_skipped_with_its_own_number():
    bank = parse_markdown("### 1.7 有答案？\n\n有。\n\n### 1.8 没有答案？\n\n### 1.9 也有？\n\n也有。\n")
    assert [e.number for e in bank.entries] == ["1.7", "1.9"]
    assert [(p.line, p.message) for p in bank.problems] == [(5, "question 1.8 has no answer")]


def test_markers_in_full_width_and_ascii_punctuation():
    for marker in (
        "**答案：**",
        "**答案:**",
        "**答案**：",
        "**Answer:**",
        "**Answer**:",
        "A:",
        "答：",
        "> **30 秒回答：**",
    ):
        entry = parse_markdown(f"#### 1. 问题？\n\n{marker} 回答正文\n\n**解析:** 说明\n").entries[0]
        assert entry.answer.endswith("回答正文") and entry.explanation == "说明", marker


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("1. What?", ("1", "What?", "")),
        ("1) What?", ("1", "What?", "")),
        ("01. What?", ("01", "What?", "")),
        ("1.1 What?", ("1.1", "What?", "")),
        ("Q1: What?", ("Q1", "What?", "")),
        ("What? 👶", ("", "What?", "easy")),
        ("**2. What?** [hard]", ("2", "What?", "hard")),
        ("3. 什么是注意力？（中等）", ("3", "什么是注意力？", "medium")),
        ("3D convolution?", ("", "3D convolution?", "")),
    ],
)
def test_heading_numbers_and_difficulty_marks(heading, expected):
    assert split_heading(heading) == expected


def test_english_enumerations_give_key_points():
    points = enumerated_key_points("The main parts include the encoder, the decoder and the attention layers.")
    assert [kp.label for kp in points] == ["the encoder", "the decoder", "the attention layers"]


def test_bytes_that_are_not_utf8_name_their_line_and_an_encoding():
    with pytest.raises(BankError) as exc:
        decode("#### 1. What?\n**答案：** 中文\n".encode("gb18030"))
    assert exc.value.line == 2 and "convert the file from GB18030 (or Big5)" in exc.value.message


@pytest.mark.parametrize("text", ["", "   \n\n"])
def test_an_empty_file_is_refused(text):
    with pytest.raises(BankError, match="empty") as exc:
        read_bank(text.encode(), name="empty.md")
    assert exc.value.line == 1


def test_a_file_with_no_entries_is_refused():
    with pytest.raises(BankError, match="no entries found"):
        read_bank("# 只有标题\n\n没有题目。\n".encode(), name="t.md")


# Info strings that name no coding role (coding/spec.py): such blocks stay part of the answer.
LANGUAGES = st.sampled_from(["python", "java", "cpp", "python example", "text", ""])
CODE_LINE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), max_size=30
).map(lambda s: s.replace("`", "'").replace("~", "-").rstrip())
CODE = st.lists(
    st.tuples(st.integers(0, 8), CODE_LINE).map(lambda p: " " * p[0] + p[1] if p[1] else ""), min_size=1, max_size=8
)


@settings(max_examples=60, deadline=None)
@given(blocks=st.lists(st.tuples(LANGUAGES, CODE), min_size=1, max_size=3), hashes=st.booleans())
def test_every_fenced_code_block_is_stored_byte_for_byte(blocks, hashes):
    fences = []
    for language, lines in blocks:
        if hashes:
            lines = ["# a comment, not a heading", *lines, "## not a heading either"]
        fences.append(f"```{language}\n" + "\n".join(lines) + "\n```")
    source = "## Section\n\n### 1. Write the code?\n\nThe answer:\n\n" + "\n\nThen:\n\n".join(fences) + "\n\nDone.\n"
    bank = parse_markdown(source)
    assert len(bank.entries) == 1
    for fence in fences:
        assert fence in bank.entries[0].answer


@settings(max_examples=60, deadline=None)
@given(starter=CODE, solution=CODE, hashes=st.booleans())
def test_a_coding_question_keeps_its_code_blocks_byte_for_byte(starter, solution, hashes):
    if hashes:
        starter = ["# a comment, not a heading", *starter, "## not a heading either"]
    source = (
        "## Section\n\n### 1. Write the code?\n\n```python starter\n" + "\n".join(starter) + "\n```\n\n"
        "**Answer:** Done.\n\n```python solution\n" + "\n".join(solution) + "\n```\n"
    )
    (entry,) = parse_markdown(source).entries
    assert (entry.prompt, entry.answer) == ("Write the code?", "Done.")
    assert entry.coding.starter_code == "\n".join(starter)
    assert entry.coding.solution_code == "\n".join(solution)


def test_a_code_block_with_a_compatibility_character_is_stored_byte_for_byte():
    fence = "```python\nname = '\uf900'  # which NFC would turn into U+8C48\n```"
    bank = parse_markdown(f"### 1. Write it?\n\nThe answer:\n\n{fence}\n")
    assert fence in bank.entries[0].answer
    assert "\uf900" in bank.entries[0].answer


def test_prose_is_stored_as_written_and_not_recomposed():
    decomposed = "cafe\u0301"
    bank = parse_markdown(f"### 1. What is {decomposed}?\n\nA {decomposed}.\n")
    assert bank.entries[0].answer == f"A {decomposed}."


def test_invisible_characters_are_removed_from_prose_but_never_from_code():
    fenced = "~~~\nx = 1\u200b\n~~~"
    indented = "    y = 2\ufeff"
    bank = parse_markdown(f"### 1. Zero\u200bwidth?\n\nAn\u200b answer.\n\n{fenced}\n\nThen:\n\n{indented}\n")
    entry = bank.entries[0]
    assert entry.prompt == "Zerowidth?"
    assert "An answer." in entry.answer
    assert fenced in entry.answer and indented in entry.answer


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a\u00adb", "ab"),
        ("a\u200b\n```\nc\u200b\n```\nd\u2060", "a\n```\nc\u200b\n```\nd"),
        ("````\n```\nin\u200b\n````\nout\u200b", "````\n```\nin\u200b\n````\nout"),
        ("para\u200b\n\n    code\u200b\n\tcode\u200c", "para\n\n    code\u200b\n\tcode\u200c"),
        ("\uf900 e\u0301", "\uf900 e\u0301"),
        # A fence marker indented four spaces or by a tab is a line of code, and opens no fence.
        ("a\u200b\n    ```\nb\u200b", "a\n    ```\nb"),
        ("a\u200b\n   ```\nb\u200b\n```\nc\u200b", "a\n   ```\nb\u200b\n```\nc"),
        ("a\u200b\n\t```\nb\u200b", "a\n\t```\nb"),
    ],
)
def test_clean_touches_only_invisible_characters_outside_code(text, expected):
    assert clean(text) == expected
