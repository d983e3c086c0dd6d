"""Writes to the question bank: importing and exporting the Markdown format."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from coding.importing import coding_fields, question_spec, snapshot_coding

from .bank import BankError, Entry, decode, format_bank, parse_bank
from .models import KeyPoint, Question, QuestionVersion, Topic, content_hash

DEFAULT_TOPICS_PATH = settings.BASE_DIR / "fixtures" / "topics.json"
BANK_TITLE = "大模型面试题库"


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    entries: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (entry, the earlier entry it repeats)
    topics_created: list[str] = field(default_factory=list)
    topics_total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.topics_created)

    def lines(self) -> list[str]:
        out = [
            f"{self.source}: {self.entries} entries read",
            f"questions: {len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged",
            f"duplicates merged: {len(self.duplicates)}",
        ]
        out += [f"  entry {dup} repeats entry {first}" for dup, first in self.duplicates]
        out.append(f"topics: {self.topics_total} ({len(self.topics_created)} created)")
        if self.dry_run:
            out.append("dry run: nothing was written")
        elif not self.changed:
            out.append("no change: the bank was already up to date")
        return out


def bank_read(path: Path | str) -> list[Entry]:
    """Read and parse a bank file; BankError (line 1 for a missing file) on any problem."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BankError(1, f"cannot read the file: {exc.strerror or exc}") from None
    return parse_bank(decode(data))


def bank_import(
    *, entries: list[Entry], source: str, topics_path: Path | str = DEFAULT_TOPICS_PATH, dry_run: bool = False
) -> ImportReport:
    """Create or update questions from parsed entries, all or nothing.

    A question is matched by its exact prompt, else by its source file and first
    entry number; only changed content makes a new version. Word-for-word
    repeats of an earlier entry merge into it.
    """
    report = ImportReport(source=source, dry_run=dry_run, entries=len(entries))
    distinct: dict[tuple, tuple[Entry, list[int]]] = {}
    for entry in entries:
        if entry.content() in distinct:
            first, numbers = distinct[entry.content()]
            numbers.append(entry.number)
            report.duplicates.append((entry.number, first.number))
        else:
            distinct[entry.content()] = (entry, [entry.number])

    with transaction.atomic():
        topic_for_prompt, default_topic = _sync_topics(Path(topics_path), report)
        # Key points come along in one query: comparing an unchanged bank costs no query per question.
        questions = Question.objects.select_related("current_version").prefetch_related("key_points")
        existing = list(questions.filter(source_file=source)) + list(
            questions.filter(prompt__in=[e.prompt for e, _ in distinct.values()]).exclude(source_file=source)
        )
        by_prompt = {q.prompt: q for q in existing}
        by_entry = {_first_entry(q.source_entries): q for q in existing if q.source_file == source}
        new: list[tuple[Question, Entry]] = []
        for entry, numbers in distinct.values():
            entries_label = ", ".join(map(str, numbers))
            question = by_prompt.get(entry.prompt) or by_entry.get(entry.number)
            if question is None:
                topic = topic_for_prompt.get(entry.prompt, default_topic)
                question = Question(topic=topic, source_file=source, source_entries=entries_label)
                _set_content(question, entry)
                new.append((question, entry))
                report.created.append(entry.prompt)
            elif _update_question(question, entry, source, entries_label):
                report.updated.append(entry.prompt)
            else:
                report.unchanged.append(entry.prompt)
        _create_questions(new)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _first_entry(source_entries: str) -> int | None:
    head = source_entries.split(",")[0].strip()
    return int(head) if head.isdigit() else None


