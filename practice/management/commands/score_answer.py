import json
import sys

from django.core.management.base import BaseCommand, CommandError

from practice.services import question_score
from questions.models import Question


class Command(BaseCommand):
    help = (
        "Score an answer read from standard input against a question's key points: "
        "`score_answer QUESTION < answer.txt`, QUESTION being an id or the exact prompt. Prints JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("question", help="the question's id or its exact prompt text")

    def handle(self, *args, question, **options):
        found = Question.objects.filter(prompt=question.strip())
        if question.isdigit():
            found = Question.objects.filter(pk=int(question)) | found
        found = found.select_related("current_version")
        if not found:
            raise CommandError(f"no question with id or prompt {question!r}")
        coverage = question_score(question=found[0], answer=sys.stdin.read())
        self.stdout.write(json.dumps({"covered": list(coverage.covered), "score": coverage.score}, ensure_ascii=False))
