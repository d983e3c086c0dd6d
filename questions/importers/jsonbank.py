"""The JSON that `export_bank --format json` writes, read back."""

import json

from coding.spec import CodingSpec

from .base import BankError, Entry, KeyPointData, ParsedBank, Problem, clean


def parse_json(text: str) -> ParsedBank:
    bank = ParsedBank(format="json", style="JSON list")
    try:
        items = list(_items(text))
    except ValueError as exc:
        raise BankError(_line(text, getattr(exc, "pos", 0)), f"not valid JSON: {exc}") from None
    if not items:
        raise BankError(1, "no questions found: the file is an empty list")
    positions: dict[str, int] = {}
    for offset, item in items:
        line = _line(text, offset)
        if not isinstance(item, dict) or not isinstance(item.get("prompt"), str):
            bank.problems.append(Problem(line, "an item is not an object with a “prompt”"))
            continue
        try:
            key_points = tuple(
                KeyPointData(
                    clean(str(kp["label"])),
                    clean(str(kp.get("text", ""))),
                    tuple(clean(str(a)) for a in kp.get("aliases", [])),
                    bool(kp.get("derived", False)),
                )
                for kp in item.get("key_points", [])
            )
        except (KeyError, TypeError, AttributeError):
            bank.problems.append(Problem(line, "a key point is not an object with a “label”"))
            continue
        try:
            coding = CodingSpec.from_fields(item["coding"]) if item.get("kind") == "code" else None
        except (KeyError, TypeError, ValueError, AttributeError):
            bank.problems.append(Problem(line, "a coding question without valid “coding” fields"))
            continue
        section = str(item.get("topic_name") or item.get("topic") or "")
        positions[section] = positions.get(section, 0) + 1
        bank.entries.append(
            Entry(
                line=line,
                number=str(item.get("id", "")),
                prompt=clean(item["prompt"]),
                answer=clean(str(item.get("answer", ""))),
                key_points=key_points,
                explanation=clean(str(item.get("explanation", ""))),
                section=section,
                position=positions[section],
                difficulty=str(item.get("difficulty", "")),
                tags=str(item.get("tags", "")),
                question_id=item["id"] if isinstance(item.get("id"), int) else None,
                coding=coding,
            )
        )
    return bank


def _items(text: str):
    """(offset, item) of each element of the top-level list, so problems can name their line."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise json.JSONDecodeError("expected a list of questions", text, pos)
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        item, end = decoder.raw_decode(text, pos)
        yield pos, item
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def json_question(question) -> dict:
    return {
        "id": question.pk,
        "topic": question.topic.slug,
        "topic_name": question.topic.name,
        "difficulty": question.difficulty,
        "published": question.is_published,
        "source_file": question.source_file,
        "source_entries": question.source_entries,
        # The number editors see in the admin, not a row id.
        "version": question.current_version.number if question.current_version else None,
        "prompt": question.prompt,
        "answer": question.answer,
        "explanation": question.explanation,
        "tags": question.tags,
        "kind": question.kind,
        "coding": question.coding_data(),
        "key_points": [
            {"label": kp.label, "text": kp.text, "aliases": kp.alias_list(), "derived": kp.is_derived}
            for kp in question.key_points.all()
        ],
    }
