"""What every importer produces, and the checks that every format shares. Pure functions, no database."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from coding.spec import CodingSpec
from questions.models import normalise_text

# The database's limits, checked before anything is written (PostgreSQL would refuse, SQLite would accept).
LABEL_MAX = 200
SOURCE_MAX = 200
TOPIC_NAME_MAX = 100
TAGS_MAX = 500

# Characters that look like nothing: removed, so two identical-looking prompts are one question.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
INVISIBLE_CHARACTER = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
FENCE = re.compile(r"`{3,}|~{3,}")
# Direction overrides can make text read differently from what it is: refused.
BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
# C0 and C1 controls other than tab and line feed (NUL included), and DEL.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class BankError(ValueError):
    """A problem that refuses the whole file; `line` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Problem:
    """A problem with one entry (skipped) or one place (reported)."""

    line: int
    message: str
    skipped: bool = True


@dataclass(frozen=True, slots=True)
class KeyPointData:
    label: str
    text: str
    aliases: tuple[str, ...] = ()
    derived: bool = False


@dataclass(slots=True)
class Entry:
    """One question as a file states it."""

    line: int
    number: str  # the source's own numbering ("1.8", "Q3"), or "" when it has none
    prompt: str
    answer: str
    key_points: tuple[KeyPointData, ...] = ()
    explanation: str = ""
    section: str = ""  # the section, deck or category that names its topic
    position: int = 0  # its place in that section, from 1
    difficulty: str = ""  # easy / medium / hard, or "" when the file does not say
    tags: str = ""
    guid: str = ""  # an identity the file carries (Anki's GUID)
    question_id: int | None = None  # a question of this site that the file was exported from
    # The entry as its file writes it: an export of an unchanged question gives the same text.
    fingerprint: str = ""
    images: tuple = ()  # (line, link as written) of every image link, for a bank with images
    coding: CodingSpec | None = None  # a coding question's blocks (coding/spec.py); None for free text

    @property
    def label(self) -> str:
        """How messages name the entry: its own number, else its prompt."""
        if self.number:
            return self.number
        short = self.prompt.split("\n", 1)[0]
        return f"“{short[:40]}…”" if len(short) > 40 else f"“{short}”"

    def content(self) -> tuple:
        """What makes two entries the same question, word for word."""
        key_points = tuple((kp.label, kp.text) for kp in self.key_points)
        return (self.prompt, self.answer, key_points, self.explanation, self.coding)


@dataclass
class ParsedBank:
    format: str
    style: str = ""  # how the questions were found, e.g. "headings level 4"
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) to text with \\n line ends; BankError naming the first bad line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BankError(line, f"this line is not valid UTF-8: convert the file from {guess_encoding(data)}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def guess_encoding(data: bytes) -> str:
    """The likeliest encoding of bytes that are not UTF-8, to say what to convert from."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    # Every Big5 byte pair is also valid GB18030, so the two cannot be told apart by decoding.
    for codec, name in (("gb18030", "GB18030 (or Big5)"), ("shift_jis", "Shift-JIS")):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return name
    return "its encoding (e.g. Latin-1 or Windows-1252)"


def text_problem(text: str) -> str:
    """What is wrong with characters of a text that the database would refuse or readers misread, or ""."""
    if "\x00" in text:
        return "contains a NUL character (U+0000): remove it"
    if match := CONTROL.search(text):
        return f"contains the control character U+{ord(match.group()):04X}: remove it"
    if match := BIDI_OVERRIDES.search(text):
        return f"contains the text-direction override U+{ord(match.group()):04X}: remove it"
    return ""


def clean(text: str) -> str:
    """Invisible characters removed outside code, so equal-looking prose is equal.

    Stored text is otherwise kept as written: Unicode normalisation belongs to the identity keys and comparisons
    (prompt_key, normalise_text), and fenced or indented code keeps every byte."""
    if not INVISIBLE_CHARACTER.search(text):
        return text
    out = []
    fence = ""
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        marker = FENCE.match(stripped) if indent < 4 else None
        if fence:
            if (
                marker
                and marker.group()[0] == fence[0]
                and len(marker.group()) >= len(fence)
                and not stripped[len(marker.group()) :].strip()
            ):
                fence = ""
            out.append(line)
        elif marker:
            fence = marker.group()
            out.append(line)
        elif indent >= 4 or line.startswith("\t"):
            out.append(line)
        else:
            out.append(line.translate(INVISIBLE))
    return "".join(out)


def entry_problem(entry: Entry) -> str:
    """What keeps an entry out of the database, or ""."""
    if not entry.prompt.strip():
        return "the question is empty"
    if not entry.answer.strip() and not entry.key_points:
        return "has no answer"
    parts = [entry.prompt, entry.answer, entry.explanation, entry.section, entry.tags]
    parts += [f"{kp.label}\n{kp.text}\n{','.join(kp.aliases)}" for kp in entry.key_points]
    for part in parts:
        if problem := text_problem(part):
            return problem
    for kp in entry.key_points:
        if len(kp.label) > LABEL_MAX:
            return f"a key point label is longer than {LABEL_MAX} characters: “{kp.label[:40]}…”"
        if not kp.label.strip():
            return "a key point has no label"
    labels = [kp.label for kp in entry.key_points]
    if len(set(labels)) != len(labels):
        return "repeats a key point label"
    if len(entry.section) > TOPIC_NAME_MAX:
        return f"its section name is longer than {TOPIC_NAME_MAX} characters"
    if len(entry.tags) > TAGS_MAX:
        return f"its tags are longer than {TAGS_MAX} characters"
    return ""


def prompt_key(prompt: str) -> str:
    """Identity of a prompt: case, width, spacing, punctuation and Markdown emphasis do not count."""
    text = unicodedata.normalize("NFKC", normalise_text(prompt)).casefold()
    text = re.sub(r"[\s*_`~]+", "", text)
    text = text.rstrip("?？。.!！:：")
    return hashlib.sha256(text.encode()).hexdigest()


def slot_key(section: str, position: int) -> str:
    """Identity of a place in a file: the section's name and the position in it."""
    return hashlib.sha256(f"{prompt_key(section)}\x1f{position}".encode()).hexdigest()


def unique_labels(points: list[KeyPointData]) -> list[KeyPointData]:
    """Repeated labels numbered ("X", "X (2)"): used where a repeat is no error (derived points)."""
    seen: dict[str, int] = {}
    out = []
    for kp in points:
        count = seen[kp.label] = seen.get(kp.label, 0) + 1
        out.append(kp if count == 1 else KeyPointData(f"{kp.label} ({count})", kp.text, kp.aliases, kp.derived))
    return out
