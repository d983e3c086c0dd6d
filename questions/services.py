"""Writes to the question bank: importing any format, and the exports that import back unchanged."""

import csv
import difflib
import hashlib
import json
import posixpath
import re
import secrets
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from coding.importing import coding_fields, question_spec, snapshot_coding
from coding.spec import render_coding

from .importers import BankError, Entry, ParsedBank, Problem, read_bank
from .importers.anki import anki_fingerprint, format_anki
from .importers.base import SOURCE_MAX, entry_problem, prompt_key, slot_key
from .importers.gift import format_gift, gift_question
from .importers.jsonbank import json_question
from .importers.markdown import format_markdown
from .models import (
    CODING_FIELDS,
    BankImportLock,
    BankUpload,
    Difficulty,
    KeyPoint,
    Kind,
    Question,
    QuestionVersion,
    Topic,
    content_hash,
    import_digest,
    normalise_text,
)

DEFAULT_TOPICS_PATH = settings.BASE_DIR / "fixtures" / "topics.json"
IMAGE_FOLDER = "question-images"
PREVIEW_LIMIT = 200  # diffs and key points shown in the admin preview


class StrictRefusal(BankError):
    """--strict: a skipped entry refuses the whole file."""


@dataclass
class ImportReport:
    source: str
    format: str = ""
    style: str = ""
    dry_run: bool = False
    entries: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited in the admin since the last import
    left_out: list[str] = field(default_factory=list)  # unticked in the admin preview
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (entry, the earlier entry it repeats)
    topics_created: list[str] = field(default_factory=list)
    topics_total: int = 0
    per_topic: Counter = field(default_factory=Counter)
    # For the preview: {"key", "label", "prompt", "old", "new", "kept"} per changed question; key points of new ones.
    changes: list[dict] = field(default_factory=list)
    new_key_points: list[tuple[str, list]] = field(default_factory=list)

    @property
    def topic_counts(self) -> list[tuple[str, int]]:
        return self.per_topic.most_common()

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.topics_created)

    def problem_lines(self) -> list[str]:
        return [f"{self.source}:{p.line}: {p.message}" for p in [*self.skipped, *self.warnings]]

    def lines(self) -> list[str]:
        out = [
            f"{self.source}: {self.entries} entries read ({self.format}, {self.style})",
            f"questions: {len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept)} kept, {len(self.skipped)} skipped",
            f"duplicates merged: {len(self.duplicates)}",
        ]
        out += [f"  entry {dup} repeats entry {first}" for dup, first in self.duplicates]
        out += [f"  kept (edited in the admin since the last import): {prompt[:60]}" for prompt in self.kept]
        out += [f"  left out: {prompt[:60]}" for prompt in self.left_out]
        out += [f"  {line}" for line in self.problem_lines()]
        out.append(f"topics: {self.topics_total} ({len(self.topics_created)} created)")
        if self.dry_run:
            out.append("dry run: nothing was written")
        elif not self.changed:
            out.append("no change: the bank was already up to date")
        return out


