"""The Markdown importer at its edges: rules between entries, prompts and explanations over several
paragraphs, the enumeration rule and decoding. Inputs and exact outputs only."""

import pytest

from questions.importers.base import BankError, decode, guess_encoding
from questions.importers.keypoints import enumerated_key_points
from questions.importers.markdown import parse_markdown


def entry(number, prompt, body):
    return f"#### {number}. {prompt}\n\n{body}\n"


def summary(text):
    bank = parse_markdown(text)
    return [(e.line, e.number, e.prompt, e.answer, e.explanation) for e in bank.entries], bank.problems


@pytest.mark.parametrize("rule", ["---", "***", "___", "-----", "  ---  ", "- - -"])
def test_a_rule_ends_an_entry_and_the_next_heading_starts_another(rule):
    bank = (
        entry(1, "第一题？", "**答案：** 一。")
        + f"\n{rule}\n\n不属于任何题目的结束语。\n\n"
        + entry(2, "第二题？", "**答案：** 二。")
        + f"\n{rule}\n\n"
        + entry(3, "第三题？", "**答案：** 三。")
    )
    assert summary(bank) == (
        [(1, "1", "第一题？", "一。", ""), (9, "2", "第二题？", "二。", ""), (15, "3", "第三题？", "三。", "")],
        [],
    )


def test_a_rule_right_under_an_answer_is_a_heading_underline_and_the_entry_is_reported():
    # CommonMark: "二。\n---" is a level-2 heading, so entry 2 has no answer left; it is named, never
    # silently lost, and the entries after it are kept.
    bank = entry(1, "第一题？", "**答案：** 一。") + entry(2, "第二题？", "**答案：** 二。") + "---\n" + entry(3, "第三题？", "三。")
    entries, problems = summary(bank)
    assert [e[1] for e in entries] == ["1", "3"]
    assert [(p.line, p.message) for p in problems] == [(4, "question 2 has no answer")]


def test_a_rule_inside_the_explanation_ends_it():
    bank = entry(1, "问题？", "**答案：** 答。\n\n**解析：** 第一段。\n\n---\n\n结束语。") + entry(2, "另一题？", "**答案：** 答。")
    assert summary(bank)[0] == [(1, "1", "问题？", "答。", "第一段。"), (10, "2", "另一题？", "答。", "")]


@pytest.mark.parametrize("line", ["--- 不是分隔线", "**"])
def test_what_is_not_a_rule_stays_in_the_answer(line):
    (only,), _ = summary(entry(1, "问题？", f"**答案：** 开头\n{line}\n结尾"))
    assert only[3] == f"开头\n{line}\n结尾"


def test_a_prompt_may_run_over_several_paragraphs_before_the_answer():
    bank = "#### 7. 第一行\n第二行，\n\n第三行。\n\n**答案：** 答。\n"
    assert summary(bank)[0] == [(1, "7", "第一行\n第二行，\n\n第三行。", "答。", "")]


def test_a_marked_prompt_continues_the_heading():
    bank = "#### 7. 问题\n\n**题目：** 第二行，\n第三行。\n\n**答案：** 答。\n"
    assert summary(bank)[0] == [(1, "7", "问题\n第二行，\n第三行。", "答。", "")]


def test_the_explanation_continues_until_the_next_entry():
    bank = entry(1, "问题？", "**答案：** 答。\n\n**解析：** 第一段，\n接着第一段。\n\n\n\n第二段。\n\n第三段。") + entry(
        2, "另一题？", "**答案：** 答。"
    )
    # Three blank lines or more between paragraphs are one.
    assert summary(bank)[0] == [
        (1, "1", "问题？", "答。", "第一段，\n接着第一段。\n\n第二段。\n\n第三段。"),
        (13, "2", "另一题？", "答。", ""),
    ]


def test_the_answer_continues_until_the_explanation():
    bank = entry(1, "问题？", "**答案：** 第一句。\n第二句。\n\n第二段。\n\n**解析：** 解释。")
    assert summary(bank)[0] == [(1, "1", "问题？", "第一句。\n第二句。\n\n第二段。", "解释。")]


