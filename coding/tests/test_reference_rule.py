"""interviews/reference.py's rule on coding questions: while a running interview holds a coding question, no
page shows its reference solution or its hidden tests; once the interview ends they are back."""

import pytest

from coding.models import CodeRun, Verdict
from coding.tests.factories import CodeRunFactory, CodingQuestionFactory
from interviews.models import Interview
from practice.models import Attempt
from questions.tests.factories import TopicFactory

HX = {"HTTP_HX_REQUEST": "true"}
SOLUTION_MARK = "return a + b"  # in the factory's reference solution only
HIDDEN_MARK = "add(10, 5)"  # in its hidden tests only
HIDDEN_TESTS = [
    {"name": "sample 1", "hidden": False, "verdict": "accepted", "seconds": 0.01, "memory_kb": 1},
    {
        "name": "hidden 1",
        "hidden": True,
        "verdict": "wrong_answer",
        "code": "assert add(10, 5) == 15",
        "error": "AssertionError: add(10, 5) gave 5",
        "output": "printed add(10, 5)",
        "seconds": 0.01,
        "memory_kb": 1,
    },
]


@pytest.fixture
def held(user_client, user, db):
    """A coding question answered in practice, its submitted run, then a running interview holding it."""
    topic = TopicFactory(slug="coding", name="Coding")
    questions = CodingQuestionFactory.create_batch(3, topic=topic)
    question = questions[0]
    user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "", "in_head": "1"})
    attempt = Attempt.objects.get(user=user, question=question)
    run = CodeRunFactory(
        user=user,
        question=question,
        purpose=CodeRun.Purpose.SUBMIT,
        status=CodeRun.Status.DONE,
        verdict=Verdict.WRONG_ANSWER,
        tests=HIDDEN_TESTS,
    )
    data = {"question_count": 3, "timing": "per_question", "minutes_per_question": 5, "total_minutes": 15}
    assert user_client.post("/interviews/new/", {**data, "topic": topic.slug}).status_code == 302
    interview = Interview.objects.get(user=user)
    assert set(interview.questions.values_list("question_id", flat=True)) == {q.pk for q in questions}
    return question, attempt, run, interview


def _pages(client, question, attempt, run, interview) -> list[tuple[str, str]]:
    """(url, html after redirects) of every page that could show the question's reference or hidden tests."""
    urls = [
        (f"/interviews/{interview.pk}/", {}),
        (f"/interviews/{interview.pk}/report/", {}),
        (f"/practice/attempts/{attempt.pk}/", {}),
        (f"/practice/attempts/{attempt.pk}/", HX),
        (f"/coding/runs/{run.pk}/", {}),
        (f"/coding/runs/{run.pk}/", HX),
    ]
    return [(url, client.get(url, follow=True, **extra).content.decode()) for url, extra in urls]


def test_a_running_interview_hides_the_reference_solution_and_hidden_tests_everywhere(user_client, held):
    question, attempt, run, interview = held
    for url, html in _pages(user_client, *held):
        assert SOLUTION_MARK not in html, url
        assert HIDDEN_MARK not in html, url
    # The run page still gives the verdicts, hidden tests' details aside.
    html = user_client.get(f"/coding/runs/{run.pk}/", **HX).content.decode()
    assert 'data-verdict="wrong_answer"' in html and "hidden" in html


def test_once_the_interview_ends_the_run_page_and_the_attempt_show_them_again(user_client, held):
    question, attempt, run, interview = held
    user_client.post(f"/interviews/{interview.pk}/end/")
    assert HIDDEN_MARK in user_client.get(f"/coding/runs/{run.pk}/").content.decode()
    assert SOLUTION_MARK in user_client.get(f"/practice/attempts/{attempt.pk}/").content.decode()


def test_another_candidates_interview_hides_nothing(other_client, other_user, held):
    question, attempt, run, interview = held
    theirs = CodeRunFactory(
        user=other_user,
        question=question,
        purpose=CodeRun.Purpose.SUBMIT,
        status=CodeRun.Status.DONE,
        verdict=Verdict.WRONG_ANSWER,
        tests=HIDDEN_TESTS,
    )
    assert HIDDEN_MARK in other_client.get(f"/coding/runs/{theirs.pk}/").content.decode()
