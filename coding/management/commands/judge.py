import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from coding.sandbox import RunnerUnavailable
from coding.services import code_judge, version_spec
from questions.models import Kind, Question


def find_coding_question(question: str) -> Question:
    """By id, exact prompt, or the prompt's first line (a coding question's title)."""
    text = question.strip()
    match = Q(prompt=text) | Q(prompt__startswith=text + "\n")
    if text.isdigit():
        match |= Q(pk=int(text))
    found = Question.objects.filter(match, kind=Kind.CODE).select_related("current_version").first()
    if found is None or found.current_version is None:
        raise CommandError(f"no coding question with id or prompt {question!r}")
    return found


class Command(BaseCommand):
    help = (
        "Judge a solution file against a coding question's sample and hidden tests in the sandbox: "
        "`judge QUESTION SOLUTION_FILE`, QUESTION being an id, the exact prompt or its first line. Prints JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("question", help="the question's id, its exact prompt, or the prompt's first line")
        parser.add_argument("solution_file", help="a file with the code to judge")

    def handle(self, *args, question, solution_file, **options):
        found = find_coding_question(question)
        try:
            code = Path(solution_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {solution_file}: {exc}") from None
        try:
            outcome = code_judge(spec=version_spec(found.current_version), code=code)
        except RunnerUnavailable as exc:
            raise CommandError(str(exc)) from None
        tests = [{"name": t["name"], "verdict": t["verdict"], "seconds": t["seconds"]} for t in outcome["tests"]]
        self.stdout.write(json.dumps({"verdict": outcome["verdict"], "tests": tests}, ensure_ascii=False))
