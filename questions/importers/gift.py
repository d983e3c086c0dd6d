"""Moodle GIFT: every question type becomes a free-text question; essays are what the export writes."""

import re

from markdownify import markdownify

from .base import BankError, Entry, KeyPointData, ParsedBank, Problem, clean
from .markdown import body_key_points

SPECIAL = "{}=~#:"
CATEGORY = re.compile(r"^\$CATEGORY:\s*(.*)$")
FORMAT = re.compile(r"^\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def parse_gift(text: str) -> ParsedBank:
    bank = ParsedBank(format="gift", style="GIFT questions")
    category = ""
    positions: dict[str, int] = {}
    for line, chunk in _chunks(text):
        if match := CATEGORY.match(chunk.strip()):
            parts = [p for p in match.group(1).strip().split("/") if p and p not in ("$course$", "$system$", "top")]
            category = parts[-1].strip() if parts else ""
            continue
        try:
            entry = _question(chunk, line)
        except ValueError as exc:
            bank.problems.append(Problem(line, str(exc)))
            continue
        positions[category] = positions.get(category, 0) + 1
        entry.section, entry.position, entry.fingerprint = category, positions[category], chunk.strip()
        bank.entries.append(entry)
    if not bank.entries and not bank.problems:
        raise BankError(1, "no GIFT questions found")
    return bank


def _chunks(text: str):
    """(first line, text) of each question: blank lines outside braces separate them; // comments dropped."""
    chunk: list[str] = []
    start, depth = 0, 0
    for number, line in enumerate(text.split("\n"), start=1):
        if depth == 0 and not chunk and (not line.strip() or line.lstrip().startswith("//")):
            continue
        if depth == 0 and not line.strip():
            yield start, "\n".join(chunk)
            chunk = []
            continue
        if not chunk:
            start = number
        chunk.append(line)
        depth = _depth_after(line, depth)
    if chunk:
        yield start, "\n".join(chunk)


def _depth_after(line: str, depth: int) -> int:
    escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
    return depth


def _split(text: str, separators: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters: [(separator before, piece)]."""
    pieces, current, before, escaped = [], [], "", False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separators:
            pieces.append((before, "".join(current)))
            current, before = [], char
        else:
            current.append(char)
    pieces.append((before, "".join(current)))
    return pieces


def unescape(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if escaped:
            out.append("\n" if char == "n" else char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _question(chunk: str, line: int) -> Entry:
    body = "\n".join(part for part in chunk.split("\n") if not part.lstrip().startswith("//")).strip()
    title = ""
    if body.startswith("::"):
        pieces = _split(body[2:], ":")
        # "::title::" is "title", "", rest: the first two unescaped colons close the title.
        if len(pieces) >= 3 and pieces[1][1] == "":
            title = unescape(pieces[0][1])
            body = body[2 + len(pieces[0][1]) + 2 :].lstrip()
    fmt_match = FORMAT.match(body)
    fmt = fmt_match.group(1).lower() if fmt_match else "moodle"
    body = body[fmt_match.end() :] if fmt_match else body
    braces = _split(body, "{}")
    if len(braces) < 3:
        raise ValueError(f"question {title or body[:40]!r} has no answer block in braces")
    before, block, after = braces[0][1], braces[1][1], "".join(p for _, p in braces[2:])
    prompt = _text(before, fmt)
    if after.strip():
        prompt = f"{prompt} _____ {_text(after, fmt)}".strip()
    answer, key_points, explanation = _answers(block, fmt)
    if not answer and not key_points:
        raise ValueError(f"question {title or prompt[:40]!r} has no answer")
    if not key_points:
        key_points = body_key_points(answer)
    return Entry(
        line=line,
        number=title,
        prompt=prompt,
        answer=answer,
        key_points=key_points,
        explanation=explanation,
    )


def _text(raw: str, fmt: str) -> str:
    text = unescape(raw).strip()
    if fmt == "html":
        text = markdownify(text, heading_style="ATX", bullets="-").strip()
    return clean(text)


def _answers(block: str, fmt: str) -> tuple[str, tuple[KeyPointData, ...], str]:
    """(reference answer, key points, explanation) of any GIFT answer block."""
    pieces = _split(block, "#")
    # "####" (general feedback) is four separators in a row.
    general = ""
    for index in range(len(pieces) - 4):
        if all(pieces[index + k][0] == "#" and not pieces[index + k][1] for k in (1, 2, 3)):
            feedback = "".join(sep + text for sep, text in pieces[index + 4 :])[1:]
            own_format = FORMAT.match(feedback.strip())
            if own_format:
                feedback, fmt = feedback.strip()[own_format.end() :], own_format.group(1).lower()
            general = _text(feedback, fmt)
            block = "".join(sep + text for sep, text in pieces[: index + 1])
            break
    content = block.strip()
    if not content:  # essay
        return general, (), ""
    if content.startswith("#"):  # numerical: "#3.14:0.01", "#1..2", "#=%100%3:0 =%50%4:1"
        values = [_text(p, fmt) for _, p in _split(content[1:], "=")]
        values = [WEIGHT.sub("", v.split("#", 1)[0].strip()) for v in values if v.strip()]
        values = [_number(v) for v in values]
        return ", ".join(values), tuple(KeyPointData(v, v) for v in values), general
    truth = content.split("#", 1)
    if truth[0].strip().upper() in ("T", "TRUE", "F", "FALSE"):
        value = "True" if truth[0].strip().upper().startswith("T") else "False"
        feedback = [_text(p, fmt) for _, p in _split(truth[1], "#")] if len(truth) > 1 else []
        explanation = "\n\n".join(x for x in [*feedback, general] if x)
        return value, (KeyPointData(value, value),), explanation
    items = [(sep, text) for sep, text in _split(content, "=~") if sep]
    right, feedback = [], []
    for sep, raw in items:
        weight = WEIGHT.match(raw.strip())
        raw = raw.strip()[weight.end() :] if weight else raw
        text, _, note = raw.partition("#") if "\\#" not in raw else (raw, "", "")
        correct = sep == "=" or (weight is not None and float(weight.group(1)) > 0)
        if "->" in text:
            left, _, match = text.partition("->")
            pair = f"{_text(left, fmt)} → {_text(match, fmt)}"
            right.append(pair)
            continue
        if correct:
            right.append(_text(text, fmt))
            if note.strip():
                feedback.append(_text(note, fmt))
    if not right:
        return "", (), general
    answer = "\n".join(f"- {item}" for item in right) if len(right) > 1 else right[0]
    key_points = tuple(KeyPointData(item[:200], item) for item in dict.fromkeys(right))
    explanation = "\n\n".join(x for x in [*feedback, general] if x)
    return answer, key_points, explanation


def _number(value: str) -> str:
    number, _, tolerance = value.partition(":")
    return f"{number} ± {tolerance}" if tolerance.strip() and float(tolerance or 0) else number.replace("..", "–")


def format_gift(questions) -> str:
    """Essay questions, one category per topic, the reference answer as general feedback."""
    out, category = [], None
    for question in questions:
        if question.topic.name != category:
            category = question.topic.name
            out.append(f"$CATEGORY: {category}\n")
        out.append(gift_question(question) + "\n")
    return "\n".join(out)


def gift_question(question) -> str:
    title = escape(question.prompt.split("\n", 1)[0][:60])
    return f"::{title}::[markdown]{escape(question.prompt)}{{####{escape(question.answer)}}}"