def test_a_question_without_an_answer_does_not_take_the_next_ones():
    bank = "#### 1. 问题？\n\n**解析：** 无。\n\n" + entry(2, "另一题？", "**答案：** 答。")
    entries, problems = summary(bank)
    assert entries == [(5, "2", "另一题？", "答。", "")]
    assert [(p.line, p.message) for p in problems] == [(1, "question 1 has no answer")]


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
        ("有甲、乙。\n还有丙、丁。", ["甲", "乙"]),  # only the first enumeration counts
    ],
)
def test_enumerated_key_points(prose, labels):
    points = enumerated_key_points(prose)
    assert [kp.label for kp in points] == labels
    assert all(kp.text == kp.label for kp in points)


def test_decode_strips_a_bom_and_normalises_line_ends():
    assert decode("\ufeff一\r\n二\r三\n".encode()) == "一\n二\n三\n"


def test_decode_names_the_line_of_the_first_bad_byte():
    with pytest.raises(BankError) as exc:
        decode(b"a\nb\nc\xff\nd\xff\n")
    assert exc.value.line == 3
    assert exc.value.message.startswith("this line is not valid UTF-8")


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("问题".encode("utf-16-le"), None),  # no byte-order mark: read as some other encoding
        (b"\xff\xfe" + "问题".encode("utf-16-le"), "UTF-16"),
        (b"\xfe\xff" + "问题".encode("utf-16-be"), "UTF-16"),
        ("机器学习".encode("gb18030"), "GB18030 (or Big5)"),
        ("機器學習".encode("big5"), "GB18030 (or Big5)"),
        (b"\xa1\x7f", "Shift-JIS"),  # valid Shift-JIS, not GB18030
        (b"caf\xe9 \x80", "its encoding (e.g. Latin-1 or Windows-1252)"),
    ],
)
def test_the_encoding_to_convert_from_is_named(data, named):
    found = guess_encoding(data)
    if named is None:
        assert found != "UTF-16"
    else:
        assert found == named


LISTED = """#### 1. 什么是注意力？

**答案：** 注意力按相关性加权。

- **Not a key point:** this list is the answer's own

**要点：**

- **加权：** 按相关性加权求和
  - 别名：weighting, 加权求和
- plain item without a label
- **缩放：** 除以根号 d
  - aliases: scaling
    - 别名：too deep

**派生要点：**

- **归一化：** softmax
  - 别名：normalisation
"""


def test_listed_key_points_keep_their_aliases_and_derived_flag():
    """The Markdown export's own key-point lists: they replace the answer's, with aliases one level down only."""
    (entry,) = parse_markdown(LISTED).entries
    assert [(kp.label, kp.text, kp.aliases, kp.derived) for kp in entry.key_points] == [
        ("加权", "按相关性加权求和", ("weighting", "加权求和"), False),
        ("缩放", "除以根号 d", ("scaling",), False),
        ("归一化", "softmax", ("normalisation",), True),
    ]


def test_an_unnumbered_question_is_named_by_its_first_forty_characters():
    prompt = "为什么" + "很" * 40 + "慢？"
    bank = parse_markdown(f"### 1. 有答案？\n\n答。\n\n### {prompt}\n\n---\n")
    (problem,) = bank.problems
    assert problem.message == f"question “{prompt[:40]}” has no answer"


def test_an_english_enumeration_starts_at_its_lead_before_the_first_comma():
    points = enumerated_key_points("The main parts include the encoder, the decoder and the attention layers that are stacked.")
    assert [kp.label for kp in points] == ["the encoder", "the decoder", "the attention layers that are stacked"]


def test_repeated_labels_are_numbered_and_keep_the_rest():
    from questions.importers.base import KeyPointData, unique_labels

    points = [
        KeyPointData("A", "one", ("a1",), True),
        KeyPointData("B", "two"),
        KeyPointData("A", "three", ("a3",), True),
        KeyPointData("A", "four"),
    ]
    assert unique_labels(points) == [
        points[0],
        points[1],
        KeyPointData("A (2)", "three", ("a3",), True),
        KeyPointData("A (3)", "four", (), False),
    ]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("短句：后面的解释，更多", "短句"),  # the first clause
        ("Attention weights: a softmax of scores", "Attention weights"),
        ("：以冒号开头的句子", "：以冒号开头的句子"),  # no first clause: the whole text
        ("x" * 40 + "，更多", "x" * 40),  # exactly the longest label
        ("x" * 41, "x" * 40 + "…"),  # one past it, no space to cut at
        ("word " * 9 + "tail", "word word word word word word word word…"),  # cut at the last space
    ],
)
def test_a_short_label_is_the_first_clause_cut_at_a_word(text, label):
    from questions.importers.keypoints import _short_label

    assert _short_label(text) == label


