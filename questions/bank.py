"""Reading and writing the Markdown question-bank format. Pure functions, no database.

The format, one entry per question:

    #### 2. 如何优化大模型的训练过程以提高效率？

    **答案：** 优化大模型训练过程的方法包括：
    - **并行计算：** 利用多GPU或分布式计算资源，加速训练过程。

    **解析：** 这些方法可以提高大模型训练的效率……

Text before the first entry and after a closing horizontal rule is not a question.
"""

import re
from dataclasses import dataclass, field

from coding.spec import CodingSpec, SpecError, attach_coding, render_coding, take_coding_fences

HEADING = re.compile(r"^#{1,6}[ \t]*(\d+)[ \t]*[.．、)）][ \t]*(.*?)[ \t]*$")
ANY_HEADING = re.compile(r"^#{1,6}(\s|$)")
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
ANSWER = re.compile(r"^\*\*[ \t]*答案[ \t]*(?:[:：][ \t]*\*\*|\*\*[ \t]*[:：])[ \t]*(.*)$")
EXPLANATION = re.compile(r"^\*\*[ \t]*解析[ \t]*(?:[:：][ \t]*\*\*|\*\*[ \t]*[:：])[ \t]*(.*)$")
BULLET = re.compile(r"^[-*+][ \t]+\*\*(.+?)[ \t]*(?:[:：][ \t]*\*\*|\*\*[ \t]*[:：])[ \t]*(.*)$")
# "计算资源瓶颈通常包括GPU内存、CPU计算能力、网络带宽和存储容量。"
ENUMERATION_LEAD = re.compile(r"(?:包括|包含|主要有|有以下|有|分为|如下|[:：])")
FINAL_CONJUNCTION = re.compile(r"以及|和|及|与|或")