def _sync_topics(path: Path, report: ImportReport) -> tuple[dict[str, Topic], Topic]:
    """Create the topics named in the topics file; existing topics keep their admins' edits."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BankError(1, f"cannot read the topics file {path}: {exc}") from None
    topics: dict[str, Topic] = {}
    topic_for_prompt: dict[str, Topic] = {}
    for item in data["topics"]:
        topic, created = Topic.objects.get_or_create(
            slug=item["slug"],
            defaults={"name": item["name"], "description": item.get("description", ""), "order": item.get("order", 0)},
        )
        if created:
            report.topics_created.append(topic.slug)
        topics[topic.slug] = topic
        for prompt in item.get("questions", []):
            topic_for_prompt[prompt] = topic
    report.topics_total = Topic.objects.count()
    return topic_for_prompt, topics[data["default_topic"]]


def _set_content(question: Question, entry: Entry) -> None:
    question.prompt = entry.prompt
    question.answer = entry.answer
    question.explanation = entry.explanation
    for name, value in coding_fields(entry.coding).items():
        setattr(question, name, value)


def _entry_snapshot(entry: Entry, key_point_ids: list[int | None]) -> dict:
    return {
        "prompt": entry.prompt,
        "answer": entry.answer,
        "explanation": entry.explanation,
        "key_points": [
            {"id": pk, "label": kp.label, "text": kp.text}
            for pk, kp in zip(key_point_ids, entry.key_points, strict=True)
        ],
        **snapshot_coding(entry.coding),
    }


def _create_questions(new: list[tuple[Question, Entry]]) -> None:
    """Bulk inserts, so a large bank imports in seconds."""
    if not new:
        return
    Question.objects.bulk_create([q for q, _ in new], batch_size=500)
    key_points = [
        KeyPoint(question=q, order=i, label=kp.label, text=kp.text)
        for q, entry in new
        for i, kp in enumerate(entry.key_points)
    ]
    KeyPoint.objects.bulk_create(key_points, batch_size=1000)
    ids = iter(kp.pk for kp in key_points)
    versions = []
    for question, entry in new:
        snapshot = _entry_snapshot(entry, [next(ids) for _ in entry.key_points])
        versions.append(
            QuestionVersion(
                question=question,
                number=1,
                prompt=entry.prompt,
                answer=entry.answer,
                explanation=entry.explanation,
                key_points=snapshot["key_points"],
                coding=snapshot.get("coding", {}),
                content_hash=content_hash(snapshot),
            )
        )
    QuestionVersion.objects.bulk_create(versions, batch_size=500)
    for (question, _), version in zip(new, versions, strict=True):
        question.current_version = version
    Question.objects.bulk_update([q for q, _ in new], ["current_version"], batch_size=500)


def _update_question(question: Question, entry: Entry, source: str, entries_label: str) -> bool:
    """Bring one question in line with its entry; True if anything changed."""
    key_points = list(question.key_points.all())
    same_content = (question.prompt, question.answer, question.explanation) == (
        entry.prompt,
        entry.answer,
        entry.explanation,
    ) and [(kp.label, kp.text) for kp in key_points] == [(kp.label, kp.text) for kp in entry.key_points]
    same_content = same_content and question_spec(question) == entry.coding
    # A question keeps the file it came from; an export re-imported elsewhere is no new source.
    same_source = question.source_file != source or question.source_entries == entries_label
    if same_content and same_source:
        return False
    if question.source_file == source:
        question.source_entries = entries_label
    if same_content:
        question.save(update_fields=["source_entries", "updated_at"])
        return True
    _set_content(question, entry)
    question.save()
    # Keep each surviving key point's row (and its aliases), matched by label.
    by_label = {kp.label: kp for kp in key_points}
    wanted = {kp.label for kp in entry.key_points}
    KeyPoint.objects.filter(question=question).exclude(label__in=wanted).delete()
    rows = []
    for order, data in enumerate(entry.key_points):
        row = by_label.get(data.label) or KeyPoint(question=question, label=data.label)
        row.order, row.text = order, data.text
        row.save()
        rows.append(row)
    question.freeze_version(rows)  # the rows as saved, not the prefetched ones
    return True


def _bank_questions():
    """Every question in bank order (topic, then age), with its topic and key points."""
    return Question.objects.select_related("topic").prefetch_related("key_points").order_by("topic__order", "id")


def bank_export_markdown() -> str:
    """The whole bank in the import format, numbered in bank order."""
    questions = _bank_questions()
    return format_bank(
        BANK_TITLE,
        (
            (n, q.prompt, q.answer, q.key_points.all(), q.explanation, question_spec(q))
            for n, q in enumerate(questions, start=1)
        ),
    )


def bank_export_json() -> list[dict]:
    """Every question with its topic, metadata and key points (aliases included)."""
    questions = _bank_questions()
    return [
        {
            "id": q.pk,
            "topic": q.topic.slug,
            "difficulty": q.difficulty,
            "published": q.is_published,
            "source_file": q.source_file,
            "source_entries": q.source_entries,
            "version": q.current_version_id,
            "prompt": q.prompt,
            "answer": q.answer,
            "explanation": q.explanation,
            "kind": q.kind,
            "coding": snapshot_coding(question_spec(q)).get("coding"),
            "key_points": [
                {"label": kp.label, "text": kp.text, "aliases": kp.alias_list()} for kp in q.key_points.all()
            ],
        }
        for q in questions
    ]