def test_derived_key_points_come_from_sentences_of_four_characters_or_more():
    from questions.importers.keypoints import derived_key_points

    points = derived_key_points("- 1. 先减小批大小。太短。四个字。还要打开混合精度！")
    # "太短。" has three characters, "四个字。" four
    assert [kp.text for kp in points] == ["先减小批大小。", "四个字。", "还要打开混合精度！"]
    assert all(kp.derived for kp in points)
    (only,) = derived_key_points("太短。" * 100)  # no sentence is long enough: the start of the prose, 200 characters
    assert only.text == ("太短。" * 100)[:200]


def test_the_same_question_with_other_key_points_is_a_different_entry():
    bank = parse_markdown(
        "#### 1. 问题？\n\n**答案：** 同一个回答。\n\n**要点：**\n\n- **甲：** 一\n\n"
        "#### 2. 问题？\n\n**答案：** 同一个回答。\n\n**要点：**\n\n- **乙：** 二\n"
    )
    first, second = bank.entries
    assert first.content() != second.content()


def test_derived_sentences_lose_only_their_leading_list_marks():
    from questions.importers.keypoints import derived_key_points

    points = derived_key_points("XLA 编译加速。批大小设为 32")
    assert [kp.text for kp in points] == ["XLA 编译加速。", "批大小设为 32"]


def test_labelled_items_after_a_plain_one_are_the_key_points():
    from questions.importers.keypoints import item_key_points

    points = item_key_points([(0, "先看两点："), (0, "**甲：** 一"), (0, "**乙：** 二")])
    assert [(kp.label, kp.text) for kp in points] == [("甲", "一"), ("乙", "二")]


@pytest.mark.parametrize("question_mark", ["Q:", "问：", "q:"])
def test_short_question_and_answer_marks(question_mark):
    (entry,) = parse_markdown(f"### 1. 题目？\n\n{question_mark} 更多题面\n\nA: 答案在这里\n").entries
    assert entry.prompt == "题目？\n更多题面"
    assert entry.answer == "答案在这里"


def test_derived_points_come_from_paragraphs_and_quotes_not_code():
    (entry,) = parse_markdown(
        "### 1. 怎么做？\n\n先做第一件事。\n\n```python\nx = 1  # 代码里的说明文字\n```\n\n> 引用里也有一点。\n"
    ).entries
    assert [kp.text for kp in entry.key_points] == ["先做第一件事。", "引用里也有一点。"]


def test_a_table_gives_a_point_per_body_row_and_none_for_its_header():
    (entry,) = parse_markdown(
        "### 1. 怎么省显存？\n\n| 方法 | 作用 |\n|---|---|\n| 梯度累积 | 用时间换显存 |\n| **混合精度** | 半精度存激活 |\n| | 短 |\n"
    ).entries
    assert [(kp.label, kp.text) for kp in entry.key_points] == [
        ("梯度累积", "梯度累积：用时间换显存"),
        ("混合精度", "混合精度：半精度存激活"),
    ]
    assert entry.answer.startswith("| 方法 | 作用 |")  # the answer keeps the table as written


def test_an_imported_answer_of_code_alone_still_gets_a_point_to_edit():
    from questions.importers.markdown import body_key_points

    assert [kp.text for kp in body_key_points("```\nx = 1  # 代码答案\n```")] == ["x = 1  # 代码答案"]