def bank_read(path: Path | str, **options) -> tuple[ParsedBank, dict[str, bytes]]:
    """Read and parse a bank file; images it links to by relative path come along."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BankError(1, f"cannot read the file: {exc.strerror or exc}") from None
    bank, assets = read_bank(data, name=path.name, **options)
    if not assets:
        assets = _linked_files(bank, path.parent)
    return bank, assets


def _linked_files(bank: ParsedBank, folder: Path) -> dict[str, bytes]:
    assets = {}
    for entry in bank.entries:
        for _, src in entry.images:
            if _is_local(src) and (folder / src).is_file() and folder.resolve() in (folder / src).resolve().parents:
                assets[posixpath.normpath(src)] = (folder / src).read_bytes()
    return assets


def _is_local(src: str) -> bool:
    return bool(src) and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", src, re.IGNORECASE)


def bank_import(
    *,
    bank: ParsedBank,
    source: str,
    assets: dict[str, bytes] | None = None,
    topics_path: Path | str | None = DEFAULT_TOPICS_PATH,
    topic: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    overwrite_edited: bool = False,
    leave_out: frozenset[str] = frozenset(),
) -> ImportReport:
    """Create or update questions from a parsed bank, one import at a time.

    A question is matched by the id or GUID an export wrote, else by its source and normalised prompt, else
    (a changed prompt) by its section and position in that section together with its answer. A question an
    editor changed since its last import is kept unless overwrite_edited. Entries with a problem are skipped
    (strict: the whole file is refused); word-for-word repeats merge into the first.
    """
    if len(source) > SOURCE_MAX:
        raise BankError(1, f"the file name is longer than {SOURCE_MAX} characters: rename the file")
    report = ImportReport(source=source, format=bank.format, style=bank.style, dry_run=dry_run)
    report.entries = len(bank.entries) + sum(1 for p in bank.problems if p.skipped)
    report.skipped += bank.problems
    distinct = _distinct_entries(bank.entries, report)
    images = _rewrite_images(distinct, assets or {}, report)
    if strict and report.skipped:
        first = report.skipped[0]
        raise StrictRefusal(first.line, "; ".join(f"line {p.line}: {p.message}" for p in report.skipped))
    try:
        with transaction.atomic():
            _take_import_lock()
            _import(distinct, report, source, topics_path, topic, overwrite_edited, leave_out)
            if dry_run:
                transaction.set_rollback(True)
            else:
                for name, data in images.items():
                    if not default_storage.exists(name):
                        default_storage.save(name, ContentFile(data))
    except IntegrityError:
        raise BankError(1, "another import of this file ran at the same time: run this one again") from None
    return report


def _take_import_lock() -> None:
    """A write first in the transaction: PostgreSQL locks the row, SQLite the database, until commit."""
    now = timezone.now()
    if not BankImportLock.objects.filter(pk=1).update(taken_at=now):
        BankImportLock.objects.bulk_create([BankImportLock(pk=1, taken_at=now)], ignore_conflicts=True)
        BankImportLock.objects.filter(pk=1).update(taken_at=now)


def _distinct_entries(entries: list[Entry], report: ImportReport) -> list[tuple[Entry, list[str]]]:
    """Entries without problems, repeats merged: [(entry, the numbers of every copy)]."""
    first_by_prompt: dict[str, tuple[Entry, list[str]]] = {}
    for entry in entries:
        if problem := entry_problem(entry):
            report.skipped.append(Problem(entry.line, f"question {entry.label} {problem}"))
            continue
        key = _source_key(entry)
        if key not in first_by_prompt:
            first_by_prompt[key] = (entry, [entry.number or f"line {entry.line}"])
            continue
        first, numbers = first_by_prompt[key]
        if first.content() == entry.content():
            numbers.append(entry.number or f"line {entry.line}")
            report.duplicates.append((entry.number or f"line {entry.line}", first.number or f"line {first.line}"))
        else:
            report.skipped.append(
                Problem(
                    entry.line,
                    f"question {entry.label} asks the same question as {first.label} with a different answer "
                    "(the first one is kept)",
                )
            )
    report.skipped.sort(key=lambda p: p.line)
    return list(first_by_prompt.values())


def _source_key(entry: Entry) -> str:
    return f"anki:{entry.guid}"[:80] if entry.guid and not entry.question_id else prompt_key(entry.prompt)


def _entry_digest(entry: Entry) -> str:
    points = [(kp.label, kp.text) for kp in entry.key_points]
    coding = entry.coding.as_fields() if entry.coding is not None else None
    return import_digest(entry.prompt, entry.answer, entry.explanation, points, coding)


def _rewrite_images(distinct, assets: dict[str, bytes], report: ImportReport) -> dict[str, bytes]:
    """Point image links at the storage (media root by default); a missing image becomes its alt text.

    Returns the files to store, by storage name (named by their content, so an unchanged bank stores nothing new).
    """
    files = {}
    for entry, _ in distinct:
        for line, src in entry.images:
            if not _is_local(src):
                continue
            data = assets.get(posixpath.normpath(src))
            if data is None:
                report.warnings.append(Problem(line, f"image not found: {src} (shown as its alt text)", False))
                entry.answer = _drop_image(entry.answer, src)
                entry.explanation = _drop_image(entry.explanation, src)
                entry.prompt = _drop_image(entry.prompt, src)
                continue
            name = f"{IMAGE_FOLDER}/{hashlib.sha256(data).hexdigest()[:16]}/{posixpath.basename(src)}"
            files[name] = data
            url = default_storage.url(name)
            for attr in ("answer", "explanation", "prompt"):
                text = getattr(entry, attr)
                text = text.replace(f"]({src}", f"]({url}").replace(f'src="{src}"', f'src="{url}"')
                setattr(entry, attr, text.replace(f"src='{src}'", f"src='{url}'"))
    return files


def _drop_image(text: str, src: str) -> str:
    escaped = re.escape(src)
    text = re.sub(r"!\[([^\]]*)\]\(\s*<?" + escaped + r'>?(?:\s+"[^"]*")?\s*\)', r"\1", text)
    return re.sub(r"<img\b[^>]*src=[\"']" + escaped + r"[\"'][^>]*>", _img_alt, text, flags=re.IGNORECASE)


def _img_alt(match: re.Match) -> str:
    alt = re.search(r"alt=[\"']([^\"']*)", match.group(0))
    return alt.group(1) if alt else ""


def _import(distinct, report, source, topics_path, topic_slug, overwrite_edited, leave_out) -> None:
    topics = _TopicResolver(topics_path, topic_slug, report)
    topic_names = dict(Topic.objects.values_list("pk", "name"))
    # Keys after the images' links were rewritten, as every import before this one computed them.
    distinct = [(_source_key(entry), entry, numbers) for entry, numbers in distinct]
    matches = _match_existing(distinct, source, report.format)
    new: list[_NewQuestion] = []
    refresh: list[Question] = []
    # A chunk at a time: what is read of the existing questions (plain rows and digests) never all sits in memory.
    for chunk in range(0, len(distinct), MATCH_CHUNK):
        part = distinct[chunk : chunk + MATCH_CHUNK]
        ids = [pk for key, _, _ in part if (pk := matches.get(key))]
        known = _known_rows(ids)
        digests = _current_digests(ids)
        for key, entry, numbers in part:
            label = f"{entry.number or entry.line}. {entry.prompt.split(chr(10), 1)[0]}"[:120]
            entries_label = ", ".join(numbers)[:200]
            slot = slot_key(entry.section, entry.position)
            row = known.get(matches.get(key))
            if key in leave_out:
                report.left_out.append(entry.prompt)
                continue
            if row is None:
                # Built in batches when inserted: a large bank's model objects never all sit in memory at once.
                topic = topics.for_entry(entry)
                new.append(_NewQuestion(entry, topic, entries_label, key, slot))
                report.created.append(entry.prompt)
                report.per_topic[topic.name] += 1
                if len(report.new_key_points) < PREVIEW_LIMIT:
                    report.new_key_points.append((label, list(entry.key_points)))
                continue
            report.per_topic[topic_names[row.topic_id]] += 1
            if report.format in FORMATS_WITHOUT_CODE and entry.coding is None and row.kind == Kind.CODE:
                # GIFT and Anki cannot carry a coding question's code and tests: keep them, never blank them.
                entry.coding = question_spec(Question.objects.get(pk=row.pk))
            current = digests.get(row.pk, "")
            wanted = _entry_digest(entry)
            same = current == wanted or (entry.fingerprint and entry.fingerprint == _fingerprint(row.pk, report.format))
            if same:
                report.unchanged.append(entry.prompt)
                changed = (entries_label, current, key, slot) != (
                    row.source_entries,
                    row.imported_digest,
                    row.source_key,
                    row.source_slot,
                )
                if row.source_file == source and changed:
                    refresh.append(
                        Question(
                            pk=row.pk,
                            source_entries=entries_label,
                            imported_digest=current,
                            source_key=key,
                            source_slot=slot,
                        )
                    )
                continue
            edited = row.edited_since_import(current)
            question = Question.objects.select_related("topic").get(pk=row.pk)
            _record_change(report, key, label, question, entry, kept=edited and not overwrite_edited)
            if edited and not overwrite_edited:
                report.kept.append(entry.prompt)
                continue
            _update_question(question, entry, source, entries_label, key, slot)
            report.updated.append(entry.prompt)
    _create_questions(new, source)
    Question.objects.bulk_update(
        refresh, ["source_entries", "imported_digest", "source_key", "source_slot"], batch_size=500
    )
    report.topics_total = Topic.objects.count()


# Formats with no place for a coding question's starter code, solution and tests.
FORMATS_WITHOUT_CODE = ("gift", "anki")
MATCH_CHUNK = 5000


class _Known(NamedTuple):
    """What a re-import reads of an existing question to decide about it: a plain row, not a model object
    (a 100,000-question bank's model objects took 350 MB)."""

    pk: int
    topic_id: int
    kind: str
    source_file: str
    source_key: str
    source_entries: str
    source_slot: str
    imported_digest: str
    version_number: int | None

    def edited_since_import(self, digest: str) -> bool:
        """Changed by an editor since an import last wrote it (such a question is kept on re-import).

        digest: the import_digest of the question's content now.
        """
        if not self.imported_digest:
            # Written in the admin, or imported before digests were kept: a later version may be an editor's.
            return not self.source_file or (self.version_number or 0) > 1
        return digest != self.imported_digest


def _known_rows(ids: list[int]) -> dict[int, _Known]:
    fields = [name for name in _Known._fields if name != "version_number"] + ["current_version__number"]
    return {row[0]: _Known._make(row) for row in Question.objects.filter(pk__in=ids).values_list(*fields)}


def _fingerprint(pk: int, format: str) -> str:
    """This question as the exporter of a format (GIFT or Anki) writes it now; costs a query."""
    question = Question.objects.select_related("topic").prefetch_related("key_points").get(pk=pk)
    return anki_fingerprint(question) if format == "anki" else gift_question(question)


def _match_existing(distinct, source: str, format: str) -> dict[str, int]:
    """The id of the existing question for each entry's source key (see bank_import), read from plain rows."""
    keys = {key: entry for key, entry, _ in distinct}
    found: dict[str, int] = {}
    by_id = {e.question_id: k for k, e in keys.items() if e.question_id}
    rows = Question.objects.filter(pk__in=list(by_id)).values_list("pk", "prompt", "answer")
    for pk, prompt, answer in rows.iterator(chunk_size=2000):
        # An id from another site's export names some other question here: it must agree in prompt or answer.
        entry = keys[by_id[pk]]
        if (
            prompt_key(prompt) == prompt_key(entry.prompt)
            or _same_answer(answer, entry)
            # A note or question exactly as our exporter writes this question now (HTML or GIFT markup
            # may not read back to the same Markdown, e.g. around code).
            or (entry.fingerprint and entry.fingerprint == _fingerprint(pk, format))
        ):
            found[by_id[pk]] = pk
    rest = [k for k in keys if k not in found]
    # Same source first, then any source (an export imported again), then questions written in the admin.
    # The common path for a large bank: its text is read later only for the few that changed.
    rows = Question.objects.filter(source_key__in=rest).order_by("-source_file")
    for pk, key, source_file in rows.values_list("pk", "source_key", "source_file").iterator(chunk_size=5000):
        if source_file == source or key not in found:
            found[key] = pk
    missing = {k for k in keys if k not in found}
    if missing:
        for pk, prompt in Question.objects.filter(source_key="").values_list("pk", "prompt").iterator(chunk_size=2000):
            key = prompt_key(prompt)
            if key in missing and key not in found:
                found[key] = pk
    missing = [k for k in keys if k not in found]
    if missing:
        # A changed prompt: the same place in the same section, and the same answer.
        taken = set(found.values())
        slots = {slot_key(keys[k].section, keys[k].position): k for k in missing}
        rows = Question.objects.filter(source_file=source, source_slot__in=list(slots)).exclude(pk__in=taken)
        for pk, slot, answer in rows.values_list("pk", "source_slot", "answer"):
            key = slots[slot]
            if _same_answer(answer, keys[key]):
                found[key] = pk
    return found


def _same_answer(answer: str, entry: Entry) -> bool:
    return bool(entry.answer.strip()) and normalise_text(answer) == normalise_text(entry.answer)


def _current_digests(ids: list[int]) -> dict[int, str]:
    """import_digest of each question's content now, from plain rows (no model objects)."""
    points: dict[int, list] = {}
    rows = KeyPoint.objects.filter(question_id__in=ids).order_by("question_id", "order", "id")
    for question_id, label, text in rows.values_list("question_id", "label", "text").iterator(chunk_size=5000):
        points.setdefault(question_id, []).append((label, text))
    digests = {}
    rows = Question.objects.filter(pk__in=ids).values("pk", "prompt", "answer", "explanation", "kind", *CODING_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        coding = {name: row[name] for name in CODING_FIELDS} if row["kind"] == Kind.CODE else None
        digests[row["pk"]] = import_digest(
            row["prompt"], row["answer"], row["explanation"], points.get(row["pk"], []), coding
        )
    return digests


def _record_change(report: ImportReport, key: str, label: str, question: Question, entry: Entry, *, kept: bool) -> None:
    if len(report.changes) >= PREVIEW_LIMIT:
        return
    old = _as_text(
        question.prompt,
        question.answer,
        [(kp.label, kp.text) for kp in question.key_points.all()],
        question.explanation,
        question_spec(question),
    )
    new = _as_text(
        entry.prompt, entry.answer, [(kp.label, kp.text) for kp in entry.key_points], entry.explanation, entry.coding
    )
    report.changes.append({"key": key, "label": label, "kept": kept, "rows": side_by_side(old, new)})


def side_by_side(old: str, new: str) -> list[tuple[str, str, str]]:
    """(change, old line, new line) rows of a two-column diff; change is "", "changed", "removed" or "added"."""
    a, b = old.split("\n"), new.split("\n")
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [("", line, line) for line in a[i1:i2]]
            continue
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            old_line = left[k] if k < len(left) else ""
            new_line = right[k] if k < len(right) else ""
            rows.append(
                ("changed" if old_line and new_line else "removed" if old_line else "added", old_line, new_line)
            )
    return rows


def _as_text(prompt: str, answer: str, key_points, explanation: str, coding=None) -> str:
    points = "\n".join(f"- {label}: {text}" for label, text in key_points)
    code = render_coding(coding) if coding is not None else ""
    return f"{prompt}\n\n{answer}\n\n{points}\n\n{explanation}\n\n{code}".strip()


class _TopicResolver:
    """The topic of each entry: --topic, the topics file (by prompt or by section), a topic of that name, a new one."""

    def __init__(self, topics_path, topic_slug: str | None, report: ImportReport):
        self.report = report
        self.by_prompt: dict[str, Topic] = {}
        self.by_section: dict[str, Topic] = {}
        self.default: Topic | None = None
        self.only: Topic | None = None
        if topic_slug:
            self.only = Topic.objects.filter(slug=topic_slug).first()
            if self.only is None:
                raise BankError(1, f"no topic with the slug “{topic_slug}”")
        elif topics_path:
            self._load(Path(topics_path))
        self.by_name = {t.name.casefold(): t for t in Topic.objects.all()}
        self.by_name.update({t.slug: t for t in self.by_name.values()})

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BankError(1, f"cannot read the topics file {path}: {exc}") from None
        if "topics" not in data:  # {"section name": "existing-topic-slug"}
            for name, slug in data.items():
                topic = Topic.objects.filter(slug=slug).first()
                if topic is None:
                    raise BankError(1, f"the topics file {path} names no existing topic “{slug}”")
                self.by_section[name.casefold()] = topic
            return
        topics = {}
        for item in data["topics"]:
            topic, created = Topic.objects.get_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "description": item.get("description", ""),
                    "order": item.get("order", 0),
                },
            )
            if created:
                self.report.topics_created.append(topic.slug)
            topics[topic.slug] = topic
            for prompt in item.get("questions", []):
                self.by_prompt[prompt_key(prompt)] = topic
            for name in item.get("sections", []):
                self.by_section[name.casefold()] = topic
        if data.get("default_topic"):
            self.default = topics.get(data["default_topic"])

    def for_entry(self, entry: Entry) -> Topic:
        if self.only:
            return self.only
        if topic := self.by_prompt.get(prompt_key(entry.prompt)):
            return topic
        section = entry.section.strip()
        if section:
            topic = self.by_section.get(section.casefold()) or self.by_name.get(section.casefold())
            return topic or self._create(section)
        return self.default or self._create("General", slug="general")

    def _create(self, name: str, slug: str | None = None) -> Topic:
        slug = slug or slugify(name)[:90] or "topic"
        if slug == "topic" or Topic.objects.filter(slug=slug).exclude(name=name).exists():
            slug = f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        topic, created = Topic.objects.get_or_create(slug=slug, defaults={"name": name})
        if created:
            self.report.topics_created.append(slug)
        self.by_name[name.casefold()] = self.by_name[slug] = topic
        return topic


