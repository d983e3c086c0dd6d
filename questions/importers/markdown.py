"""Markdown banks, read from markdown-it-py's block tokens (never line regexes for structure).

The file is parsed in windows of lines: every top-level block that ends before a window's last block is final
(CommonMark decides blocks going forward), so memory holds one window's tokens and a compact record per block.
The question level and style are then detected from the headings and bold paragraphs, and each entry's
parts are cut from the source lines themselves, so code is kept byte for byte.
"""

import multiprocessing
import os
import re
import threading
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import dropwhile
from typing import NamedTuple

from markdown_it import MarkdownIt

from coding.importing import question_spec
from coding.spec import CodingSpec, SpecError, attach_coding, render_coding, take_coding_fences

from .base import BankError, Entry, KeyPointData, ParsedBank, Problem, clean
from .keypoints import bold_label, derived_key_points, enumerated_key_points, item_key_points, plain

# Block structure only: inline content is read where it matters (headings, first lines, list items).
BLOCKS = MarkdownIt("commonmark").enable("table")
BLOCKS.core.ruler.disable(["inline", "text_join"])
WINDOW = 4000  # lines per parse
# A bank this long is parsed in chunks, a process per core: below it, starting the processes costs more than it saves.
PARALLEL_MIN_LINES = 100_000
# Where a chunk may begin: an ATX heading or a bold paragraph after a blank line starts a top-level block, unless a
# fence or HTML block left open before it swallows it (checked when the chunks are joined).
CHUNK_START = re.compile(r"(?:#{1,6}(?:[ \t]|$)|\*\*\S)")
FENCE_OPENER = re.compile(r" {0,3}(`{3,}|~{3,})")
INLINE = MarkdownIt("commonmark")  # for the few lines that show an image

_MARKERS = {
    "answer": r"参考答案|答案|回答|答|Answer|Reference answer|Short answer|\d+\s*秒回答|\d+[- ]second answer",
    "explanation": r"解析|分析|解释|Explanation",
    "prompt": r"题目|Question|Problem",
    "key_points": r"要点|Key points",
    "derived": r"派生要点|Derived key points",
}
_NAMES = "|".join(f"(?P<{kind}>{names})" for kind, names in _MARKERS.items())
# "**答案：** text", "**Answer**: text", "> **30 秒回答：**", "A: text" at the start of a paragraph.
MARKER = re.compile(
    rf"^(?:(?:\*\*|__)\s*(?:{_NAMES})\s*(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：])|(?P<short>A|答|Q|问)\s*[:：])[ \t]*",
    re.IGNORECASE,
)
# The same marker where it stands in the source line (after indentation or a quote's ">").
RAW_MARKER = re.compile(r"^(?P<lead>[ \t]*(?:>[ \t]*)*)(?P<marker>" + MARKER.pattern[1:] + ")", re.IGNORECASE)
# "1.", "1)", "01.", "1.1", "Q1:", "第3题" before a question.
NUMBER = re.compile(
    r"^(?:(?P<q>Q|问题|题)\s*(?P<qn>\d+(?:\.\d+)*)\s*[.．、:：)）]?|第\s*(?P<cn>\d+)\s*题[.．、:：]?"
    r"|(?P<n>\d+(?:\.\d+)*)\s*[.．、:：)）]|(?P<dn>\d+(?:\.\d+)+))\s+|^(?P<n2>\d+)[.．、)）](?=\S)"
)
DIFFICULTY_WORDS = {
    "easy": "easy",
    "简单": "easy",
    "medium": "medium",
    "中等": "medium",
    "hard": "hard",
    "困难": "hard",
}
DIFFICULTY_EMOJI = {"👶": "easy", "⭐": "medium", "🌟": "medium", "🚀": "hard"}
DIFFICULTY = re.compile(
    r"\s*(?:[(\[（【]\s*(?P<word>easy|medium|hard|简单|中等|困难)\s*[)\]）】]|(?P<emoji>[👶⭐🌟🚀]\ufe0f?)+)\s*",
    re.IGNORECASE,
)
WRAPPED_BOLD = re.compile(r"^(?:\*\*|__)(?P<inner>.+?)(?:\*\*|__)(?P<rest>(?:\s*[👶⭐🌟🚀]\ufe0f?)*)\s*$", re.DOTALL)
NEWLINE = re.compile("\n")
IMAGE_HINT = re.compile(r"!\[|<img\b", re.IGNORECASE)


