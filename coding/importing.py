"""The hooks between the bank's importer/exporter (questions/services.py) and the coding fields."""

from questions.models import CODING_FIELDS, Kind, Question

from .spec import CodingSpec


def coding_fields(spec: CodingSpec | None) -> dict:
    """The Question fields an entry sets: kind "code" with its spec, or kind "text"."""
    if spec is None:
        return {"kind": Kind.TEXT}
    return {"kind": Kind.CODE, **spec.as_fields()}


def question_spec(question: Question) -> CodingSpec | None:
    """A coding question's spec as it is now; None for a free-text question."""
    if question.kind != Kind.CODE:
        return None
    return CodingSpec.from_fields({name: getattr(question, name) for name in CODING_FIELDS})


def snapshot_coding(spec: CodingSpec | None) -> dict:
    """The part of a version snapshot an entry's coding blocks add (nothing for free text)."""
    return {"coding": spec.as_fields()} if spec is not None else {}