class BankError(ValueError):
    """A malformed bank; `line` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class KeyPointData:
    label: str
    text: str


@dataclass(frozen=True)
class Entry:
    number: int
    line: int
    prompt: str
    answer: str  # the prose part of the answer, Markdown
    key_points: tuple[KeyPointData, ...]
    explanation: str
    coding: CodingSpec | None = None  # a coding question's blocks (coding/spec.py)

    def content(self) -> tuple:
        """What makes two entries the same question, word for word."""
        return (self.prompt, self.answer, self.key_points, self.explanation, self.coding)


@dataclass
class _Draft:
    number: int
    line: int
    prompt: str
    answer_lines: list[str] = field(default_factory=list)
    explanation_lines: list[str] = field(default_factory=list)
    section: str = "prompt"  # prompt → answer → explanation
    has_answer: bool = False


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) to text with \\n line ends; BankError on bad bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BankError(data.count(b"\n", 0, exc.start) + 1, "this line is not valid UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_bank(text: str) -> list[Entry]:
    """Parse a whole bank. Raises BankError naming the first bad line."""
    # Coding blocks first: their lines are emptied, so code never reads as an entry's text.
    try:
        text, fences = take_coding_fences(text)
    except SpecError as exc:
        raise BankError(exc.line, exc.message) from None
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        heading = HEADING.match(line)
        if heading:
            if not heading.group(2):
                raise BankError(number, f"entry {heading.group(1)} has a heading with no question")
            current = _Draft(number=int(heading.group(1)), line=number, prompt=heading.group(2))
            drafts.append(current)
            continue
        if current is None:
            continue  # the title and introduction before the first entry
        if RULE.match(line) or ANY_HEADING.match(line):
            current = None  # closing remarks or another section: not part of any entry
            continue
        if match := ANSWER.match(line):
            current.section, current.has_answer = "answer", True
            current.answer_lines.append(match.group(1))
        elif match := EXPLANATION.match(line):
            current.section = "explanation"
            current.explanation_lines.append(match.group(1))
        elif current.section == "answer":
            current.answer_lines.append(line)
        elif current.section == "explanation":
            current.explanation_lines.append(line)
        elif line:
            current.prompt = f"{current.prompt}\n{line}"
    if not drafts:
        raise BankError(1, "no entries found: an entry starts with a heading like '#### 1. <question>'")
    try:
        entries = attach_coding([_finish(draft) for draft in drafts], fences)
    except SpecError as exc:
        raise BankError(exc.line, exc.message) from None
    first_with_prompt: dict[str, Entry] = {}
    for entry in entries:
        first = first_with_prompt.setdefault(entry.prompt, entry)
        if first.content() != entry.content():
            raise BankError(
                entry.line,
                f"entry {entry.number} asks the same question as entry {first.number} with a different answer",
            )
    return entries


def _finish(draft: _Draft) -> Entry:
    if not draft.has_answer:
        raise BankError(draft.line, f"entry {draft.number} has no '**答案：**' answer")
    prose: list[str] = []
    bullets: list[KeyPointData] = []
    for line in draft.answer_lines:
        if match := BULLET.match(line):
            bullets.append(KeyPointData(match.group(1).strip(), match.group(2).strip()))
        else:
            prose.append(line)
    answer = _join(prose)
    if not answer and not bullets:
        raise BankError(draft.line, f"entry {draft.number} has an empty answer")
    labels = [kp.label for kp in bullets]
    if len(set(labels)) != len(labels):
        raise BankError(draft.line, f"entry {draft.number} repeats a key point label")
    return Entry(
        number=draft.number,
        line=draft.line,
        prompt=draft.prompt.strip(),
        answer=answer,
        key_points=tuple(bullets) or enumerated_key_points(answer),
        explanation=_join(draft.explanation_lines),
    )


def _join(lines: list[str]) -> str:
    """Lines to a paragraph block: stray blank lines collapsed, trailing spaces gone."""
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def enumerated_key_points(prose: str) -> tuple[KeyPointData, ...]:
    """Key points from an enumeration such as 'A、B、C和D' in the first sentence that has one."""
    for sentence in re.split(r"[。！？!?\n]", prose):
        if "、" not in sentence:
            continue
        head, _, _ = sentence.partition("、")
        leads = list(ENUMERATION_LEAD.finditer(head))
        start = leads[-1].end() if leads else 0
        items = sentence[start:].split("、")
        last = FINAL_CONJUNCTION.split(items[-1], maxsplit=1)
        items = [*items[:-1], *last]
        labels = [item.strip(" ，,；;：:") for item in items]
        labels = [label for label in labels if label]
        unique = list(dict.fromkeys(labels))
        return tuple(KeyPointData(label, label) for label in unique)
    return ()


def format_entry(number: int, prompt: str, answer: str, key_points, explanation: str, coding=None) -> str:
    """One entry in the bank format; parse_bank reads it back to the same content."""
    key_points = tuple(KeyPointData(kp.label, kp.text) for kp in key_points)
    lines = [f"#### {number}. {prompt}", ""]
    answer_lines = answer.split("\n") if answer else []
    if answer_lines:
        lines.append(f"**答案：** {answer_lines[0]}".rstrip())
        lines.extend(answer_lines[1:])
    else:
        lines.append("**答案：**")
    # An enumerated answer needs no bullets: parsing the prose yields them again.
    if key_points != enumerated_key_points(answer) or not answer:
        lines.extend(f"- **{kp.label}：** {kp.text}".rstrip() for kp in key_points)
    if explanation:
        lines.extend(["", f"**解析：** {explanation}"])
    if coding is not None:
        lines.extend(["", render_coding(coding)])
        return "\n".join(lines)
    return "\n".join(lines) + "\n"


def format_bank(title: str, entries) -> str:
    """A whole bank: a title, then the entries separated by blank lines."""
    parts = [f"### {title}\n"] if title else []
    parts.extend(format_entry(*entry) for entry in entries)
    return "\n".join(parts)