def _set_content(question: Question, entry: Entry) -> None:
    question.prompt = entry.prompt
    question.answer = entry.answer
    question.explanation = entry.explanation
    for name, value in coding_fields(entry.coding).items():
        setattr(question, name, value)


class _NewQuestion(NamedTuple):
    entry: Entry
    topic: Topic
    entries_label: str
    key: str
    slot: str


def _create_questions(new: list[_NewQuestion], source: str) -> None:
    """Bulk inserts in batches, so a large bank imports in seconds and in bounded memory.

    On PostgreSQL the ids come from the sequences first and the rows go in with COPY (binding bulk_create's
    parameters costs more than the parsing); foreign keys are checked at commit, so the order does not matter.
    """
    copy = connection.vendor == "postgresql"
    for start in range(0, len(new), 2000):
        batch = []
        for item in new[start : start + 2000]:
            question = Question(
                topic=item.topic,
                source_file=source,
                source_entries=item.entries_label,
                source_key=item.key,
                source_slot=item.slot,
                difficulty=item.entry.difficulty or Difficulty.MEDIUM,
                tags=item.entry.tags,
                imported_digest=_entry_digest(item.entry),
            )
            _set_content(question, item.entry)
            batch.append((question, item.entry))
        questions = [q for q, _ in batch]
        _insert(questions, copy=copy)
        key_points = [
            KeyPoint(
                question=q, order=i, label=kp.label, text=kp.text, aliases=", ".join(kp.aliases), is_derived=kp.derived
            )
            for q, entry in batch
            for i, kp in enumerate(entry.key_points)
        ]
        _insert(key_points, copy=copy)
        ids = iter(kp.pk for kp in key_points)
        versions = []
        for question, entry in batch:
            points = [{"id": next(ids), "label": kp.label, "text": kp.text} for kp in entry.key_points]
            snapshot = {
                "prompt": entry.prompt,
                "answer": entry.answer,
                "explanation": entry.explanation,
                "key_points": points,
                **snapshot_coding(entry.coding),
            }
            versions.append(
                QuestionVersion(
                    question=question,
                    number=1,
                    prompt=entry.prompt,
                    answer=entry.answer,
                    explanation=entry.explanation,
                    key_points=points,
                    coding=snapshot.get("coding", {}),
                    content_hash=content_hash(snapshot),
                )
            )
        _insert(versions, copy=copy)
        for question, version in zip(questions, versions, strict=True):
            question.current_version = version
        if copy:
            _copy(questions)
            _copy(key_points)
            _copy(versions)
        else:
            # One UPDATE for the batch (bulk_update would send a CASE per row).
            first_version = QuestionVersion.objects.filter(question=OuterRef("pk"), number=1).values("pk")[:1]
            Question.objects.filter(pk__in=[q.pk for q in questions]).update(current_version=Subquery(first_version))


