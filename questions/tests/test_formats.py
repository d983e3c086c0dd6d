"""GIFT, Anki and .zip input, read without a database."""

import io
import zipfile
from pathlib import Path

import pytest

from questions import importers
from questions.importers import BankError, read_bank
from questions.importers.gift import escape, unescape

BANKS = Path(__file__).resolve().parent / "banks"


def test_every_gift_question_type_becomes_a_free_text_question():
    bank, _ = read_bank((BANKS / "every_type.gift").read_bytes(), name="every_type.gift")
    by_title = {e.number: e for e in bank.entries}
    assert by_title["Essay"].answer == "Move the parameters against the gradient, step by step."
    assert (by_title["TF"].answer, by_title["TF"].explanation) == ("True", "Right: it adapts per-parameter step sizes.")
    assert (by_title["MC"].answer, by_title["MC"].explanation) == ("ReLU", "ReLU clips negatives.")
    assert [kp.label for kp in by_title["Multi"].key_points] == ["Dropout", "Weight decay"]
    assert [kp.label for kp in by_title["Short"].key_points] == [
        "stochastic gradient descent",
        "Stochastic Gradient Descent",
    ]
    assert by_title["Match"].answer == "- Cross-entropy → classification\n- Mean squared error → regression"
    assert by_title["Num"].answer == "1"
    assert by_title["Missing"].prompt == "The {learning rate} is set _____ training starts."
    assert by_title["Formatted"].prompt == "What is the **chain rule**?"
    assert by_title["Formatted"].answer == "Derivatives of composed functions multiply: f(g(x))' = f'(g(x)) g'(x)."
    assert {e.section for e in bank.entries} == {"Machine learning", "Maths"}


def test_gift_escapes_round_trip():
    text = "a {b} = ~c #d: e\\f\nnext line"
    assert unescape(escape(text)) == text


def test_anki_basic_and_cloze_notes_with_html_fields():
    bank, _ = read_bank((BANKS / "notes.txt").read_bytes(), name="notes.txt")
    basic, cloze = bank.entries
    assert (basic.prompt, basic.guid, basic.tags, basic.section) == (
        "What is **gradient clipping**?",
        "Abc123",
        "llm training",
        "Training",
    )
    assert [kp.label for kp in basic.key_points] == ["Why"]
    assert cloze.prompt == "[…] stores past [what] to speed up decoding."
    assert [kp.label for kp in cloze.key_points] == ["KV caching", "keys and values"]
    assert cloze.explanation == "*Back extra* note"


def test_anki_columns_header_names_the_fields():
    text = '#separator:comma\n#columns:Back,Front\n"A, answer",What is it?\n'
    entry = read_bank(text.encode(), name="notes.csv")[0].entries[0]
    assert (entry.prompt, entry.answer) == ("What is it?", "A, answer")


def test_a_zip_holds_one_bank_and_its_images():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("maths.md", (BANKS / "maths.md").read_bytes())
        z.writestr("images/softmax.png", b"png")
    bank, assets = read_bank(data.getvalue(), name="maths.zip")
    assert len(bank.entries) == 2 and assets == {"images/softmax.png": b"png"}


def test_a_zip_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(importers, "UNZIPPED_MAX", 10)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bank.md", "## 1. a?\n\n" + "b" * 100)
    with pytest.raises(BankError, match="unpacks to more than"):
        read_bank(data.getvalue(), name="bank.zip")


def test_a_zip_with_two_banks_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("a.md", "## 1. a?\n\nb\n")
        z.writestr("b.md", "## 1. a?\n\nb\n")
    with pytest.raises(BankError, match="exactly one bank file"):
        read_bank(data.getvalue(), name="two.zip")


def _heading_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer_heading", "question_level"),
    [
        ("", 4),  # no heading in any answer: topics ###, questions ####
        ("#### 小节", 3),  # questions one level above the answers' own headings
        ("## 大节", 2),  # never above level 2
        ("###### 深处", 4),  # never below level 4
    ],
)
def test_the_markdown_export_numbers_questions_under_one_heading_per_topic(answer_heading, question_level):
    from questions.importers.markdown import format_markdown
    from questions.tests.factories import QuestionFactory, TopicFactory

    first, second = TopicFactory(name="训练", order=1), TopicFactory(name="推理", order=2)
    questions = [
        QuestionFactory(topic=first, prompt="一？", answer=f"答一。\n\n{answer_heading}\n\n正文".strip(), key_points=[]),
        QuestionFactory(topic=first, prompt="二？", answer="答二。", key_points=[]),
        QuestionFactory(topic=second, prompt="三？", answer="答三。", key_points=[]),
    ]
    q, t = "#" * question_level, "#" * (question_level - 1)
    headings = [line for line in _heading_lines(format_markdown(questions)) if line != answer_heading]
    assert headings == [f"{t} 训练", f"{q} 1. 一？", f"{q} 2. 二？", f"{t} 推理", f"{q} 3. 三？"]


@pytest.mark.django_db
def test_a_markdown_entry_as_written():
    """The heading (first line of the prompt, difficulty if not medium), the rest of the prompt, the answer, and the
    key points only when the answer does not give them back by itself (or when they carry aliases)."""
    from questions.importers.markdown import markdown_entry
    from questions.models import KeyPoint
    from questions.tests.factories import QuestionFactory

    plain = QuestionFactory(prompt="一？\n补充说明。", answer="- **甲：** 一\n- **乙：** 二", key_points=[("甲", "一"), ("乙", "二")])
    plain.difficulty = "easy"
    assert markdown_entry(plain, 7) == "#### 7. 一？ [easy]\n\n补充说明。\n\n**答案：**\n\n- **甲：** 一\n- **乙：** 二\n\n**解析：**\n\n这些方法可以提高大模型训练的效率。\n"
    plain.difficulty = "medium"
    assert markdown_entry(plain, 7, level=3).startswith("### 7. 一？\n\n补充说明。\n")
    plain.difficulty = "hard"
    assert markdown_entry(plain, 7).startswith("#### 7. 一？ [hard]\n")

    KeyPoint.objects.filter(question=plain, label="乙").update(aliases="second")
    assert "**要点：**\n\n- **甲：** 一\n- **乙：** 二\n  - 别名：second\n" in markdown_entry(plain, 1)

    edited = QuestionFactory(prompt="二？", answer="- **甲：** 一", key_points=[("丙", "三")])
    assert "**要点：**\n\n- **丙：** 三\n" in markdown_entry(edited, 1)

    code_only = QuestionFactory(prompt="三？", answer="```python\nprint(1)\n```", key_points=[("输出", "打印 1")])
    assert "**要点：**\n\n- **输出：** 打印 1\n" in markdown_entry(code_only, 1)

    derived = QuestionFactory(prompt="四？", answer="一句话。", key_points=[("一句话", "")])
    KeyPoint.objects.filter(question=derived).update(is_derived=True, aliases="甲, 乙")
    assert "**派生要点：**\n\n- **一句话：**\n  - 别名：甲, 乙\n" in markdown_entry(derived, 1)
