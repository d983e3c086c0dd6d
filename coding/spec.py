"""A coding question's content as plain data: the Markdown convention that carries it in a bank file,
and the tests the sandbox runs. Pure functions, no database. The convention is documented in
docs/coding.md.

Inside an entry of a bank, fenced code blocks whose info string names a role make it a coding question:

    ```python starter            what the candidate's editor starts with
    ```python solution           the reference solution (time=2 memory=256 may follow any role)
    ```python tests              sample tests, shown to the candidate: one assert per test
    ```python tests hidden       hidden tests, which only judge
    ```text input / ```text output          a sample input/expected-output pair (one after the other)
    ```text input hidden / ```text output hidden   a hidden pair

Blocks without a role (a plain ```python example) stay part of the text.
"""

import ast
import re
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt

ROLES = ("starter", "solution", "tests", "input", "output")
LANGUAGES = {"python": "python3", "python3": "python3", "py": "python3"}
DEFAULT_SECONDS = 2.0
DEFAULT_MEMORY_MB = 256
MAX_SECONDS = 30.0
MIN_MEMORY_MB = 16
# Block structure is enough to find fences; most banks have no coding block at all, and a line that could
# open one (a fence with a role word after it) is cheap to look for, so those banks are not parsed here.
_BLOCKS = MarkdownIt("commonmark").enable("table")
_BLOCKS.core.ruler.disable(["inline", "text_join"])
_MAYBE_CODING = re.compile(r"(?:`{3,}|~{3,})[^\n]*\b(?:" + "|".join(ROLES) + r")\b")


class SpecError(ValueError):
    """A malformed coding block; `line` is 1-based in the text it came from."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Fence:
    line: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    language: str
    role: str
    hidden: bool
    options: tuple[tuple[str, str], ...]
    content: str


@dataclass(frozen=True)
class CodingSpec:
    """The coding fields of a question (questions.models.CODING_FIELDS), hashable."""

    language: str = "python3"
    starter_code: str = ""
    solution_code: str = ""
    sample_tests: str = ""
    hidden_tests: str = ""
    sample_io: tuple[tuple[str, str], ...] = field(default=())
    hidden_io: tuple[tuple[str, str], ...] = field(default=())
    time_limit_seconds: float = DEFAULT_SECONDS
    memory_limit_mb: int = DEFAULT_MEMORY_MB

    def as_fields(self) -> dict:
        """The values for the Question's fields (and its version snapshot)."""
        return {
            "language": self.language,
            "starter_code": self.starter_code,
            "solution_code": self.solution_code,
            "sample_tests": self.sample_tests,
            "hidden_tests": self.hidden_tests,
            "sample_io": [{"input": i, "output": o} for i, o in self.sample_io],
            "hidden_io": [{"input": i, "output": o} for i, o in self.hidden_io],
            "time_limit_seconds": self.time_limit_seconds,
            "memory_limit_mb": self.memory_limit_mb,
        }

    @classmethod
    def from_fields(cls, data: dict) -> "CodingSpec":
        return cls(
            language=data.get("language") or "python3",
            starter_code=data.get("starter_code", ""),
            solution_code=data.get("solution_code", ""),
            sample_tests=data.get("sample_tests", ""),
            hidden_tests=data.get("hidden_tests", ""),
            sample_io=tuple((p["input"], p["output"]) for p in data.get("sample_io") or []),
            hidden_io=tuple((p["input"], p["output"]) for p in data.get("hidden_io") or []),
            time_limit_seconds=float(data.get("time_limit_seconds") or DEFAULT_SECONDS),
            memory_limit_mb=int(data.get("memory_limit_mb") or DEFAULT_MEMORY_MB),
        )

    @property
    def has_tests(self) -> bool:
        return bool(self.sample_tests.strip() or self.hidden_tests.strip() or self.sample_io or self.hidden_io)


def _parse_info(info: str, line: int) -> tuple[str, str, bool, tuple] | None:
    words = info.split()
    roles = [w for w in words[1:] if w in ROLES]
    if not words or not roles:
        return None
    if len(roles) > 1:
        raise SpecError(line, f"a code block has two roles ({', '.join(roles)}): give it one")
    options = []
    for word in words[1:]:
        if "=" in word:
            key, _, value = word.partition("=")
            if key not in ("time", "memory"):
                raise SpecError(line, f"unknown option '{key}' on a code block: use time= or memory=")
            options.append((key, value))
        elif word not in ROLES and word != "hidden":
            raise SpecError(line, f"unknown word '{word}' on a code block")
    return words[0].lower(), roles[0], "hidden" in words, tuple(options)


