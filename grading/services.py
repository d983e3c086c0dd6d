"""The scorer's view of the site's data: the glossary with editors' additions, and the bank's
concept weights. Both are built once per process and rebuilt when their data changes."""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from practice.scoring import Point, concept_weights, point_concepts
from questions.models import Question, QuestionVersion

from .glossary import Concept, Glossary, load_data_file, split_terms
from .models import GlossaryConcept


@dataclass(frozen=True)
class ScoringContext:
    glossary: Glossary
    weights: dict[str, float]


_lock = threading.Lock()
_cached: dict[str, tuple[tuple, object]] = {}


def _memo(name: str, stamp: tuple, build):
    with _lock:
        hit = _cached.get(name)
        if hit and hit[0] == stamp:
            return hit[1]
    value = build()
    with _lock:
        _cached[name] = (stamp, value)
    return value


def current_glossary() -> Glossary:
    """The data file's concepts and the editors' (one query to see whether they changed)."""
    return _memo("glossary", _glossary_stamp(), _build_glossary)


def _glossary_stamp() -> tuple:
    return tuple(GlossaryConcept.objects.aggregate(n=Count("pk"), at=Max("updated_at")).values())


def _build_glossary() -> Glossary:
    concepts = load_data_file()
    for row in GlossaryConcept.objects.all():
        concept = concepts.setdefault(row.key, Concept([], []))
        concept.terms.extend(split_terms(row.zh_terms) + split_terms(row.en_terms))
        concept.broader.extend(split_terms(row.broader))
    return Glossary(concepts)


def scoring_context() -> ScoringContext:
    """The glossary and the weights of its concepts over the key points of every question's
    current version: two small queries when nothing changed."""
    glossary_stamp = _glossary_stamp()
    glossary = _memo("glossary", glossary_stamp, _build_glossary)
    stamp = (glossary_stamp, *QuestionVersion.objects.aggregate(n=Count("pk"), last=Max("pk")).values())
    weights = _memo("weights", stamp, lambda: _bank_weights(glossary))
    return ScoringContext(glossary, weights)


def _bank_weights(glossary: Glossary) -> dict[str, float]:
    versions = QuestionVersion.objects.filter(pk__in=Question.objects.values("current_version"))
    sets = []
    for key_points in versions.values_list("key_points", flat=True).iterator():
        for kp in key_points:
            pc = point_concepts(Point(kp["label"], kp.get("text", "")), glossary)
            sets.append([*pc.label, *pc.text])
    return concept_weights(sets)
