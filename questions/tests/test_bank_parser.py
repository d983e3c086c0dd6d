"""The bank parser on the shipped seed and on small banks written here."""

from pathlib import Path

import pytest

from questions.bank import BankError, KeyPointData, decode, enumerated_key_points, format_entry, parse_bank

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "bank.md"

SMALL = """# 标题

介绍文字，不是题目。

#### 1. 什么是混合精度训练？

**答案：** 混合精度训练的要点：
- **FP16：** 使用半精度存储激活。
- **损失缩放:** 防止梯度下溢。

**解析：** 节省显存。

---

结束语，不是题目。
"""


def test_the_seed_has_twenty_entries_with_their_key_points():
    entries = parse_bank(decode(SEED.read_bytes()))
    assert [e.number for e in entries] == list(range(1, 21))
    second = entries[1]
    assert second.prompt == "如何优化大模型的训练过程以提高效率？"
    assert second.answer == "优化大模型训练过程的方法包括："
    assert second.key_points[2] == KeyPointData("混合精度训练", "使用FP16代替FP32进行训练，减少内存占用和计算时间。")
    assert second.explanation.startswith("这些方法可以提高大模型训练的效率")
    assert "通过上述解析" not in entries[-1].explanation


def test_the_seed_has_eleven_distinct_questions():
    entries = parse_bank(decode(SEED.read_bytes()))
    assert len({e.content() for e in entries}) == 11


def test_an_enumerated_answer_yields_its_key_points():
    first = parse_bank(decode(SEED.read_bytes()))[0]
    assert [kp.label for kp in first.key_points] == ["GPU内存", "CPU计算能力", "网络带宽", "存储容量"]


def test_enumeration_after_other_lead_words():
    assert [kp.label for kp in enumerated_key_points("常见方法有剪枝、量化以及蒸馏。")] == ["剪枝", "量化", "蒸馏"]
    assert enumerated_key_points("没有列举的回答。") == ()


def test_text_around_the_entries_is_not_a_question():
    entries = parse_bank(SMALL)
    assert len(entries) == 1
    assert entries[0].explanation == "节省显存。"
    assert [kp.label for kp in entries[0].key_points] == ["FP16", "损失缩放"]


def test_crlf_bom_ascii_colons_blank_lines_and_trailing_spaces_are_accepted():
    messy = SMALL.replace("：**", ":**").replace("\n", "   \r\n").replace("**答案", "\r\n\r\n**答案")
    entries = parse_bank(decode(b"\xef\xbb\xbf" + messy.encode()))
    assert entries == parse_bank(SMALL)


def test_a_label_with_the_colon_outside_the_bold_is_accepted():
    bank = "#### 1. 问题？\n**答案**： 前言\n- **要点**： 内容\n"
    assert parse_bank(bank)[0].key_points == (KeyPointData("要点", "内容"),)


def test_an_entry_without_an_answer_names_its_line():
    with pytest.raises(BankError) as exc:
        parse_bank("intro\n\n#### 1. 有答案？\n**答案：** 有。\n\n#### 2. 没有答案？\n\n**解析：** 无。\n")
    assert exc.value.line == 6
    assert "no '**答案：**' answer" in exc.value.message


def test_an_empty_answer_is_refused():
    with pytest.raises(BankError) as exc:
        parse_bank("#### 1. 问题？\n**答案：**\n\n**解析：** 无。\n")
    assert exc.value.line == 1
    assert "empty answer" in exc.value.message


def test_a_heading_with_no_question_names_its_line():
    with pytest.raises(BankError) as exc:
        parse_bank("#### 1. 问题？\n**答案：** 是。\n\n#### 2.   \n**答案：** 否。\n")
    assert exc.value.line == 4
    assert "no question" in exc.value.message


def test_bytes_that_are_not_utf8_name_their_line():
    with pytest.raises(BankError) as exc:
        decode("#### 1. 问题？\n**答案：** ".encode() + b"\xff\xfe\n")
    assert exc.value.line == 2


@pytest.mark.parametrize("text", ["", "   \n\n", "# 只有标题\n\n没有题目。\n"])
def test_a_file_without_entries_is_refused(text):
    with pytest.raises(BankError) as exc:
        parse_bank(text)
    assert exc.value.line == 1


def test_a_repeated_key_point_label_is_refused():
    with pytest.raises(BankError, match="repeats a key point label"):
        parse_bank("#### 1. 问题？\n**答案：**\n- **A：** x\n- **A：** y\n")


def test_a_formatted_entry_parses_back_to_the_same_content():
    for entry in parse_bank(decode(SEED.read_bytes())):
        text = format_entry(entry.number, entry.prompt, entry.answer, entry.key_points, entry.explanation)
        assert parse_bank(text)[0].content() == entry.content()


def test_the_same_question_with_a_different_answer_is_refused():
    with pytest.raises(BankError) as exc:
        parse_bank("#### 1. 问题？\n**答案：** 是。\n\n#### 2. 问题？\n**答案：** 否。\n")
    assert exc.value.line == 4
    assert "same question as entry 1" in exc.value.message
