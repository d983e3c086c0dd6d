"""How the Markdown importer finds a bank's questions (style, level, titles, sections) and cuts their text.
Inputs and exact outputs only."""

import pytest

from questions.importers import BankError
from questions.importers.markdown import parse_markdown


def entries(text, **options):
    bank = parse_markdown(text, **options)
    return [(e.line, e.number, e.prompt, e.answer, e.section) for e in bank.entries]


# Which headings are questions


def test_a_heading_at_the_question_level_that_reads_as_no_question_is_a_section():
    bank = "## 基础\n\n### 1. 注意力机制\n\n答一。\n\n### 2. 位置编码\n\n答二。\n\n### 小结\n\n结束语。\n"
    assert entries(bank) == [(3, "1", "注意力机制", "答一。", "基础"), (7, "2", "位置编码", "答二。", "基础")]


def test_a_question_mark_before_a_difficulty_still_ends_the_question():
    bank = parse_markdown("### 什么是注意力？ 🚀\n\n答一。\n\n### 小结\n\n结束语。\n")
    assert [(e.prompt, e.difficulty, e.answer) for e in bank.entries] == [("什么是注意力？", "hard", "答一。")]


def test_when_no_heading_reads_as_a_question_every_heading_at_the_deepest_level_is_one():
    # A paragraph ending in "？" does not make its level a question level.
    bank = "## 缩放点积\n\n点积随维度变大，为什么？\n\n因为方差增大。\n\n## 多头注意力\n\n多头看不同子空间。\n"
    assert parse_markdown(bank).style == "headings level 2"
    assert entries(bank) == [
        (1, "", "缩放点积", "点积随维度变大，为什么？\n\n因为方差增大。", ""),
        (7, "", "多头注意力", "多头看不同子空间。", ""),
    ]


def test_text_before_the_first_heading_belongs_to_no_question():
    assert entries("开场白。\n\n### 1. 问题？\n\n答。\n") == [(3, "1", "问题？", "答。", "")]


@pytest.mark.parametrize(
    ("heading", "number", "prompt"),
    [
        ("1.什么是注意力？", "1", "什么是注意力？"),
        ("第3题 什么是位置编码？", "3", "什么是位置编码？"),
        ("Q12: 什么是 RLHF？", "Q12", "什么是 RLHF？"),
    ],
)
def test_each_way_of_numbering_a_question_gives_its_number(heading, number, prompt):
    assert entries(f"### {heading}\n\n答。\n") == [(1, number, prompt, "答。", "")]


# Titles and sections


def test_a_heading_alone_at_its_level_before_an_introduction_titles_the_document():
    # The introduction ends in "？" and the title is the only level-2 heading: still a title, not a section.
    bank = "## LLM 面试题\n\n这份题库覆盖哪些内容？\n\n### 1. 问题？\n\n答。\n"
    assert entries(bank) == [(5, "1", "问题？", "答。", "")]


def test_a_heading_alone_at_its_level_with_only_headings_below_it_is_a_section():
    bank = "## 基础\n\n### 注意力\n\n#### 1. 问题？\n\n答。\n"
    assert entries(bank) == [(5, "1", "问题？", "答。", "注意力")]


def test_a_heading_with_only_headings_before_the_first_question_is_a_section():
    # "#### 细节" is deeper than the questions: it introduces nothing, so "## 基础" is no title.
    assert entries("## 基础\n\n#### 细节\n\n### 1. 问题？\n\n答。\n") == [(5, "1", "问题？", "答。", "基础")]


def test_a_title_above_bold_questions_is_not_their_section():
    assert entries("## 标题\n\n介绍。\n\n**1. 问题？**\n\n答。\n") == [(5, "1", "问题？", "答。", "")]


# Bold questions


def test_each_form_of_a_bold_question_starts_one():
    bank = parse_markdown(
        "**1. 解释注意力**\n\n答一。\n\n**什么是注意力？**\n\n答二。\n\n**解释位置编码** 🚀\n\n答三。\n\n"
        "**What is RLHF?**\n\n答四。\n"
    )
    assert bank.style == "bold paragraphs"
    assert [(e.number, e.prompt, e.difficulty, e.answer) for e in bank.entries] == [
        ("1", "解释注意力", "", "答一。"),
        ("", "什么是注意力？", "", "答二。"),
        ("", "解释位置编码", "hard", "答三。"),
        ("", "What is RLHF?", "", "答四。"),
    ]


def test_a_bold_paragraph_over_two_lines_is_answer_text_not_a_question():
    bank = "**1. 什么是过拟合？**\n\n**答案：** 记住了训练集。\n\n**注意：\n为什么要验证集？**\n\n**2. 如何缓解？**\n\n**答案：** 正则化。\n"
    assert entries(bank) == [
        (1, "1", "什么是过拟合？", "记住了训练集。\n\n**注意：\n为什么要验证集？**", ""),
        (8, "2", "如何缓解？", "正则化。", ""),
    ]


def test_a_single_bold_question_makes_a_bold_bank():
    assert parse_markdown("**解释注意力** 🚀\n\n答。\n").style == "bold paragraphs"


def mixed(headings, bolds):
    text = "".join(f"### {n}. 标题题{n}？\n\n答。\n\n" for n in range(1, headings + 1))
    return text + "".join(f"**{n}. 粗体题{n}？**\n\n答。\n\n" for n in range(headings + 1, headings + bolds + 1))


