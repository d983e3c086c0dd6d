"""The bank format at its edges: rules and headings between entries, lines that continue a part,
the heading variants, the enumeration rule and the writer. Inputs and exact outputs only."""

import pytest

from questions.bank import (
    BankError,
    Entry,
    KeyPointData,
    decode,
    enumerated_key_points,
    format_bank,
    format_entry,
    parse_bank,
)


def entry(number, prompt, body):
    return f"#### {number}. {prompt}\n\n{body}\n"


@pytest.mark.parametrize("rule", ["---", "***", "___", "-----", "  ---  "])
def test_a_rule_ends_an_entry_and_the_next_heading_starts_another(rule):
    bank = (
        entry(1, "第一题？", "**答案：** 一。")
        + f"\n{rule}\n\n不属于任何题目的结束语。\n\n"
        + entry(2, "第二题？", "**答案：** 二。")
        + f"{rule}\n"
        + entry(3, "第三题？", "**答案：** 三。")
    )
    entries = parse_bank(bank)
    assert [(e.number, e.line, e.prompt, e.answer) for e in entries] == [
        (1, 1, "第一题？", "一。"),
        (2, 9, "第二题？", "二。"),
        (3, 13, "第三题？", "三。"),
    ]


@pytest.mark.parametrize("line", ["--", "- - -", "--- 不是分隔线", "**"])
def test_what_is_not_a_rule_stays_in_the_answer(line):
    (only,) = parse_bank(entry(1, "问题？", f"**答案：** 开头\n{line}\n结尾"))
    assert only.answer == f"开头\n{line}\n结尾"


def test_another_section_heading_ends_an_entry_too():
    bank = (
        entry(1, "第一题？", "**答案：** 一。")
        + "### 第二部分\n\n这一节的介绍。\n\n"
        + entry(2, "第二题？", "**答案：** 二。")
    )
    entries = parse_bank(bank)
    assert [(e.number, e.answer) for e in entries] == [(1, "一。"), (2, "二。")]


def test_a_hash_without_a_space_is_text_not_a_heading():
    (only,) = parse_bank(entry(1, "问题？", "**答案：** 一\n#不是标题\n二"))
    assert only.answer == "一\n#不是标题\n二"


def test_a_prompt_may_run_over_several_lines():
    bank = "#### 7. 第一行\n第二行，\n\n  第三行。  \n\n**答案：** 答。\n"
    (only,) = parse_bank(bank)
    assert (only.number, only.prompt, only.answer) == (7, "第一行\n第二行，\n第三行。", "答。")


def test_the_explanation_continues_until_the_next_entry():
    bank = entry(1, "问题？", "**答案：** 答。\n\n**解析：** 第一段，\n接着第一段。\n\n\n\n第二段。  ") + entry(
        2, "另一题？", "**答案：** 答。"
    )
    first, second = parse_bank(bank)
    assert first.explanation == "第一段，\n接着第一段。\n\n第二段。"
    assert (second.explanation, second.answer) == ("", "答。")


def test_the_answer_continues_with_prose_and_bullets_until_the_explanation():
    bank = entry(
        1,
        "问题？",
        "**答案：** 第一句。\n第二句。\n- **要点一：** 文字一。\n- 普通列表项\n* **要点二**: 文字二。\n\n**解析：** 解释。",
    )
    (only,) = parse_bank(bank)
    assert only.answer == "第一句。\n第二句。\n- 普通列表项"
    assert only.key_points == (KeyPointData("要点一", "文字一。"), KeyPointData("要点二", "文字二。"))
    assert only.explanation == "解释。"


def test_an_answer_of_bullets_only_has_no_prose():
    (only,) = parse_bank(entry(1, "问题？", "**答案：**\n- **甲：** 一\n+ **乙：**"))
    assert only.answer == ""
    assert only.key_points == (KeyPointData("甲", "一"), KeyPointData("乙", ""))


@pytest.mark.parametrize(
    "heading, number, prompt",
    [
        ("#### 2、什么是量化？", 2, "什么是量化？"),
        ("####3.什么是量化？", 3, "什么是量化？"),
        ("# 4) 什么是量化？ ", 4, "什么是量化？"),
        ("###### 15）什么是量化？", 15, "什么是量化？"),
        ("## 6． 什么是量化？", 6, "什么是量化？"),
    ],
)
def test_heading_variants(heading, number, prompt):
    (only,) = parse_bank(f"{heading}\n**答案：** 答。\n")
    assert (only.number, only.prompt, only.line) == (number, prompt, 1)


def test_a_seven_hash_heading_is_not_an_entry():
    with pytest.raises(BankError) as exc:
        parse_bank("####### 1. 问题？\n**答案：** 答。\n")
    assert (exc.value.line, str(exc.value)) == (
        1,
        "1: no entries found: an entry starts with a heading like '#### 1. <question>'",
    )


