"""Scoring a labelled set of answers and comparing with the human labels (`evaluate_scorer`).

The set is JSON: {"questions": [{"prompt": ..., "answers": [{"kind", "text", "covered": [labels]}]}]}.
Counts are per key point: a point the scorer ticks and the label has is a true positive, and so on;
precision, recall and F1 are micro-averaged over all points, overall and per kind of answer.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from questions.models import Question


class EvaluationError(ValueError):
    pass


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    answers: int = 0
    answers_with_false_hit: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, expected: set[str], got: set[str]) -> None:
        self.tp += len(expected & got)
        self.fp += len(got - expected)
        self.fn += len(expected - got)
        self.answers += 1
        self.answers_with_false_hit += bool(got - expected)


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    mistakes: list[dict] = field(default_factory=list)


def evaluate(data: dict, grade: Callable[[Question, str], set[str]]) -> Report:
    """Grade every answer of the set with `grade(question, text)` (labels covered) and tally."""
    report = Report()
    for group in data.get("questions", []):
        question = Question.objects.filter(prompt=group["prompt"]).select_related("current_version").first()
        if question is None:
            raise EvaluationError(f"no question {group['prompt']!r}: import its bank first")
        labels = {kp["label"] for kp in question.current_version.key_points}
        for answer in group["answers"]:
            expected = set(answer["covered"])
            if unknown := expected - labels:
                raise EvaluationError(f"{group['prompt']!r} has no key point {sorted(unknown)}")
            started = time.perf_counter()
            got = grade(question, answer["text"])
            report.seconds.append(time.perf_counter() - started)
            report.overall.add(expected, got)
            report.by_kind.setdefault(answer["kind"], Tally()).add(expected, got)
            if got != expected:
                report.mistakes.append(
                    {
                        "kind": answer["kind"],
                        "text": answer["text"],
                        "missed": sorted(expected - got),
                        "extra": sorted(got - expected),
                    }
                )
    return report