def find_fences(text: str) -> list[Fence]:
    """The coding blocks in a Markdown text, in order, read from markdown-it-py's tokens."""
    fences = []
    if not _MAYBE_CODING.search(text):
        return fences
    for token in _BLOCKS.parse(text):
        if token.type != "fence" or token.map is None:
            continue
        line = token.map[0] + 1
        parsed = _parse_info(token.info, line)
        if parsed is None:
            continue
        language, role, hidden, options = parsed
        # The content ends with the newline before the closing fence: only that one is not the code's.
        content = token.content.removesuffix("\n")
        fences.append(Fence(line, token.map[1], language, role, hidden, options, content))
    return fences


def take_coding_fences(text: str) -> tuple[str, list[Fence]]:
    """Split a bank's text into the text without its coding blocks (their lines kept, emptied, so
    line numbers stay) and the blocks."""
    fences = find_fences(text)
    if not fences:
        return text, fences
    lines = text.split("\n")
    for fence in fences:
        for index in range(fence.line - 1, min(fence.end, len(lines))):
            lines[index] = ""
    return "\n".join(lines), fences


def attach_coding(entries: list, fences: list[Fence]) -> list:
    """Give each entry (anything with .line and a `coding` field) the spec of the blocks below its
    heading; entries without blocks keep coding=None. Blocks before the first entry are an error."""
    by_entry: dict[int, list[Fence]] = {}
    starts = sorted(entry.line for entry in entries)
    for fence in fences:
        owner = max((start for start in starts if start < fence.line), default=None)
        if owner is None:
            raise SpecError(fence.line, "a coding block before the first entry belongs to no question")
        by_entry.setdefault(owner, []).append(fence)
    return [
        replace(entry, coding=spec_from_fences(by_entry[entry.line])) if entry.line in by_entry else entry
        for entry in entries
    ]


def spec_from_fences(fences: list[Fence]) -> CodingSpec:
    """One entry's coding blocks as a spec; SpecError names the block's line."""
    values: dict = {"sample_tests": [], "hidden_tests": [], "sample_io": [], "hidden_io": []}
    language = None
    seconds, memory = DEFAULT_SECONDS, DEFAULT_MEMORY_MB
    pending_input: Fence | None = None
    for fence in fences:
        lang = LANGUAGES.get(fence.language)
        if fence.role in ("starter", "solution", "tests"):
            if lang is None:
                raise SpecError(fence.line, f"code in '{fence.language}' cannot run here: use python")
            if language and lang != language:
                raise SpecError(fence.line, "all code blocks of a question must be in one language")
            language = lang
        for key, value in fence.options:
            try:
                if key == "time":
                    seconds = float(value.removesuffix("s"))
                else:
                    memory = int(value.upper().removesuffix("MB"))
            except ValueError:
                raise SpecError(fence.line, f"{key}={value} is not a number") from None
            if not 0 < seconds <= MAX_SECONDS:
                raise SpecError(fence.line, f"time={seconds:g} is outside 0–{MAX_SECONDS:g} seconds")
            if memory < MIN_MEMORY_MB:
                raise SpecError(fence.line, f"memory={memory} is below {MIN_MEMORY_MB} MB")
        if fence.role in ("starter", "solution"):
            key = f"{fence.role}_code"
            if key in values:
                raise SpecError(fence.line, f"a second {fence.role} block: a question has one")
            values[key] = fence.content
        elif fence.role == "tests":
            try:
                split_assert_tests(fence.content)
            except SyntaxError as exc:
                raise SpecError(fence.line + (exc.lineno or 0), f"the tests are not valid Python: {exc.msg}") from None
            values["hidden_tests" if fence.hidden else "sample_tests"].append(fence.content)
        elif fence.role == "input":
            if pending_input is not None:
                raise SpecError(fence.line, "an input block must be followed by its output block")
            pending_input = fence
        else:  # output
            if pending_input is None or pending_input.hidden != fence.hidden:
                raise SpecError(fence.line, "an output block needs an input block of the same kind just before it")
            values["hidden_io" if fence.hidden else "sample_io"].append((pending_input.content, fence.content))
            pending_input = None
    if pending_input is not None:
        raise SpecError(pending_input.line, "an input block has no output block after it")
    return CodingSpec(
        language=language or "python3",
        starter_code=values.get("starter_code", ""),
        solution_code=values.get("solution_code", ""),
        sample_tests="\n".join(values["sample_tests"]),
        hidden_tests="\n".join(values["hidden_tests"]),
        sample_io=tuple(values["sample_io"]),
        hidden_io=tuple(values["hidden_io"]),
        time_limit_seconds=seconds,
        memory_limit_mb=memory,
    )


