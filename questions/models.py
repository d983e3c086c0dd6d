"""The question bank.

A Question is a stable identity (topic, difficulty, published flag, source) whose
content (prompt, reference answer, key points, explanation) editors may change.
Every distinct content is frozen as a QuestionVersion; attempts and interviews
point at the version that was asked, so editing never rewrites history.
"""

import hashlib
import json
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class TopicQuerySet(models.QuerySet):
    def with_published_questions(self):
        """Topics candidates see: those with published questions, each with `published_count`.
        (Aggregating drops Meta.ordering, so the order is explicit.)"""
        # A count per topic from the index alone: one join and count over 100,000 questions took 50 ms.
        published = (
            Question.objects.filter(topic=models.OuterRef("pk"), is_published=True)
            .order_by()
            .values("topic")
            .annotate(n=models.Count("*"))
            .values("n")
        )
        return (
            self.annotate(published_count=Coalesce(models.Subquery(published), 0))
            .filter(published_count__gt=0)
            .order_by("order", "name")
        )


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Kind(models.TextChoices):
    TEXT = "text", _("Free text")
    CODE = "code", _("Code")


class Language(models.TextChoices):
    # One interpreter per language in the sandbox (coding/sandbox.py); more can be added there.
    PYTHON3 = "python3", "Python 3"


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """Questions candidates may be asked."""
        return self.filter(is_published=True)

    def with_current_version(self):
        return self.select_related("current_version", "topic")


