import factory

from coding.models import CodeRun
from questions.models import Kind
from questions.tests.factories import QuestionFactory

SOLUTION = "def add(a, b):\n    return a + b\n"


class CodingQuestionFactory(QuestionFactory):
    """A published coding question: add two numbers, two sample tests and two hidden ones."""

    prompt = factory.Sequence(lambda n: f"两数之和 / Add two numbers ({n})")
    answer = "返回 a + b。"
    kind = Kind.CODE
    starter_code = "def add(a, b):\n    pass\n"
    solution_code = SOLUTION
    sample_tests = "assert add(1, 2) == 3\nassert add(-1, 1) == 0"
    hidden_tests = "assert add(10, 5) == 15\nassert add(0, 0) == 0"
    time_limit_seconds = 1.0
    memory_limit_mb = 128


class CodeRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeRun

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    question = factory.SubFactory(CodingQuestionFactory)
    version = factory.LazyAttribute(lambda run: run.question.current_version)
    purpose = CodeRun.Purpose.SAMPLES
    code = SOLUTION
