"""A large bank is parsed in chunks side by side: the blocks must be exactly those of one sequential parse."""

import threading
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questions.importers import markdown
from questions.importers.markdown import Block, Lines, all_blocks, iter_blocks, parallel_blocks, parse_markdown

# Pieces of real banks, including the ones that can swallow a later heading: a fence or an HTML block left open.
PIECES = [
    "## 第{n}部分",
    "### {n}. 什么是注意力？",
    "**{n}. What is dropout? 👶**",
    "**答案：** 见下。",
    "- **要点：** 说明\n- **Label {n}:** text\n  - nested child",
    "1. first\n\n2. second, loose",
    "```python\n# a comment, not a heading\n\n## still code\nx = {n}\n```",
    "```python\n# an unclosed fence swallows the rest\n\n### {n}. 不是题目",
    "<pre>\n\n# inside pre\n\n</pre>",
    "<!-- an open comment\n\n### {n}. hidden",
    "> quoted\n> **Answer:** yes",
    "| a | b |\n|---|---|\n| {n} | 2 |",
    "plain paragraph {n}\nwith a lazy line",
    "Setext heading {n}\n---",
    "    indented code {n}",
]


def _document(indexes: list[int]) -> str:
    return "\n\n".join(PIECES[i].format(n=n) for n, i in enumerate(indexes)) + "\n"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, len(PIECES) - 1), min_size=1, max_size=60),
    st.integers(2, 5),
    st.integers(3, 40),
)
def test_chunks_give_the_blocks_of_one_parse(indexes, workers, window):
    lines = Lines(_document(indexes))
    with mock.patch.object(markdown, "WINDOW", window):
        assert parallel_blocks(lines, workers) == list(iter_blocks(lines))


def test_a_fence_left_open_in_one_chunk_is_parsed_on_into_the_next():
    questions = "".join(f"### {n}. 问题{n}？\n\n答案{n}。\n\n" for n in range(1, 41))
    text = questions + "```python\n# open to the end\n\n" + questions
    lines = Lines(text)
    blocks = parallel_blocks(lines, 4)
    assert blocks == list(iter_blocks(lines))
    fence = questions.count("\n")
    assert [(b.kind, b.start) for b in blocks if b.start >= fence] == [("code", fence)]


@pytest.fixture
def forkable(monkeypatch):
    """A process where forking is allowed: one thread (other tests of the suite may leave threads behind), two cores."""
    monkeypatch.setattr(markdown.threading, "active_count", lambda: 1)
    monkeypatch.setattr(markdown.os, "cpu_count", lambda: 2)


def test_a_long_bank_is_parsed_in_chunks_with_the_same_entries(monkeypatch, forkable):
    text = "".join(
        f"## 第{s}部分\n\n" + "".join(f"### {n}. 问题{s}-{n}？\n\n答：内容{n}。\n\n" for n in range(1, 11))
        for s in range(6)
    )
    sequential = parse_markdown(text).entries
    monkeypatch.setattr(markdown, "PARALLEL_MIN_LINES", 10)
    with mock.patch.object(markdown, "parallel_blocks", wraps=parallel_blocks) as chunked:
        assert parse_markdown(text).entries == sequential
    chunked.assert_called_once()
    assert len(sequential) == 60


def test_a_bank_just_under_the_size_is_parsed_in_one_piece(monkeypatch, forkable):
    lines = Lines("### 1. 问题？\n\n答。\n")  # four lines, the last one empty
    assert len(lines) == 4
    with mock.patch.object(markdown, "parallel_blocks") as chunked:
        monkeypatch.setattr(markdown, "PARALLEL_MIN_LINES", 5)
        all_blocks(lines)
        chunked.assert_not_called()
        monkeypatch.setattr(markdown, "PARALLEL_MIN_LINES", 4)
        all_blocks(lines)
        chunked.assert_called_once()


