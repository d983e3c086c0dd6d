"""Which reference key points does a written answer cover, and where does it say so?

The answer and every key point are mapped onto the concepts of the bilingual glossary
(grading/glossary.py), so 显存, GPU内存 and "GPU memory" are one thing, in either language.
Words of a key point's label that the glossary does not know are looked for as they are.

A key point is covered when
- its label or one of its aliases appears in the answer (not negated), or
- the answer names enough of the label's concepts (half of their weight), or
- it names at least two of the point's concepts (label and text) holding a good share of their weight.

A concept's weight is its distinctiveness in the bank: a concept found in many key points (模型,
计算资源) says less about which point was made than one found in few (权重衰减). Each covered point
comes with its evidence: the spans of the answer that matched, and the key point's words they matched.

Bump SCORER_VERSION whenever the rules or the glossary change, so stored scores can be redone.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from grading.glossary import Analysis, Glossary, has_cjk, load_data_file

SCORER_VERSION = "glossary-1"

# Share of the label's concept weight that covers the point by itself.
LABEL_SHARE = 0.5
# Share of all the point's concept weight (label and text) that covers it, with at least MIN_HITS concepts.
POINT_SHARE = 0.4
MIN_HITS = 2
# A concept's text weighs less than its label: the label names the point, the text explains it.
TEXT_FACTOR = 0.6
# Derived key points (a question without any): the most distinctive concepts of the reference answer.
DERIVED_LIMIT = 5

# Label words that say nothing by themselves, when the glossary does not know them.
_FILLER = frozenset(
    """
    进行 使用 可以 通过 以及 例如 方式 一个 一些 这些 那些 我们 需要 能够 用于 或者 并且 提高 减少 增加 调整 处理
    模型 训练 数据 过程 方法 时间 问题 效果 能力 计算 大模型 大规模 更加 相关 不同 方面 技术 策略 结构 作用 实现
    the a an and or of to in on with for by use using is are be it its that this which from as at into model data
    """.split()
)


@dataclass(frozen=True)
class Point:
    label: str
    text: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """A span of the answer (start, end) and the key point's words it matched."""

    start: int
    end: int
    term: str

    def as_list(self) -> list:
        return [self.start, self.end, self.term]


@dataclass(frozen=True)
class Coverage:
    covered: tuple[str, ...]  # labels of the covered key points, in key-point order
    total: int
    evidence: Mapping[str, tuple[Evidence, ...]] = field(default_factory=dict)  # by covered label

    @property
    def score(self) -> float:
        return round(len(self.covered) / self.total, 4) if self.total else 0.0


@dataclass(frozen=True)
class PointConcepts:
    """A key point as concepts: key -> the point's own words for it."""

    label: dict[str, str]
    text: dict[str, str]


@lru_cache(maxsize=1)
def builtin_glossary() -> Glossary:
    """The glossary of the data file alone (no editors' additions): for code without a database."""
    return Glossary(load_data_file())


def point_concepts(point: Point, glossary: Glossary) -> PointConcepts:
    label = _concepts(point.label, glossary, with_words=True)
    text = {k: v for k, v in _concepts(point.text, glossary, with_words=False).items() if k not in label}
    return PointConcepts(label, text)


def _concepts(text: str, glossary: Glossary, *, with_words: bool) -> dict[str, str]:
    """Concepts named in the text (not negated), and with_words its other meaningful words as "~word"."""
    analysis = glossary.analyse(text)
    found = {m.concept: text[m.start : m.end] for m in analysis.matches if not m.negated}
    if with_words:
        rest, last = [], 0
        for m in analysis.matches:
            rest.append(text[last : m.start])
            last = m.end
        rest.append(text[last:])
        for word in glossary.words("，".join(rest)):
            if word not in _FILLER and (len(word) >= 2 if has_cjk(word) else len(word) >= 3):
                found.setdefault(f"~{word}", word)
    return found