def _insert(objs: list, *, copy: bool) -> None:
    """Give new rows their ids: from the sequence (to COPY them later), or by inserting them with bulk_create."""
    if not objs:
        return
    model = type(objs[0])
    if not copy:
        model.objects.bulk_create(objs, batch_size=1000)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk


def _copy(objs: list) -> None:
    """COPY rows whose ids are set (PostgreSQL)."""
    if not objs:
        return
    meta = type(objs[0])._meta
    fields = meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    now = timezone.now()
    values = [_copy_value(f, now) for f in fields]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([value(obj) for value in values])


# Fields whose attribute psycopg writes as it is: preparing them (a third of an import's CPU on PostgreSQL) would
# hand back the same value.
_COPIED_AS_IS = {
    models.BigAutoField,
    models.ForeignKey,
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.PositiveIntegerField,
    models.FloatField,
}


def _copy_value(field, now):
    """How COPY reads one field of a new row: the attribute itself, one time stamp for every row of an
    auto_now field, or Django's preparation (JSON)."""
    if type(field) in _COPIED_AS_IS:
        return attrgetter(field.attname)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = field.get_db_prep_save(now, connection)
        return lambda obj: stamp
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def _update_question(question: Question, entry: Entry, source: str, entries_label: str, key: str, slot: str) -> None:
    """Write the file's content onto its question; key points keep their rows (and aliases), matched by label."""
    if question.source_file == source:
        question.source_entries, question.source_key, question.source_slot = entries_label, key, slot
    _set_content(question, entry)
    question.imported_digest = _entry_digest(entry)
    question.save()
    existing = {kp.label: kp for kp in question.key_points.all()}
    KeyPoint.objects.filter(question=question).exclude(label__in=[kp.label for kp in entry.key_points]).delete()
    rows = []
    for order, data in enumerate(entry.key_points):
        row = existing.get(data.label) or KeyPoint(question=question, label=data.label)
        row.order, row.text, row.is_derived = order, data.text, data.derived
        if data.aliases:
            row.aliases = ", ".join(data.aliases)
        row.save()
        rows.append(row)
    question.freeze_version(rows)


