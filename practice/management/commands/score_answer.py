import json
import sys

from django.core.management.base import BaseCommand, CommandError

from grading.grader import GraderError, grader_settings, llm_verdict
from practice.services import question_score
from questions.models import Question


class Command(BaseCommand):
    help = (
        "Score an answer read from standard input against a question's key points: "
        "`score_answer QUESTION < answer.txt`, QUESTION being an id or the exact prompt. Prints JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("question", help="the question's id or its exact prompt text")
        parser.add_argument("--backend", choices=["local", "llm"], default="local", help="the scorer to use")

    def handle(self, *args, question, backend, **options):
        found = Question.objects.filter(prompt=question.strip())
        if question.isdigit():
            found = Question.objects.filter(pk=int(question)) | found
        found = found.select_related("current_version")
        if not found:
            raise CommandError(f"no question with id or prompt {question!r}")
        answer = sys.stdin.read()
        points, coverage = question_score(question=found[0], answer=answer)
        result = {
            "covered": list(coverage.covered),
            "score": coverage.score,
            "evidence": {
                label: [f"{answer[e.start : e.end]} → {e.term}" for e in spans]
                for label, spans in coverage.evidence.items()
            },
        }
        if backend == "llm":
            config = grader_settings()
            if config is None:
                raise CommandError("set LLM_BASE_URL and LLM_MODEL to use the LLM grader")
            labels = [p.label for p in points]
            try:
                verdict = llm_verdict(config, version=found[0].current_version, labels=labels, answer=answer)
            except GraderError as exc:
                raise CommandError(f"{exc}; the local result was: {json.dumps(result, ensure_ascii=False)}") from exc
            covered = [labels[i] for i in verdict.covered]
            result = {
                "covered": covered,
                "score": round(len(covered) / len(labels), 4) if labels else 0.0,
                "feedback": verdict.feedback,
                "model": config.model,
            }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