class Block(NamedTuple):
    kind: str  # heading, paragraph, quote, list, code, hr, html, table, other
    start: int  # first line, 0-based
    end: int  # after the last line
    level: int = 0  # a heading's level
    text: str = ""  # a heading's, paragraph's or quote's first inline content
    items: tuple = ()  # a list's items: (depth, inline content of the item's first paragraph)


def parse_markdown(text: str, *, level: int | None = None, style: str | None = None) -> ParsedBank:
    """Entries of a Markdown bank; `level` (1–6) and `style` ("heading" or "bold") override the detection."""
    # Coding blocks first (coding/spec.py): their lines are emptied, so code never reads as an entry's text.
    try:
        text, fences = take_coding_fences(text)
    except SpecError as exc:
        raise BankError(exc.line, exc.message) from None
    lines = Lines(text)
    blocks = all_blocks(lines)
    style, level = detect(blocks, level=level, style=style)
    described = "bold paragraphs" if style == "bold" else f"headings level {level}"
    bank = ParsedBank(format="markdown", style=described)
    drafts = _drafts(blocks, style, level)
    del blocks
    if not drafts:
        raise BankError(1, "no entries found: questions are headings (e.g. '### 1. <question>') or bold paragraphs")
    try:
        drafts = attach_coding(drafts, fences)
    except SpecError as exc:
        raise BankError(exc.line, exc.message) from None
    # markdown-it turns NUL into U+FFFD in its tokens, so look for it in the source lines.
    nul_lines = [text.count("\n", 0, m.start()) + 1 for m in re.finditer("\x00", text)]
    for draft in drafts:
        end = draft.blocks[-1].end if draft.blocks else draft.line
        if any(draft.line <= n <= end for n in nul_lines):
            bank.problems.append(
                Problem(draft.line, f"question {draft.label()} contains a NUL character (U+0000): remove it")
            )
            continue
        entry = draft.finish(lines)
        draft.blocks = []  # done with: a large file's blocks are freed as its entries are made
        if entry is not None:
            bank.entries.append(entry)
        else:
            bank.problems.append(Problem(draft.line, f"question {draft.label()} has no answer"))
    return bank


class Lines:
    """A text's lines by number without a string object per line (a large bank has a million lines)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = array("q", [0])
        self.starts.extend(match.end() for match in NEWLINE.finditer(text))

    def __len__(self) -> int:
        return len(self.starts)

    def _end(self, number: int) -> int:
        """Where line `number` ends, its line feed excluded."""
        return self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)

    def join(self, start: int, stop: int) -> str:
        """Lines start to stop (exclusive) as one text, as "\n".join would give them."""
        stop = min(stop, len(self))
        return self.text[self.starts[start] : self._end(stop - 1)] if stop > start else ""

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, _ = index.indices(len(self))
            return self.join(start, stop).split("\n") if stop > start else []
        return self.text[self.starts[index] : self._end(index)]


def all_blocks(lines: "Lines") -> list[Block]:
    """The top-level blocks of the whole text: for a large bank, in chunks parsed side by side.

    Forked processes see the text without copying it; fork is safe only while this process runs one thread
    (a management command, not a threaded web worker), so otherwise the text is parsed here.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(lines) < PARALLEL_MIN_LINES or workers < 2 or threading.active_count() > 1:
        return list(iter_blocks(lines))
    return parallel_blocks(lines, workers)


_CHUNKED: "Lines | None" = None  # the text the forked processes parse


def parallel_blocks(lines: "Lines", workers: int) -> list[Block]:
    """list(iter_blocks(lines)), parsed in up to `workers` chunks at once."""
    global _CHUNKED
    starts = _chunk_starts(lines, workers)
    ranges = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    _CHUNKED = lines
    try:
        with multiprocessing.get_context("fork").Pool(len(ranges)) as pool:
            parts = pool.map(_chunk_blocks, ranges)
    finally:
        _CHUNKED = None
    blocks: list[Block] = []
    for (_, end), part in zip(ranges, parts, strict=True):
        if end < len(lines) and part and _left_open(part[-1], lines, end):
            # It may run on into the next chunk, swallowing its start: the rest is parsed in one piece.
            blocks += part[:-1]
            blocks += iter_blocks(lines, part[-1].start)
            break
        blocks += part
    return blocks