def test_the_messages_name_the_entry():
    with pytest.raises(BankError) as exc:
        parse_bank("\n\n#### 3. 问题？\n\n**解析：** 无。\n")
    assert (exc.value.line, exc.value.message) == (3, "entry 3 has no '**答案：**' answer")
    with pytest.raises(BankError) as exc:
        parse_bank("#### 4. 问题？\n**答案：**  \n\n")
    assert exc.value.message == "entry 4 has an empty answer"
    with pytest.raises(BankError) as exc:
        parse_bank("\n#### 5.\n**答案：** 答。\n")
    assert (exc.value.line, exc.value.message) == (2, "entry 5 has a heading with no question")
    with pytest.raises(BankError) as exc:
        parse_bank("#### 6. 问题？\n**答案：**\n- **甲：** 一\n- **甲：** 二\n")
    assert exc.value.message == "entry 6 repeats a key point label"


def test_the_same_question_twice_word_for_word_is_kept_twice():
    text = entry(1, "问题？", "**答案：** 答。") + entry(2, "问题？", "**答案：** 答。")
    assert [e.number for e in parse_bank(text)] == [1, 2]


def test_the_same_question_with_another_explanation_is_refused():
    text = (
        entry(1, "问题？", "**答案：** 答。")
        + entry(2, "其他？", "**答案：** 答。")
        + entry(3, "问题？", "**答案：** 答。\n\n**解析：** 不同。")
    )
    with pytest.raises(BankError) as exc:
        parse_bank(text)
    assert (exc.value.line, exc.value.message) == (
        7,
        "entry 3 asks the same question as entry 1 with a different answer",
    )


def test_decode_strips_a_bom_and_normalises_line_ends():
    assert decode("\ufeff一\r\n二\r三\n".encode()) == "一\n二\n三\n"


def test_decode_names_the_line_of_the_first_bad_byte():
    with pytest.raises(BankError) as exc:
        decode(b"a\nb\nc\xff\nd\xff\n")
    assert (exc.value.line, exc.value.message) == (3, "this line is not valid UTF-8")


@pytest.mark.parametrize(
    "prose, labels",
    [
        ("资源包括GPU内存、CPU计算能力、网络带宽和存储容量。", ["GPU内存", "CPU计算能力", "网络带宽", "存储容量"]),
        ("主要有剪枝、量化以及蒸馏", ["剪枝", "量化", "蒸馏"]),
        ("分为训练、推理与部署。", ["训练", "推理", "部署"]),
        ("方法如下：剪枝、量化或蒸馏", ["剪枝", "量化", "蒸馏"]),
        ("第一句没有列举。第二句有A、B及C。", ["A", "B", "C"]),
        ("A、B、A", ["A", "B"]),
        ("甲，、乙；、 丙", ["甲", "乙", "丙"]),
        ("A、、B", ["A", "B"]),
        ("只有一个要点。", []),
    ],
)
def test_enumerated_key_points(prose, labels):
    points = enumerated_key_points(prose)
    assert [kp.label for kp in points] == labels
    assert all(kp.text == kp.label for kp in points)


def test_only_the_first_enumeration_counts():
    assert [kp.label for kp in enumerated_key_points("有甲、乙。\n还有丙、丁。")] == ["甲", "乙"]


def test_format_entry_writes_bullets_and_explanation():
    text = format_entry(3, "问题？", "第一行\n第二行", [KeyPointData("甲", "一"), KeyPointData("乙", "")], "解释。")
    assert text == "#### 3. 问题？\n\n**答案：** 第一行\n第二行\n- **甲：** 一\n- **乙：**\n\n**解析：** 解释。\n"


def test_format_entry_leaves_out_bullets_the_enumeration_gives_back():
    answer = "包括剪枝、量化和蒸馏。"
    points = enumerated_key_points(answer)
    assert format_entry(1, "问题？", answer, points, "") == "#### 1. 问题？\n\n**答案：** 包括剪枝、量化和蒸馏。\n"
    (parsed,) = parse_bank(format_entry(1, "问题？", answer, points, ""))
    assert parsed.key_points == points


def test_format_entry_with_no_prose():
    text = format_entry(2, "问题？", "", [KeyPointData("甲", "一")], "")
    assert text == "#### 2. 问题？\n\n**答案：**\n- **甲：** 一\n"
    assert parse_bank(text)[0].content() == ("问题？", "", (KeyPointData("甲", "一"),), "")


def test_format_bank_has_a_title_and_blank_lines_between_entries():
    entries = [(1, "甲？", "一。", [], ""), (2, "乙？", "二。", [], "")]
    assert format_bank("题库", entries) == (
        "### 题库\n\n#### 1. 甲？\n\n**答案：** 一。\n\n#### 2. 乙？\n\n**答案：** 二。\n"
    )
    assert format_bank("", entries[:1]) == "#### 1. 甲？\n\n**答案：** 一。\n"
    parsed = parse_bank(format_bank("题库", entries))
    assert [e.content() for e in parsed] == [("甲？", "一。", (), ""), ("乙？", "二。", (), "")]


def test_an_entry_is_its_content():
    a = Entry(1, 1, "问？", "答。", (), "")
    assert a.content() == ("问？", "答。", (), "")
    assert Entry(2, 9, "问？", "答。", (), "").content() == a.content()