def test_as_many_bold_questions_as_question_headings_keep_the_headings():
    bank = parse_markdown(mixed(2, 2))
    assert bank.style == "headings level 3"
    assert [e.number for e in bank.entries] == ["1", "2"]


def test_one_bold_question_more_than_question_headings_makes_a_bold_bank():
    bank = parse_markdown(mixed(2, 3))
    assert bank.style == "bold paragraphs"
    assert [e.number for e in bank.entries] == ["3", "4", "5"]


def test_the_bold_style_asked_for_wins_over_more_question_headings():
    bank = parse_markdown(mixed(2, 2), style="bold")
    assert bank.style == "bold paragraphs"
    assert [e.number for e in bank.entries] == ["3", "4"]


def test_a_bank_of_level_one_headings_only_has_no_entries():
    with pytest.raises(BankError) as refused:
        parse_markdown("# 注意力\n\n答。\n")
    assert (refused.value.line, refused.value.message) == (
        1,
        "no entries found: questions are headings (e.g. '### 1. <question>') or bold paragraphs",
    )


# The text cut from the source


@pytest.mark.parametrize(
    ("quote", "answer"),
    [
        (">\n> **答案：** 内容\n", "> 内容"),  # the marker on the quote's first line with content
        (">  **答案：** 内容\n", ">  内容"),
        ("> **答案：**\n> 内容\n", "> 内容"),  # a marker alone on its line leaves no line behind
        (">\n> **答案：**\n>\n> 内容\n", "> 内容"),  # nor the bare ">" lines around it
        ("> **答案：**\n> X\n", "> X"),
        ("> > **答案：** 内容\n> > 二\n", "> > 内容\n> > 二"),
    ],
)
def test_a_marker_in_a_quote_is_cut_and_the_quote_kept(quote, answer):
    assert entries(f"### 1. 问题？\n\n{quote}") == [(1, "1", "问题？", answer, "")]


def test_an_answer_keeps_its_first_indent_and_its_letters_at_both_ends():
    assert entries("### 1. 问题？\n\n**答案：**\n\n  - 一\n  - 二\n")[0][3] == "  - 一\n  - 二"
    assert entries("### 1. 问题？\n\n**答案：** XGBoost 的 X\n")[0][3] == "XGBoost 的 X"


def test_an_image_belongs_to_the_entry_whose_lines_show_it():
    bank = parse_markdown(
        "### 1. 这张图是什么？ ![图](a.png)\n![图](b.png)\n\n答。![c](c.png)\n### 2. 问题？\n\n答。\n"
    )
    assert [e.images for e in bank.entries] == [((1, "a.png"), (2, "b.png"), (4, "c.png")), ()]


@pytest.mark.parametrize(
    ("bank", "reported", "kept"),
    [
        ("### 1. 问题？\n\n答。\x00\n### 2. 问题？\n\n答。\n", (1, "1"), "2"),  # on an entry's last line
        ("\n### 1. 问题？\n\n答。\n### 2. 问\x00题？\n\n答。\n", (5, "2"), "1"),  # after a leading blank line
    ],
)
def test_a_nul_character_refuses_the_entry_whose_lines_hold_it_and_no_other(bank, reported, kept):
    parsed = parse_markdown(bank)
    assert [e.number for e in parsed.entries] == [kept]
    assert [(p.line, p.message) for p in parsed.problems] == [
        (reported[0], f"question {reported[1]} contains a NUL character (U+0000): remove it")
    ]


# Key points of an answer


def key_points(answer):
    (entry,) = parse_markdown(f"### 1. 问题？\n\n{answer}\n").entries
    return [(kp.label, kp.text) for kp in entry.key_points]


def test_labelled_key_points_win_over_plain_items():
    assert key_points("**显存：** 梯度累积。\n\n- 一\n- 二") == [("显存", "梯度累积。")]


def test_every_labelled_list_gives_its_key_points():
    answer = "- **甲：** 一。\n- **乙：** 二。\n\n中间的话。\n\n- **丙：** 三。"
    assert key_points(answer) == [("甲", "一。"), ("乙", "二。"), ("丙", "三。")]


def test_every_plain_list_gives_its_items():
    assert [label for label, _ in key_points("- 梯度累积\n- 混合精度\n\n中间的话。\n\n- 激活重算")] == [
        "梯度累积",
        "混合精度",
        "激活重算",
    ]


def test_a_bold_paragraph_without_a_colon_is_no_key_point():
    assert [label for label, _ in key_points("**注意** 这里没有冒号。\n\n- 梯度累积\n- 混合精度")] == [
        "梯度累积",
        "混合精度",
    ]


def test_a_quote_that_holds_only_code_stays_in_the_answer_and_gives_no_key_point():
    (entry,) = parse_markdown("### 1. 问题？\n\n见下面的代码。\n\n> ```\n> x = 1\n> ```\n").entries
    assert entry.answer == "见下面的代码。\n\n> ```\n> x = 1\n> ```"
    assert [kp.label for kp in entry.key_points] == ["见下面的代码"]


def test_a_list_item_gives_its_first_paragraph_only():
    assert [label for label, _ in key_points("- 梯度累积\n\n  用时间换显存。\n- 混合精度")] == ["梯度累积", "混合精度"]


def test_an_item_after_a_nested_numbered_list_is_back_at_the_top_level():
    answer = "- **甲：** 一。\n  1. **子：** 二。\n- **乙：** 三。"
    assert [label for label, _ in key_points(answer)] == ["甲", "甲 / 子", "乙"]
