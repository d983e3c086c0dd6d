"""The checks every format shares (questions/importers/base.py): what keeps an entry out, at each limit, and
what makes two prompts one question."""

import pytest

from questions.importers.base import BankError, Entry, KeyPointData, decode, entry_problem, prompt_key

POINT = KeyPointData("要点", "说明")


def entry(**fields) -> Entry:
    return Entry(**{"line": 1, "number": "1", "prompt": "问题？", "answer": "回答。", **fields})


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({}, ""),
        ({"prompt": "  \n"}, "the question is empty"),
        ({"answer": " "}, "has no answer"),
        ({"answer": "", "key_points": (POINT,)}, ""),  # key points alone are an answer
        ({"answer": "a\x00b"}, "contains a NUL character (U+0000): remove it"),
        ({"key_points": (KeyPointData("x" * 200, "t"),)}, ""),
        ({"key_points": (KeyPointData("x" * 201, "t"),)}, f"a key point label is longer than 200 characters: “{'x' * 40}…”"),
        ({"key_points": (KeyPointData(" ", "t"),)}, "a key point has no label"),
        ({"key_points": (POINT, POINT)}, "repeats a key point label"),
        ({"key_points": (KeyPointData("甲", "t", ("a\x00",)),)}, "contains a NUL character (U+0000): remove it"),
        ({"section": "s" * 100}, ""),
        ({"section": "s" * 101}, "its section name is longer than 100 characters"),
        ({"tags": "t" * 500}, ""),
        ({"tags": "t" * 501}, "its tags are longer than 500 characters"),
    ],
)
def test_what_keeps_an_entry_out_at_each_limit(fields, problem):
    assert entry_problem(entry(**fields)) == problem


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("What is  *attention*?", "what is attention", True),  # case, spacing, emphasis, the final mark
        ("什么是注意力？", "什么是注意力", True),
        ("Ｗｈａｔ　ｉｓ　ＲＡＧ？", "what is RAG", True),  # full width
        ("？为什么", "为什么", False),  # only a final mark goes
        ("What is RAG", "What is RAG!", True),
        ("What is RAG", "What is RAGX", False),
        ("what is rag", "what-is-rag", False),
    ],
)
def test_prompts_that_read_the_same_are_one_question(a, b, same):
    assert (prompt_key(a) == prompt_key(b)) is same


def test_a_bad_byte_is_reported_on_its_own_line_counting_from_one():
    with pytest.raises(BankError) as refused:
        decode(b"\nline two \xff")
    assert refused.value.line == 2
    with pytest.raises(BankError) as refused:
        decode(b"\xff on the first line")
    assert refused.value.line == 1