def _left_open(block: Block, lines: "Lines", end: int) -> bool:
    """Whether a chunk's last block may go on past the chunk's end: a fence without its closing line, or an HTML
    block (which can hold blank lines and headings), that reaches the blank line before the next chunk."""
    if block.end < end - 1:
        return False
    if block.kind == "html":
        return True
    opener = FENCE_OPENER.match(lines[block.start]) if block.kind == "code" else None
    if opener is None:
        return False  # an indented code block ends at the blank line
    marker = opener.group(1)
    closer = lines[block.end - 1] if block.end - block.start > 1 else ""
    return not re.fullmatch(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*", closer)


def _chunk_starts(lines: "Lines", workers: int) -> list[int]:
    starts = [0]
    for k in range(1, workers):
        line = max(k * len(lines) // workers, starts[-1] + 1)
        while line < len(lines) and not (CHUNK_START.match(lines[line]) and not lines[line - 1].strip()):
            line += 1
        if line < len(lines):
            starts.append(line)
    return starts


def _chunk_blocks(span: tuple[int, int]) -> list[Block]:
    """The blocks that begin in lines start to end. The next chunk's first line is parsed too: a block before it
    ends as it would in the whole text (a list takes in the blank lines that follow it)."""
    start, end = span
    return [block for block in iter_blocks(_CHUNKED, start, min(end + 1, len(_CHUNKED))) if block.start < end]


def iter_blocks(lines, start: int = 0, stop: int | None = None) -> Iterator[Block]:
    """The top-level blocks of lines start to stop (the whole text by default), parsed a window at a time."""
    pos, total = start, len(lines) if stop is None else stop
    while pos < total:
        size = WINDOW
        while True:
            end = min(total, pos + size)
            groups = _top_level(BLOCKS.parse(lines.join(pos, end)))
            if end == total or len(groups) > 1:
                break
            size *= 2  # one block longer than the window: widen it
        if end < total:
            pos_next = pos + groups[-1][0].map[0]
            groups = groups[:-1]  # may go on past the window: parsed again in the next one
        else:
            pos_next = total
        for group in groups:
            yield _block(group, pos)
        pos = pos_next


def _top_level(tokens) -> list[list]:
    groups, current = [], None
    for token in tokens:
        if token.level == 0 and token.nesting >= 0 and current is None:
            current = [token]
            if token.nesting == 0:
                groups.append(current)
                current = None
        elif current is not None:
            current.append(token)
            if token.level == 0 and token.nesting == -1:
                groups.append(current)
                current = None
    return groups


def _block(group, offset: int) -> Block:
    first = group[0]
    start, end = first.map[0] + offset, first.map[1] + offset
    kind = first.type
    if kind == "heading_open":
        return Block("heading", start, end, int(first.tag[1]), clean(group[1].content.strip()))
    if kind == "paragraph_open":
        return Block("paragraph", start, end, text=clean(group[1].content))
    if kind == "blockquote_open":
        inline = next((t.content for t in group if t.type == "inline"), "")
        return Block("quote", start, end, text=clean(inline))
    if kind in ("bullet_list_open", "ordered_list_open"):
        items, depth, want = [], -1, False
        for token in group:
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif token.type == "list_item_open":
                want = True
            elif token.type == "inline" and want:
                items.append((depth, clean(token.content)))
                want = False
        return Block("list", start, end, items=tuple(items))
    if kind in ("fence", "code_block"):
        return Block("code", start, end)
    if kind == "hr":
        return Block("hr", start, end)
    if kind == "html_block":
        return Block("html", start, end)
    if kind == "table_open":
        return Block("table", start, end, text=_table_rows(group))
    return Block("other", start, end)


def _table_rows(group) -> str:
    """A table's body rows, a line each with its cells joined by "：" (the header names columns, not points)."""
    rows, row, in_body = [], [], False
    for token in group:
        if token.type == "tbody_open":  # the body ends where the table does
            in_body = True
        elif in_body and token.type == "inline":
            row.append(clean(token.content))
        elif in_body and token.type == "tr_close":
            rows.append("：".join(cell for cell in row if cell))
            row = []
    return "\n".join(rows)


def question_like(text: str) -> bool:
    """A heading or bold text that reads as a question: numbered, or ending with a question mark."""
    inner = _unwrap(text)
    inner = DIFFICULTY.sub(" ", inner).strip()
    return bool(NUMBER.match(inner)) or inner.endswith(("?", "？"))


def _unwrap(text: str) -> str:
    match = WRAPPED_BOLD.match(text.strip())
    return f"{match.group('inner')}{match.group('rest')}".strip() if match else text.strip()


def bold_question(text: str) -> bool:
    """A paragraph that is one bold question, e.g. "**What is X? 👶**" (not a marker, not "**Label:** text")."""
    match = WRAPPED_BOLD.match(text.strip())
    if not match or "\n" in text.strip() or MARKER.match(text.strip()):
        return False
    inner = DIFFICULTY.sub(" ", match.group("inner") + match.group("rest")).strip()
    return bool(NUMBER.match(inner)) or inner.endswith(("?", "？")) or bool(DIFFICULTY.search(text))


def detect(blocks: list[Block], *, level: int | None, style: str | None) -> tuple[str, int]:
    """("heading", level) or ("bold", 0): how this file writes its questions."""
    headings = [b for b in blocks if b.kind == "heading"]
    questions = Counter(b.level for b in headings if question_like(b.text))
    bold = sum(1 for b in blocks if b.kind == "paragraph" and bold_question(b.text))
    if style == "bold" or (style is None and level is None and bold > max(questions.values(), default=0)):
        return "bold", 0
    if level:
        return "heading", level
    if questions:
        most = max(questions.values())
        return "heading", min(lvl for lvl, count in questions.items() if count == most)
    levels = [b.level for b in headings if b.level >= 2]
    return "heading", max(levels, default=2)


@dataclass
class _Draft:
    line: int  # 1-based line of the question
    heading: str  # the question as written, number and marks included
    section: str
    position: int
    blocks: list[Block] = field(default_factory=list)
    coding: CodingSpec | None = None  # the coding blocks below the question (coding/spec.py)

    def label(self) -> str:
        number, prompt, _ = split_heading(self.heading)
        return number or f"“{prompt[:40]}”"

    def finish(self, lines: "Lines") -> Entry | None:
        number, prompt, difficulty = split_heading(self.heading)
        parts: dict[str, list[tuple[int, int, bool]]] = {}
        current = "body"
        marked_answer = False
        for block in self.blocks:
            marker = MARKER.match(block.text) if block.kind in ("paragraph", "quote") else None
            if marker:
                current = _marker_kind(marker)
                marked_answer |= current == "answer"
            parts.setdefault(current, []).append((block.start, block.end, bool(marker)))
        answer_part = "answer" if marked_answer else "body"
        prompt_extra = [_text(lines, parts.get("prompt", []))]
        if marked_answer:
            prompt_extra.insert(0, _text(lines, parts.get("body", [])))
        prompt = "\n".join([prompt, *(p for p in prompt_extra if p)])
        answer = _text(lines, parts.get(answer_part, []))
        answer_blocks = [b for b in self.blocks if any(b.start == s for s, _, _ in parts.get(answer_part, []))]
        if "key_points" in parts or "derived" in parts:
            key_points = _listed_key_points(self.blocks, parts)
        else:
            key_points = answer_key_points(answer_blocks, answer)
        if not answer and not key_points:
            return None
        images = tuple(_image_lines(lines, self.line, self.blocks[-1].end)) if self.blocks else ()
        return Entry(
            line=self.line,
            number=number,
            prompt=clean(prompt),
            answer=clean(answer),
            key_points=key_points,
            explanation=clean(_text(lines, parts.get("explanation", []))),
            section=self.section,
            position=self.position,
            difficulty=difficulty,
            images=images,
            coding=self.coding,
        )


def _marker_kind(match: re.Match) -> str:
    if match.group("short"):
        return "prompt" if match.group("short").upper() in ("Q", "问") else "answer"
    return next(kind for kind in _MARKERS if match.group(kind))


def _text(lines: "Lines", spans: list[tuple[int, int, bool]]) -> str:
    """The source lines of these blocks (blank lines between them included), markers cut off."""
    if not spans:
        return ""
    out: list[str] = []
    previous_end = None
    for start, end, marked in spans:
        if previous_end is not None:
            out.extend(lines[previous_end:start] if start - previous_end < 3 else [""])
        chunk = lines[start:end]
        if marked:
            # The marker opens the block's first line with content: a quote may begin with bare ">" lines, and
            # a marker alone on its line leaves none behind it either.
            chunk = list(dropwhile(_bare, chunk))
            if match := RAW_MARKER.match(chunk[0]):
                rest = chunk[0][match.end() :]
                chunk = list(dropwhile(_bare, [match.group("lead") + rest, *chunk[1:]]))
        out.extend(chunk)
        previous_end = end
    return "\n".join(out).strip("\n").rstrip()


def _bare(line: str) -> bool:
    """A blank line, or a quote's ">" with nothing after it."""
    return not line.strip(" \t>")


def _listed_key_points(blocks: list[Block], parts) -> tuple[KeyPointData, ...]:
    """Key points written out under "**Key points:**" (as the Markdown export writes them, aliases included)."""
    points: list[KeyPointData] = []
    for kind in ("key_points", "derived"):
        starts = {start for start, _, _ in parts.get(kind, [])}
        for block in blocks:
            if block.start not in starts or block.kind != "list":
                continue
            for depth, content in block.items:
                found = bold_label(content)
                if depth == 0 and found:
                    points.append(KeyPointData(found[0], found[1], derived=kind == "derived"))
                elif depth == 1 and points and (alias := re.match(r"^(?:aliases|别名)\s*[:：]\s*(.*)$", content)):
                    last = points[-1]
                    aliases = tuple(a.strip() for a in alias.group(1).split(",") if a.strip())
                    points[-1] = KeyPointData(last.label, last.text, aliases, last.derived)
    return tuple(points)


def answer_key_points(blocks: list[Block], answer: str) -> tuple[KeyPointData, ...]:
    """Explicit key points (labelled items and paragraphs, or plain items), an enumeration, or derived ones."""
    labelled: list[KeyPointData] = []
    plain_items: list[KeyPointData] = []
    for block in blocks:
        if block.kind == "list":
            points = item_key_points(block.items)
            if points and any(bold_label(content) for _, content in block.items):
                labelled += points
            else:
                plain_items += points
        elif block.kind == "paragraph" and (found := bold_label(block.text, need_colon=True)):
            if not MARKER.match(block.text):
                labelled.append(KeyPointData(*found))
    if labelled or plain_items:
        return tuple(labelled or plain_items)
    prose = "\n".join(plain(line) for line in _prose(blocks, answer))
    return enumerated_key_points(prose) or derived_key_points(prose)


def _prose(blocks: list[Block], answer: str) -> list[str]:
    """The paragraphs, quotes and table rows of an answer (no code), for enumerations and derived points."""
    # Markers start paragraphs and quotes only (MARKER is anchored: only a leading one goes); a table row that
    # begins "Q：" is a row.
    texts = [
        b.text if b.kind == "table" else MARKER.sub("", b.text)
        for b in blocks
        if b.kind in ("paragraph", "quote", "table")
    ]
    return texts or [answer]


def split_heading(heading: str) -> tuple[str, str, str]:
    """("1.8", "the question", "hard") from "1.8 **the question** 🚀"."""
    text = heading.strip()
    difficulty = ""
    if found := DIFFICULTY.search(text):
        word, emoji = found.group("word"), found.group("emoji")
        difficulty = DIFFICULTY_WORDS[word.lower()] if word else DIFFICULTY_EMOJI[emoji[0]]
    text = _unwrap(DIFFICULTY.sub(" ", text).strip())
    number = ""
    if match := NUMBER.match(text):
        number = next(g for g in (match.group(k) for k in ("qn", "cn", "n", "dn", "n2")) if g)
        number = match.group(0).strip().rstrip(".．、:：)）").strip() if match.group("q") else number
        text = text[match.end() :].strip()
    return number, _unwrap(text), difficulty


def _drafts(blocks: list[Block], style: str, level: int) -> list[_Draft]:
    sections: dict[int, str] = {}
    positions: Counter = Counter()
    drafts: list[_Draft] = []
    current: _Draft | None = None
    level_has_questions = any(b.kind == "heading" and b.level == level and question_like(b.text) for b in blocks)
    titles = _title_lines(blocks, style, level)
    for block in blocks:
        starts_question = False
        if block.kind == "heading" and (style == "bold" or block.level <= level):
            current = None
            starts_question = (
                style == "heading" and block.level == level and (question_like(block.text) or not level_has_questions)
            )
            if not starts_question:
                sections = {lvl: name for lvl, name in sections.items() if lvl < block.level}
                if block.start not in titles:
                    sections[block.level] = plain(split_heading(block.text)[1])
                continue
        elif block.kind == "paragraph" and style == "bold" and bold_question(block.text):
            starts_question = True
        elif block.kind == "hr":
            current = None  # closing remarks until the next question
            continue
        if starts_question:
            section = next((sections[lvl] for lvl in sorted(sections, reverse=True) if lvl >= 2), "")
            positions[section] += 1
            current = _Draft(block.start + 1, block.text, section, positions[section])
            drafts.append(current)
        elif current is not None:
            current.blocks.append(block)
    return drafts


def _title_lines(blocks: list[Block], style: str, level: int) -> set[int]:
    """Headings that title the document, not a section: level 1, or alone at their level with an introduction
    between them and the first question."""
    first_question = next(
        (
            index
            for index, b in enumerate(blocks)
            if (style == "heading" and b.kind == "heading" and b.level == level and question_like(b.text))
            or (style == "bold" and b.kind == "paragraph" and bold_question(b.text))
        ),
        0,
    )
    others = [(i, b) for i, b in enumerate(blocks) if b.kind == "heading" and (style == "bold" or b.level < level)]
    per_level = Counter(b.level for _, b in others)
    titles = set()
    for index, block in others:
        introduced = index < first_question and any(b.kind != "heading" for b in blocks[index + 1 : first_question])
        if block.level == 1 or (per_level[block.level] == 1 and introduced):
            titles.add(block.start)
    return titles


def _image_lines(lines: "Lines", first: int, end: int) -> Iterator[tuple[int, str]]:
    """(line, link) of each image an entry shows, read from the inline tokens of the lines that have one."""
    for number in range(first - 1, end):
        if not IMAGE_HINT.search(lines[number]):
            continue
        for token in INLINE.parseInline(lines[number]):
            for child in token.children or ():
                if child.type == "image":
                    yield number + 1, child.attrs.get("src", "")
                elif child.type == "html_inline" and (src := re.search(r"""src=["']([^"']+)""", child.content)):
                    yield number + 1, src.group(1)


def body_key_points(text: str) -> tuple[KeyPointData, ...]:
    """Key points of an answer given as Markdown (from GIFT or Anki), found as in a Markdown bank."""
    return answer_key_points(list(iter_blocks(Lines(text))), text)


def format_markdown(questions) -> str:
    """The bank in the Markdown format, a section per topic; parse_markdown reads it back to the same content."""
    questions = list(questions)
    answer_levels = [
        block.level
        for q in questions
        for text in (q.answer, q.explanation, q.prompt)
        if "#" in text
        for block in iter_blocks(Lines(text))
        if block.kind == "heading"
    ]
    level = max(2, min(4, min(answer_levels, default=5) - 1))
    out, topic, number = [], None, 0
    for question in questions:
        if question.topic.name != topic:
            topic = question.topic.name
            out.append(f"{'#' * (level - 1)} {topic}\n")
        number += 1
        out.append(markdown_entry(question, number, level))
    return "\n".join(out)


def markdown_entry(question, number: int, level: int = 4) -> str:
    first, _, rest = question.prompt.partition("\n")
    mark = f" [{question.difficulty}]" if question.difficulty in ("easy", "hard") else ""
    lines = [f"{'#' * level} {number}. {first}{mark}", ""]
    if rest.strip():
        lines += [rest, ""]
    lines += ["**答案：**", ""]
    if question.answer:
        lines += [question.answer, ""]
    key_points = list(question.key_points.all())
    stated = tuple((kp.label, kp.text, kp.is_derived) for kp in key_points)
    found = (
        tuple(
            (kp.label, kp.text, kp.derived)
            for kp in answer_key_points(list(iter_blocks(Lines(question.answer))), question.answer)
        )
        if question.answer
        else ()
    )
    if stated != found or any(kp.aliases for kp in key_points):
        for derived, title in ((False, "**要点：**"), (True, "**派生要点：**")):
            group = [kp for kp in key_points if kp.is_derived == derived]
            if group:
                lines += [title, ""]
                for kp in group:
                    lines.append(f"- **{kp.label}：** {kp.text}".rstrip())
                    if kp.alias_list():
                        lines.append(f"  - 别名：{', '.join(kp.alias_list())}")
                lines.append("")
    if question.explanation:
        lines += ["**解析：**", "", question.explanation, ""]
    if (spec := question_spec(question)) is not None:
        lines.append(render_coding(spec))
    return "\n".join(lines)
