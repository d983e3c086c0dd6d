"""Anki notes exported as plain text: Basic and Cloze notes, with Anki's file headers."""

import csv
import io
import re

from markdownify import markdownify

from questions.rendering import render_markdown

from .base import BankError, Entry, KeyPointData, ParsedBank, Problem, clean
from .markdown import body_key_points

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
HEADER = re.compile(r"^#([a-z ]+):(.*)$")
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
OWN_GUID = re.compile(r"^quizsite-(\d+)$")
EXPORT_HEADERS = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"


def parse_anki(text: str) -> ParsedBank:
    bank = ParsedBank(format="anki", style="Anki notes")
    headers, body_start = {}, 0
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = HEADER.match(line)
        if not match:
            break
        headers[match.group(1).strip().lower()] = match.group(2).strip()
        body_start = number + 1
    body = "\n".join(lines[body_start:])
    separator = headers.get("separator", "")
    separator = SEPARATORS.get(separator.lower(), separator[:1]) or ("\t" if "\t" in body.split("\n", 1)[0] else ",")
    html = headers.get("html", "false").lower() == "true"
    meta = {name: _column(headers, f"{name} column") for name in ("guid", "notetype", "deck", "tags")}
    names = [n.strip().lower() for n in headers["columns"].split(separator)] if "columns" in headers else []
    reader = csv.reader(io.StringIO(body), delimiter=separator)
    positions: dict[str, int] = {}
    for row in reader:
        line = body_start + reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        fields = [cell for index, cell in enumerate(row) if index not in meta.values()]
        if names:
            named = {names[i]: cell for i, cell in enumerate(row) if i < len(names)}
            fields = [named.get(k, "") for k in ("front", "text", "back", "back extra", "extra") if k in named]
        notetype, deck = _cell(row, meta["notetype"]), _cell(row, meta["deck"])
        deck = deck.split("::")[-1].strip()
        try:
            cloze = "cloze" in notetype.lower() or bool(CLOZE.search(fields[0] if fields else ""))
            entry = _note(fields, html, cloze=cloze, line=line)
        except ValueError as exc:
            bank.problems.append(Problem(line, str(exc)))
            continue
        positions[deck] = positions.get(deck, 0) + 1
        entry.section, entry.position, entry.tags = deck, positions[deck], " ".join(_cell(row, meta["tags"]).split())
        entry.guid = _cell(row, meta["guid"]).strip()
        if own := OWN_GUID.match(entry.guid):
            entry.question_id = int(own.group(1))
        entry.fingerprint = "\x1f".join(row)
        bank.entries.append(entry)
    if not bank.entries and not bank.problems:
        raise BankError(body_start + 1, "no Anki notes found")
    return bank


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _column(headers: dict, name: str) -> int | None:
    value = headers.get(name, "")
    return int(value) - 1 if value.isdigit() and int(value) > 0 else None


def _field(value: str, html: bool) -> str:
    if html:
        value = markdownify(value, heading_style="ATX", bullets="-")
    return clean(value.strip())


def _note(fields: list[str], html: bool, *, cloze: bool, line: int) -> Entry:
    if not fields or not fields[0].strip():
        raise ValueError("note has no text")
    if cloze:
        text = _field(fields[0], html)
        deletions = [m.group(2).strip() for m in CLOZE.finditer(text)]
        if not deletions:
            raise ValueError("cloze note has no {{c1::…}} deletion")
        prompt = CLOZE.sub(lambda m: f"[{m.group(3) or '…'}]", text)
        answer = CLOZE.sub(lambda m: f"**{m.group(2)}**", text)
        key_points = tuple(KeyPointData(d[:200], d) for d in dict.fromkeys(deletions))
        extra = _field(fields[1], html) if len(fields) > 1 else ""
        return Entry(line=line, number="", prompt=prompt, answer=answer, key_points=key_points, explanation=extra)
    answer = _field(fields[1], html) if len(fields) > 1 else ""
    if not answer:
        raise ValueError("note has no back side")
    return Entry(
        line=line, number="", prompt=_field(fields[0], html), answer=answer, key_points=body_key_points(answer)
    )


def anki_guid(question) -> str:
    return question.source_key[5:] if question.source_key.startswith("anki:") else f"quizsite-{question.pk}"


def anki_row(question) -> list[str]:
    back = render_markdown(question.answer)
    if question.explanation:
        back += "<hr>" + render_markdown(question.explanation)
    deck = question.topic.name
    return [anki_guid(question), "Basic", deck, render_markdown(question.prompt), back, question.tags]


def format_anki(questions) -> str:
    """A notes file that Anki imports: tab-separated, HTML fields, deck per topic, tags and GUIDs."""
    out = io.StringIO()
    out.write(EXPORT_HEADERS)
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for question in questions:
        writer.writerow(anki_row(question))
    return out.getvalue()


def anki_fingerprint(question) -> str:
    """The row as format_anki writes it and the reader reads it back."""
    return "\x1f".join(anki_row(question))