def bank_questions():
    """Every question in bank order (topic, then age), with its topic, version and key points."""
    return (
        Question.objects.select_related("topic", "current_version")
        .prefetch_related("key_points")
        .order_by("topic__order", "topic__name", "id")
    )


def bank_export(*, format: str) -> str:
    """The whole bank as text in one of the formats import_bank reads back unchanged."""
    questions = bank_questions()
    if format == "json":
        return json.dumps([json_question(q) for q in questions], ensure_ascii=False, indent=2) + "\n"
    return {"markdown": format_markdown, "gift": format_gift, "anki": format_anki}[format](questions)


def upload_max_bytes() -> int:
    return getattr(settings, "BANK_UPLOAD_MAX_BYTES", 50 * 1024 * 1024)


def _upload_folder() -> Path:
    folder = Path(getattr(settings, "BANK_UPLOAD_DIR", "") or Path(tempfile.gettempdir()) / "quizsite-bank-uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def bank_upload_preview(*, user, upload, options: dict) -> tuple[str, ImportReport]:
    """Keep an uploaded bank in a temporary file (not the session) and report what importing it would do."""
    _forget_old_uploads()
    token = secrets.token_urlsafe(32)
    name = Path(upload.name).name
    path = _upload_folder() / token
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    try:
        report = _import_upload(path, name, options, dry_run=True)
    except BankError:
        path.unlink(missing_ok=True)
        raise
    BankUpload.objects.create(token=token, user=user, name=name, path=str(path), options=options)
    return token, report


def bank_upload_confirm(*, user, token: str, leave_out: frozenset[str] = frozenset()) -> ImportReport:
    """Import a previewed upload; a token is consumed once, so a second confirm (or a parallel one) imports nothing."""
    upload = BankUpload.objects.filter(token=token, user=user).first()
    consumed = BankUpload.objects.filter(token=token, user=user, consumed_at=None).update(consumed_at=timezone.now())
    if upload is None or not consumed:
        raise BankError(
            1,
            str(gettext("Nothing to import: this upload was imported already or has expired. Upload the file again.")),
        )
    path = Path(upload.path)
    try:
        return _import_upload(path, upload.name, upload.options, dry_run=False, leave_out=leave_out)
    finally:
        path.unlink(missing_ok=True)


def _import_upload(path: Path, name: str, options: dict, *, dry_run: bool, leave_out=frozenset()) -> ImportReport:
    try:
        data = path.read_bytes()
    except OSError:
        raise BankError(1, str(gettext("The uploaded file is gone: upload it again."))) from None
    try:
        bank, assets = read_bank(
            data, name=name, format=options.get("format"), level=options.get("level"), style=options.get("style")
        )
    except BankError:
        raise
    except (ValueError, csv.Error) as exc:  # a parser's own error that is not a BankError
        raise BankError(getattr(exc, "line", 1), str(exc)) from None
    return bank_import(
        bank=bank,
        assets=assets,
        source=name,
        topic=options.get("topic"),
        dry_run=dry_run,
        overwrite_edited=bool(options.get("overwrite_edited")),
        leave_out=leave_out,
    )


def _forget_old_uploads() -> None:
    """Temporary files of uploads older than a day (never confirmed) are removed."""
    old = BankUpload.objects.filter(created_at__lt=timezone.now() - timedelta(days=1))
    for path in old.values_list("path", flat=True):
        Path(path).unlink(missing_ok=True)
    old.delete()