def _fence(info: str, content: str) -> str:
    ticks = "```"
    while ticks in content:
        ticks += "`"
    return f"{ticks}{info}\n{content}\n{ticks}\n"


def render_coding(spec: CodingSpec) -> str:
    """The coding blocks of one entry; find_fences + spec_from_fences read them back to the same spec."""
    lang = "python"
    limits = ""
    if (spec.time_limit_seconds, spec.memory_limit_mb) != (DEFAULT_SECONDS, DEFAULT_MEMORY_MB):
        limits = f" time={spec.time_limit_seconds:g} memory={spec.memory_limit_mb}"
    blocks = []
    if spec.starter_code:
        blocks.append(_fence(f"{lang} starter", spec.starter_code))
    if spec.sample_tests:
        blocks.append(_fence(f"{lang} tests", spec.sample_tests))
    for given, expected in spec.sample_io:
        blocks += [_fence("text input", given), _fence("text output", expected)]
    # The solution block always comes, so a question with neither starter nor tests stays a coding one.
    blocks.append(_fence(f"{lang} solution{limits}", spec.solution_code))
    if spec.hidden_tests:
        blocks.append(_fence(f"{lang} tests hidden", spec.hidden_tests))
    for given, expected in spec.hidden_io:
        blocks += [_fence("text input hidden", given), _fence("text output hidden", expected)]
    return "\n".join(blocks)


@dataclass(frozen=True)
class AssertTest:
    setup: str  # every other statement before it
    code: str  # the assert
    got: str = ""  # for `assert got == expected`, the two sides
    expected: str = ""


def split_assert_tests(source: str) -> list[AssertTest]:
    """Assert lines to tests: each top-level assert is one test, run after every other statement
    before it (imports, helpers, calls that change state; not the earlier asserts, so one test's loop
    or failure never becomes the next one's). SyntaxError on bad Python."""
    tree = ast.parse(source)
    tests, setup = [], []
    for node in tree.body:
        segment = ast.get_source_segment(source, node) or ""
        if not isinstance(node, ast.Assert):
            setup.append(segment)
            continue
        test = AssertTest(setup="\n".join(setup), code=segment)
        check = node.test
        if isinstance(check, ast.Compare) and len(check.ops) == 1 and isinstance(check.ops[0], ast.Eq):
            got = ast.get_source_segment(source, check.left) or ""
            expected = ast.get_source_segment(source, check.comparators[0]) or ""
            # Each side must stand alone as an expression (a multi-line one may not, unparenthesised).
            test = replace(test, got=f"({got})", expected=f"({expected})")
        tests.append(test)
    return tests


def judge_tests(spec: CodingSpec, *, hidden: bool) -> list[dict]:
    """The tests the sandbox runs: the samples, and the hidden ones too when `hidden`.

    A question without tests gets one "run" of the code, whose output the candidate compares
    with the reference themselves.
    """
    groups = [("sample", spec.sample_tests, spec.sample_io)]
    if hidden:
        groups.append(("hidden", spec.hidden_tests, spec.hidden_io))
    tests: list[dict] = []
    for group, source, pairs in groups:
        number = 0
        for test in split_assert_tests(source) if source.strip() else []:
            number += 1
            tests.append(
                {
                    "name": f"{group} {number}",
                    "hidden": group == "hidden",
                    "kind": "assert",
                    "setup": test.setup,
                    "code": test.code,
                    "got": test.got,
                    "expected": test.expected,
                }
            )
        for given, expected in pairs:
            number += 1
            tests.append({"name": f"{group} {number}", "hidden": group == "hidden", "kind": "io",
                          "input": given + "\n", "output": expected})
    if not spec.has_tests:
        tests.append({"name": "run", "hidden": False, "kind": "run", "input": ""})
    return tests