class Question(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("topic"))
    prompt = models.TextField(_("question"))
    answer = models.TextField(
        _("reference answer"), blank=True, help_text=_("Markdown. The key points are listed below it.")
    )
    explanation = models.TextField(_("explanation"), blank=True)
    # Blank until an editor judges it: candidates see a difficulty only when it is known.
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    source_entries = models.CharField(
        _("source entries"), max_length=200, blank=True, help_text=_("Entry numbers in the source file, e.g. 2, 17.")
    )
    # Identity on re-import: a digest of the normalised prompt, or "anki:<guid>" for Anki notes.
    source_key = models.CharField(max_length=80, blank=True, editable=False)
    # The entry's section and position in it: matches a question whose prompt changed (with its answer).
    source_slot = models.CharField(max_length=64, blank=True, editable=False)
    # import_digest() of the content the last import wrote; a different digest now means an editor changed it.
    imported_digest = models.CharField(max_length=64, blank=True, editable=False)
    tags = models.CharField(_("tags"), max_length=500, blank=True, help_text=_("Space-separated, as Anki writes them."))
    # A coding question (kind "code"): the candidate writes code that the sandbox runs against tests.
    # Sample tests are shown to the candidate; hidden ones only judge. Tests are Python assert lines
    # or [{"input": ..., "output": ...}] pairs; with neither, the candidate grades themselves.
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    language = models.CharField(_("language"), max_length=20, choices=Language.choices, default=Language.PYTHON3)
    starter_code = models.TextField(_("starter code"), blank=True)
    solution_code = models.TextField(_("reference solution"), blank=True)
    sample_tests = models.TextField(_("sample tests"), blank=True, help_text=_("Python assert lines, one test each."))
    hidden_tests = models.TextField(_("hidden tests"), blank=True, help_text=_("Python assert lines, one test each."))
    sample_io = models.JSONField(
        _("sample input/output pairs"), default=list, blank=True, help_text=_('[{"input": "...", "output": "..."}]')
    )
    hidden_io = models.JSONField(
        _("hidden input/output pairs"), default=list, blank=True, help_text=_('[{"input": "...", "output": "..."}]')
    )
    time_limit_seconds = models.FloatField(_("time limit per test (CPU seconds)"), default=2.0)
    memory_limit_mb = models.PositiveIntegerField(_("memory limit (MB)"), default=256)
    # The newest frozen content; what candidates are asked now.
    current_version = models.ForeignKey(
        "QuestionVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            # The published questions of a topic (home page, practice queues).
            models.Index(fields=["topic", "is_published"], name="question_topic_published_idx"),
            # Which difficulties the published questions have (the practice page's filter).
            models.Index(fields=["difficulty", "is_published"], name="question_difficulty_idx"),
        ]
        constraints = [
            # One question per entry of a source: two imports running at once cannot both create it.
            models.UniqueConstraint(
                fields=["source_file", "source_key"],
                condition=~models.Q(source_key=""),
                name="question_unique_source_key",
            ),
            models.CheckConstraint(
                condition=models.Q(time_limit_seconds__gt=0, time_limit_seconds__lte=30, memory_limit_mb__gte=16),
                name="question_code_limits_sane",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]

    def import_digest(self, key_points=None) -> str:
        """The digest of the content an import compares (see import_digest)."""
        if key_points is None:
            key_points = self.key_points.all()
        points = [(kp.label, kp.text) for kp in key_points]
        return import_digest(self.prompt, self.answer, self.explanation, points, self.coding_data())

    def coding_data(self) -> dict | None:
        """A coding question's CODING_FIELDS as plain data; None for a free-text question."""
        if self.kind != Kind.CODE:
            return None
        return {name: getattr(self, name) for name in CODING_FIELDS}

    def snapshot(self, key_points=None) -> dict:
        """The content that a version freezes, as plain data."""
        if key_points is None:
            key_points = self.key_points.all()
        data = {
            "prompt": self.prompt,
            "answer": self.answer,
            "explanation": self.explanation,
            "key_points": [{"id": kp.pk, "label": kp.label, "text": kp.text} for kp in key_points],
        }
        if self.kind == Kind.CODE:  # only then: a free-text question's hash stays what it was
            data["coding"] = self.coding_data()
        return data

    def freeze_version(self, key_points=None) -> "QuestionVersion":
        """Make the current content a version, unless the newest version already holds it."""
        data = self.snapshot(key_points)
        digest = content_hash(data)
        current = self.current_version
        if current is not None and current.content_hash == digest:
            return current
        number = (self.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = QuestionVersion.objects.create(
            question=self,
            number=number,
            prompt=data["prompt"],
            answer=data["answer"],
            explanation=data["explanation"],
            key_points=data["key_points"],
            coding=data.get("coding", {}),
            content_hash=digest,
        )
        self.current_version = version
        self.save(update_fields=["current_version", "updated_at"])
        return version


# What a coding question's version freezes, beside the prompt and answer.
CODING_FIELDS = (
    "language",
    "starter_code",
    "solution_code",
    "sample_tests",
    "hidden_tests",
    "sample_io",
    "hidden_io",
    "time_limit_seconds",
    "memory_limit_mb",
)


def content_hash(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def normalise_text(text: str) -> str:
    """Text as compared on import: a browser's CRLF line ends, trailing blanks and Unicode composition (NFC) are
    no change."""
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def import_digest(prompt: str, answer: str, explanation: str, key_points, coding: dict | None = None) -> str:
    """What an import compares: the content an editor sees, with line ends and trailing blanks normalised.

    coding: a coding question's CODING_FIELDS (code compared byte for byte); None for free text, whose
    digest stays what it was before coding questions existed.
    """
    data = [normalise_text(prompt), normalise_text(answer), normalise_text(explanation)]
    data += [[normalise_text(label), normalise_text(text)] for label, text in key_points]
    if coding is not None:
        data.append({name: coding[name] for name in CODING_FIELDS})
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


class KeyPoint(models.Model):
    """One point a good answer makes; a row of its own so the scorer and the dashboards can name it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="key_points")
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other words for this point that count as covering it, one per line or comma-separated."),
    )
    is_derived = models.BooleanField(
        _("derived"),
        default=False,
        help_text=_("Derived by the importer from the answer's sentences; untick to accept it as written."),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("key point")
        verbose_name_plural = _("key points")
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="keypoint_unique_label_per_question"),
        ]

    def __str__(self) -> str:
        return self.label

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)


def split_aliases(text: str) -> list[str]:
    """Aliases are written one per line or comma-separated (full-width commas too)."""
    return [a.strip() for a in text.replace("，", ",").replace("\n", ",").split(",") if a.strip()]


class QuestionVersion(models.Model):
    """Frozen content of a question, as a candidate was asked it. Never edited."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    prompt = models.TextField()
    answer = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    # [{"id": key point id, "label": ..., "text": ...}] at the time of freezing.
    key_points = models.JSONField(default=list)
    # A coding question's CODING_FIELDS at the time of freezing; {} for a free-text question.
    coding = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="version_unique_number_per_question"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.prompt[:60]} (v{self.number})"


class BankImportLock(models.Model):
    """One row that every import updates first, so imports run one at a time (on SQLite and PostgreSQL)."""

    taken_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"import lock (last taken {self.taken_at})"


class BankUpload(models.Model):
    """A bank file uploaded in the admin and previewed; a confirm consumes it once."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    path = models.CharField(max_length=500)  # the temporary file holding the upload
    options = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    consumed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