@pytest.mark.parametrize(
    ("prose", "labels"),
    [
        ("方法包括：数据并行、模型并行和流水线并行。", ["数据并行", "模型并行", "流水线并行"]),
        ("甲、乙和丙和丁", ["甲", "乙", "丙和丁"]),  # only the last 和 ends the list
        ("The parts include A, B and C and D.", ["A", "B", "C and D"]),
        ("The parts include A, B, C and D.", ["A", "B", "C", "D"]),
        ("The parts include A, B, and C.", ["A", "B", "C"]),  # an Oxford comma
        ("训练阶段包括：预训练、有监督微调、强化学习。", ["预训练", "有监督微调", "强化学习"]),  # 有 inside an item
        ("The compilers include XLA, TVM and Triton.", ["XLA", "TVM", "Triton"]),
        ("工具有：**XLA**、[TVM](https://tvm.apache.org)和`Triton`", ["XLA", "TVM", "Triton"]),  # markup is no label
        ("只有甲、", []),  # one item is no enumeration
        ("x" * 40 + "、" + "y" * 40, ["x" * 40, "y" * 40]),  # labels of the longest length
        ("x" * 41 + "、" + "y" * 40, []),
    ],
)
def test_enumerations_give_one_key_point_per_item(prose, labels):
    assert [kp.label for kp in enumerated_key_points(prose)] == labels


def test_plain_items_are_key_points_from_the_top_level_only():
    from questions.importers.keypoints import item_key_points

    points = item_key_points([(0, "第一项"), (1, "子项不算"), (0, "第二项"), (0, "**")])
    assert [(kp.label, kp.text) for kp in points] == [("第一项", "第一项"), ("第二项", "第二项")]


@pytest.mark.parametrize("gap", ["\n", "\n\n", "\n\n\n", "\n\n\n\n"])
def test_blocks_of_an_answer_keep_up_to_two_blank_lines_between_them(gap):
    # A list may follow a paragraph on the next line; one or two blank lines are kept as written, more become one.
    (only,), _ = summary(entry(1, "问题？", f"**答案：** 有三种：{gap}- 甲\n- 乙"))
    kept = gap if len(gap) < 4 else "\n\n"
    assert only[3] == f"有三种：{kept}- 甲\n- 乙"


def test_a_marker_in_a_quote_starts_the_answer():
    (entry,) = parse_markdown("### 1. 题目？\n\n> **答案：** 引用里的答案。\n").entries
    assert (entry.prompt, entry.answer) == ("题目？", "> 引用里的答案。")


def test_text_before_a_marked_prompt_comes_first_in_the_question():
    bank = "### 1. 题目\n\n背景段落。\n\n**题目：** 补充说明？\n\n**答案：** 一。\n"
    (entry,) = parse_markdown(bank).entries
    assert (entry.prompt, entry.answer) == ("题目\n背景段落。\n补充说明？", "一。")


def test_derived_key_points_alone_replace_the_answers():
    bank = "### 1. 题目？\n\n**答案：** 一二三四。\n\n**派生要点：**\n\n- **甲**：甲的说明\n"
    (entry,) = parse_markdown(bank).entries
    assert [(kp.label, kp.text, kp.derived) for kp in entry.key_points] == [("甲", "甲的说明", True)]


def test_an_answer_without_any_key_point_is_kept():
    (entry,) = parse_markdown("### 1. 题目？\n\n![](a.png)\n").entries
    assert (entry.answer, entry.key_points, entry.images) == ("![](a.png)", (), ((3, "a.png"),))


def test_a_table_row_that_reads_like_a_marker_is_no_marker():
    bank = "### 1. 注意力里的缩写？\n\n**答案：** 如下。\n\n| 缩写 | 全称 |\n|---|---|\n| Q | query |\n"
    (entry,) = parse_markdown(bank).entries
    assert (entry.prompt, entry.answer) == ("注意力里的缩写？", "如下。\n\n| 缩写 | 全称 |\n|---|---|\n| Q | query |")
    assert [kp.text for kp in entry.key_points] == ["Q：query"]  # the row whole, its "Q：" kept


def test_a_bold_label_needs_a_colon_only_when_asked():
    # In a list, "- **Label** text" is a key point; in a paragraph only "**Label:** text" is (bold prose is no label).
    from questions.importers.keypoints import bold_label

    assert bold_label("**梯度累积** 用时间换显存") == ("梯度累积", "用时间换显存")
    assert bold_label("**梯度累积** 用时间换显存", need_colon=True) is None
    assert bold_label("**梯度累积：** 用时间换显存", need_colon=True) == ("梯度累积", "用时间换显存")