def test_a_process_with_other_threads_never_forks(monkeypatch):
    monkeypatch.setattr(markdown, "PARALLEL_MIN_LINES", 1)
    monkeypatch.setattr(markdown.os, "cpu_count", lambda: 2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with mock.patch.object(markdown, "parallel_blocks") as chunked:
            blocks = all_blocks(Lines("### 1. 问题？\n\n答。\n"))
        chunked.assert_not_called()
        assert [b.kind for b in blocks] == ["heading", "paragraph"]
    finally:
        stop.set()
        thread.join()


def test_one_core_parses_in_one_piece(monkeypatch, forkable):
    monkeypatch.setattr(markdown, "PARALLEL_MIN_LINES", 1)
    monkeypatch.setattr(markdown.os, "cpu_count", lambda: 1)  # after forkable's two
    with mock.patch.object(markdown, "parallel_blocks") as chunked:
        all_blocks(Lines("### 1. 问题？\n\n答。\n"))
    chunked.assert_not_called()


def test_chunks_begin_only_at_a_heading_or_bold_paragraph_after_a_blank_line():
    lines = Lines("### 1. a？\n答\n- item\n\n- loose item\n\n**2. b？**\n\n答\n### 3. c？\n")
    assert markdown._chunk_starts(lines, 2) == [0, 6]
    assert markdown._chunk_starts(Lines("### 1. a？\n答\n"), 3) == [0]


def test_a_chunk_gives_the_blocks_that_begin_in_it_as_the_whole_text_ends_them(monkeypatch):
    """What each forked process returns, run here (mutmut and coverage see no forked process)."""
    lines = Lines("### 1. a？\n\n- one\n- two\n\n### 2. b？\n\n答\n")
    monkeypatch.setattr(markdown, "_CHUNKED", lines)
    whole = list(iter_blocks(lines))
    assert markdown._chunk_blocks((0, 5)) == whole[:2]  # the list takes in the blank line before line 5
    assert whole[1].kind == "list" and whole[1].end == 5
    assert markdown._chunk_blocks((5, len(lines))) == whole[2:]


STARTS = Lines("### 1. a？\n\n### 2. b？\n答\n\n### 3. c？\n答\n### 4. d？\n\n答\n\n**5. e？**\n答\n")


@pytest.mark.parametrize(("workers", "starts"), [(2, [0, 11]), (3, [0, 5, 11]), (4, [0, 5, 11]), (1, [0])])
def test_chunks_start_near_equal_shares_at_the_next_possible_line(workers, starts):
    # Possible: lines 2, 5 and 11 (a heading or bold paragraph after a blank line); not 7 (no blank line before it).
    assert markdown._chunk_starts(STARTS, workers) == starts


@pytest.mark.parametrize(
    ("text", "block", "left_open"),
    [
        ("```py\nx\n```\n\n### h", Block("code", 0, 3), False),  # closed just before the blank line
        ("```py\nx\ny\n\n### h", Block("code", 0, 3), True),  # no closing line
        ("### q\n\n```\n\n### h", Block("code", 2, 3), True),  # a fence that is only its opening line
        ("\n```\n```\n\n### h", Block("code", 1, 3), False),  # empty, closed
        ("~~~\nx\n````\n\n### h", Block("code", 0, 3), True),  # a backtick line does not close a tilde fence
        ("```\nx\n````\n\n### h", Block("code", 0, 3), False),  # a longer closing fence closes it
        ("```\nx\n```\n\n\n### h", Block("code", 0, 3), False),  # ends two lines before the chunk: never open
        ("<pre>\n\n</pre>\n\n### h", Block("html", 0, 3), True),  # an HTML block is not read: assumed open
        ("<pre>\n</pre>\n\n\n### h", Block("html", 0, 2), False),
        ("    code\n    more\n\n\n### h", Block("code", 0, 2), False),
        ("- a\n- b\n\n### h", Block("list", 0, 3), False),
    ],
)
def test_a_chunk_is_left_open_only_by_an_unclosed_fence_or_an_html_block(text, block, left_open):
    lines = Lines(text)
    assert markdown._left_open(block, lines, len(lines) - 1) is left_open


@pytest.mark.parametrize(("cores", "workers"), [(9, 8), (8, 8), (3, 3)])
def test_a_long_bank_is_parsed_by_a_process_per_core_eight_at_most(monkeypatch, forkable, cores, workers):
    monkeypatch.setattr(markdown, "PARALLEL_MIN_LINES", 1)
    monkeypatch.setattr(markdown.os, "cpu_count", lambda: cores)
    lines = Lines("### 1. 问题？\n\n答。\n")
    with mock.patch.object(markdown, "parallel_blocks") as chunked:
        all_blocks(lines)
    chunked.assert_called_once_with(lines, workers)


def test_an_unknown_number_of_cores_parses_in_one_piece(monkeypatch, forkable):
    monkeypatch.setattr(markdown, "PARALLEL_MIN_LINES", 1)
    monkeypatch.setattr(markdown.os, "cpu_count", lambda: None)
    with mock.patch.object(markdown, "parallel_blocks") as chunked:
        all_blocks(Lines("### 1. 问题？\n\n答。\n"))
    chunked.assert_not_called()


@pytest.mark.parametrize(
    ("start", "stop", "text"), [(0, 0, ""), (1, 1, ""), (2, 1, ""), (0, 1, "a"), (0, 2, "a\nb"), (1, 3, "b\nc")]
)
def test_lines_join_gives_nothing_for_an_empty_range(start, stop, text):
    assert Lines("a\nb\nc").join(start, stop) == text
