"""The Markdown convention for coding questions, and the tests built from a spec."""

from types import SimpleNamespace

import pytest

from coding.spec import (
    CodingSpec,
    SpecError,
    find_fences,
    judge_tests,
    render_coding,
    spec_from_fences,
    split_assert_tests,
)
from questions.importers.base import BankError, decode
from questions.importers.markdown import markdown_entry, parse_markdown


def parse_bank(text: str) -> list:
    return parse_markdown(text).entries


def export(entry) -> str:
    """The entry as banks' Markdown exporter writes its question."""
    coding = entry.coding.as_fields() if entry.coding else {}
    question = SimpleNamespace(
        prompt=entry.prompt,
        answer=entry.answer,
        explanation=entry.explanation,
        difficulty="",
        key_points=SimpleNamespace(all=list),
        kind="code" if entry.coding else "text",
        **coding,
    )
    return markdown_entry(question, 1)


ENTRY = '''#### 1. 两数之和 / Add two numbers
返回 a + b。Return a + b.

```python starter
def add(a, b):
    # a comment that looks like a heading to a line parser
    pass
```

```python tests
assert add(1, 2) == 3
```

**答案：** 直接相加。Add them.

```python solution time=1 memory=64
def add(a, b):
    return a + b
```

```python tests hidden
assert add(0, 0) == 0
```

```text input
1 2
```

```text output
3
```

```text input hidden
5 5
```

```text output hidden
10
```
'''


def test_it_reads_every_block_of_an_entry():
    (entry,) = parse_bank(ENTRY)
    spec = entry.coding
    assert entry.prompt == "两数之和 / Add two numbers\n返回 a + b。Return a + b."
    assert entry.answer == "直接相加。Add them."
    assert spec.starter_code.startswith("def add(a, b):\n    # a comment")
    assert spec.solution_code == "def add(a, b):\n    return a + b"
    assert spec.sample_tests == "assert add(1, 2) == 3"
    assert spec.hidden_tests == "assert add(0, 0) == 0"
    assert spec.sample_io == (("1 2", "3"),)
    assert spec.hidden_io == (("5 5", "10"),)
    assert (spec.time_limit_seconds, spec.memory_limit_mb) == (1.0, 64)


def test_export_reads_back_to_the_same_entry():
    (entry,) = parse_bank(ENTRY)
    (again,) = parse_bank(export(entry))
    assert again.content() == entry.content()


def test_a_solution_without_tests_is_still_a_coding_question():
    text = "#### 1. 写一个循环 / Write a loop\n\n**答案：** 见代码。\n\n```python solution\nfor i in range(3):\n    print(i)\n```\n"
    (entry,) = parse_bank(text)
    assert entry.coding is not None and not entry.coding.has_tests
    (test,) = judge_tests(entry.coding, hidden=True)
    assert test["kind"] == "run"
    (again,) = parse_bank(export(entry))
    assert again.coding == entry.coding


def test_a_plain_code_block_stays_text_and_makes_no_coding_question():
    text = "#### 1. 问题？\n\n**答案：** 例如：\n\n```python\nprint(1)\n```\n"
    (entry,) = parse_bank(text)
    assert entry.coding is None


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("```python tests solution\nx\n```", "two roles"),
        ("```python tests speed=3\nassert 1\n```", "unknown option"),
        ("```python tests\nassert (\n```", "not valid Python"),
        ("```text output\n3\n```", "needs an input block"),
        ("```text input\n3\n```", "has no output block"),
        ("```ruby solution\nputs 1\n```", "cannot run here"),
        ("```python solution time=99\npass\n```", "outside"),
        ("```python solution memory=1\npass\n```", "below"),
        ("```python solution\npass\n```\n\n```python solution\npass\n```", "a second solution"),
    ],
)
def test_a_bad_block_names_its_line(block, message):
    text = f"#### 1. 问题？\n\n**答案：** 答。\n\n{block}\n"
    with pytest.raises(BankError, match=message) as caught:
        parse_bank(text)
    assert caught.value.line >= 5


def test_a_block_before_the_first_entry_is_refused():
    with pytest.raises(BankError, match="belongs to no question"):
        parse_bank("```python solution\npass\n```\n\n#### 1. 问题？\n\n**答案：** 答。\n")


@pytest.mark.parametrize(
    ("block", "role", "line"),
    [
        ("~~~python solution\npass\n~~~", "solution", 3),
        ("````py tests hidden\nassert 1\n````", "tests", 3),
        ("- 起始代码：\n\n  ```python starter\n  def f(): ...\n  ```", "starter", 5),
        ("> ```text input\n> 3\n> ```\n\n```text output\n3\n```", "input", 3),
    ],
)
def test_every_kind_of_coding_fence_is_found(block, role, line):
    """Tilde and long fences, and fences inside lists and quotes: the quick look for a fence with a role
    word must never skip a bank that has one."""
    fences = find_fences(f"#### 1. 问题？\n\n{block}\n")
    assert fences and fences[0].role == role
    assert fences[0].line == line


def test_a_role_word_outside_a_fence_makes_no_coding_block():
    assert find_fences("#### 1. 问题？\n\nThe solution is in the tests.\n\n```python\nprint(1)\n```\n") == []


def test_a_fence_longer_than_the_code_inside_is_chosen():
    spec = CodingSpec(solution_code='s = """\n```\n"""')
    fences = find_fences("#### 1. x\n\n" + render_coding(spec))
    assert spec_from_fences(fences).solution_code == spec.solution_code


def test_each_assert_is_a_test_after_the_other_statements_before_it():
    tests = split_assert_tests("import math\nassert math.pi > 3\nx = 2\nassert x == 2")
    assert [t.code for t in tests] == ["assert math.pi > 3", "assert x == 2"]
    assert tests[1].setup == "import math\nx = 2"
    assert (tests[0].got, tests[1].got, tests[1].expected) == ("", "(x)", "(2)")


def test_samples_only_unless_hidden_tests_are_asked_for():
    spec = CodingSpec(sample_tests="assert 1", hidden_tests="assert 2\nassert 3", sample_io=(("a", "b"),))
    assert [t["name"] for t in judge_tests(spec, hidden=False)] == ["sample 1", "sample 2"]
    assert [t["name"] for t in judge_tests(spec, hidden=True)] == ["sample 1", "sample 2", "hidden 1", "hidden 2"]


def test_the_shipped_coding_bank_has_twelve_bilingual_questions_with_tests():
    with open("fixtures/coding.md", "rb") as handle:
        entries = parse_bank(decode(handle.read()))
    with_tests = [e for e in entries if e.coding and e.coding.has_tests]
    assert len(with_tests) >= 12
    for entry in entries:
        assert entry.coding.starter_code and entry.coding.solution_code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry.prompt), entry.prompt
        assert sum(ch.isascii() and ch.isalpha() for ch in entry.prompt) > 20, entry.prompt


def test_spec_errors_carry_the_line():
    error = SpecError(3, "bad")
    assert (error.line, error.message, str(error)) == (3, "bad", "3: bad")
