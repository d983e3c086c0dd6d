import json
import statistics

from django.core.management.base import BaseCommand, CommandError

from grading.evaluation import EvaluationError, evaluate
from grading.grader import GraderError, grader_settings, llm_covered_labels
from practice.services import question_score


class Command(BaseCommand):
    help = (
        "Score a labelled set of answers (JSON, see grading/evaluation/seed_answers.json) and print "
        "precision, recall and F1 overall and per kind of answer."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the labelled set, JSON")
        parser.add_argument("--backend", choices=["local", "llm"], default="local", help="the scorer to evaluate")
        parser.add_argument("--mistakes", action="store_true", help="also list every answer scored differently")

    def handle(self, *args, file, backend, mistakes, **options):
        try:
            with open(file, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        if backend == "llm":
            config = grader_settings()
            if config is None:
                raise CommandError("set LLM_BASE_URL and LLM_MODEL to evaluate the LLM grader")

            def grade(question, text):
                try:
                    return llm_covered_labels(config, question.current_version, text)
                except GraderError as exc:
                    self.stderr.write(f"grader failed, counted as nothing covered: {exc}")
                    return set()
        else:

            def grade(question, text):
                return set(question_score(question=question, answer=text)[1].covered)

        try:
            report = evaluate(data, grade)
        except EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{'kind':<12}{'answers':>8}{'precision':>11}{'recall':>8}{'F1':>7}{'false hits':>12}")
        rows = [*sorted(report.by_kind.items()), ("overall", report.overall)]
        for kind, t in rows:
            self.stdout.write(
                f"{kind:<12}{t.answers:>8}{t.precision:>11.3f}{t.recall:>8.3f}{t.f1:>7.3f}{t.answers_with_false_hit:>12}"
            )
        ms = sorted(s * 1000 for s in report.seconds)
        if ms:
            self.stdout.write(
                f"time per answer: median {statistics.median(ms):.1f} ms, "
                f"95th percentile {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms"
            )
        if mistakes:
            for m in report.mistakes:
                self.stdout.write(f"[{m['kind']}] {m['text']}\n    missed {m['missed']} extra {m['extra']}")
        self.stdout.write(self.style.SUCCESS(f"evaluated {report.overall.answers} answer(s) with the {backend} scorer"))