def concept_weights(concept_sets: Iterable[Iterable[str]]) -> dict[str, float]:
    """Inverse document frequency of each concept over key points (ln(1 + N / df))."""
    counts: dict[str, int] = {}
    n = 0
    for concepts in concept_sets:
        n += 1
        for key in set(concepts):
            counts[key] = counts.get(key, 0) + 1
    return {key: math.log(1 + n / df) for key, df in counts.items()} | {"": math.log(1 + max(n, 1))}


def _weight(weights: Mapping[str, float], key: str) -> float:
    # A concept the bank never uses is as distinctive as one used once.
    return weights.get(key, weights.get("", 1.0))


def score_answer(
    answer: str,
    points: list[Point],
    *,
    glossary: Glossary | None = None,
    weights: Mapping[str, float] | None = None,
) -> Coverage:
    """Coverage of the points by the answer. Without weights, distinctiveness is judged among these points."""
    glossary = glossary or builtin_glossary()
    concepts = [glossary.memo(("point", p), lambda p=p: point_concepts(p, glossary)) for p in points]
    if weights is None:
        weights = concept_weights([*c.label, *c.text] for c in concepts)
    analysis = glossary.analyse(answer or "")
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in analysis.matches:
        if not m.negated:
            for key in glossary.with_broader(m.concept):
                spans.setdefault(key, []).append((m.start, m.end))
    covered, evidence = [], {}
    for point, pc in zip(points, concepts, strict=True):
        found = _point_evidence(point, pc, analysis, spans, weights)
        if found:
            covered.append(point.label)
            evidence[point.label] = found
    return Coverage(covered=tuple(covered), total=len(points), evidence=evidence)


def _point_evidence(point, pc: PointConcepts, analysis: Analysis, spans, weights) -> tuple[Evidence, ...]:
    """The evidence that the answer covers the point, or () when it does not."""
    for phrase in (point.label, *point.aliases):
        if span := analysis.find_phrase(phrase):
            return (Evidence(*span, point.label),)
    hits: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for key, term in (*pc.label.items(), *pc.text.items()):
        if key.startswith("~"):
            where = analysis.find_word(key[1:])
            found = [where] if where else []
        else:
            found = spans.get(key, [])
        if found:
            hits[key] = (term, found)
    label_weight = sum(_weight(weights, k) for k in pc.label)
    label_hit = sum(_weight(weights, k) for k in pc.label if k in hits)
    text_weight = sum(_weight(weights, k) for k in pc.text) * TEXT_FACTOR
    text_hit = sum(_weight(weights, k) for k in pc.text if k in hits) * TEXT_FACTOR
    by_label = label_weight > 0 and label_hit / label_weight >= LABEL_SHARE
    total = label_weight + text_weight
    by_point = len(hits) >= MIN_HITS and total > 0 and (label_hit + text_hit) / total >= POINT_SHARE
    if not (by_label or by_point):
        return ()
    evidence: dict[tuple[int, int], Evidence] = {}  # one per span: the label's words before the text's
    for term, found in hits.values():
        for start, end in found:
            evidence.setdefault((start, end), Evidence(start, end, term))
    return tuple(sorted(evidence.values(), key=lambda e: e.start))


def derived_points(reference: str, *, prompt: str = "", glossary: Glossary | None = None, weights=None) -> list[Point]:
    """Key points for a question that has none: the most distinctive concepts of its reference answer
    (not those the question itself names), in the order the answer gives them."""
    glossary = glossary or builtin_glossary()
    asked = {m.concept for m in glossary.find(prompt)}
    seen: dict[str, str] = {}
    for m in glossary.find(reference):
        if not m.negated and m.concept not in asked:
            seen.setdefault(m.concept, reference[m.start : m.end])
    weights = weights or {}
    best = sorted(seen, key=lambda k: -_weight(weights, k))[:DERIVED_LIMIT]
    return [Point(seen[k]) for k in seen if k in best]
