"""Coding questions in practice, mock interviews, reports and dashboards."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from coding.models import CodeRun, Verdict
from coding.tests.factories import SOLUTION, CodingQuestionFactory
from interviews.models import Interview
from interviews.tests.conftest import submit_all
from practice.models import Attempt, ReviewCard
from questions.tests.factories import TopicFactory

from .test_sandbox import pytestmark as needs_bwrap

HX = {"HTTP_HX_REQUEST": "true"}
WRONG = "def add(a, b):\n    return a * b\n"


@pytest.fixture
def question(db):
    return CodingQuestionFactory(topic=TopicFactory(slug="coding", name="Coding"))


@needs_bwrap  # the run button shows only where the runner is installed
def test_the_practice_card_shows_the_editor_with_starter_code_and_samples(user_client, question):
    html = user_client.get("/practice/next/?scope=all").content.decode()
    assert "data-code-editor" in html and "def add(a, b):\n    pass" in html
    assert "assert add(1, 2) == 3" in html  # a sample test
    assert "add(10, 5)" not in html  # a hidden one
    assert "Run samples" in html and f'formaction="/coding/questions/{question.pk}/run/"' in html
    assert "vendor/codemirror/editor.js" in html


def test_without_bwrap_the_card_says_the_runner_is_unavailable(user_client, question, settings):
    settings.CODE_RUNNER_BWRAP = "/nonexistent/bwrap"
    html = user_client.get("/practice/next/?scope=all").content.decode()
    assert "The code runner is unavailable" in html and "Run samples" not in html
    assert "data-code-editor" in html  # the answer can still be written


@needs_bwrap
def test_showing_the_answer_judges_the_code_and_the_verdict_suggests_the_rating(user_client, user, question):
    response = user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": WRONG}, **HX)
    html = response.content.decode()
    attempt = Attempt.objects.get(user=user)
    assert attempt.code_run.verdict == Verdict.WRONG_ANSWER
    assert 'data-verdict="wrong_answer"' in html
    assert "return a + b" in html  # the reference solution
    assert re.search(r'value="1" data-shortcut="1" aria-keyshortcuts="1"\s+class="suggested"', html)  # Again: 1 of 4
    # The verdict suggests the rating: no coverage figure for code.
    assert "Suggested from your code’s verdict" in html
    assert "Suggested from your coverage" not in html and "Automatic coverage" not in html
    user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": 1, "scope": "all"})
    assert ReviewCard.objects.get(user=user, question=question).reviews == 1


@needs_bwrap
def test_an_accepted_answer_suggests_good(user_client, user, question):
    html = user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": SOLUTION}, **HX).content.decode()
    assert 'data-verdict="accepted"' in html
    assert re.search(r'value="3" data-shortcut="3" aria-keyshortcuts="3"\s+class="suggested"', html)  # Good


@needs_bwrap
def test_a_coding_interview_autosaves_code_and_reports_its_verdict(user_client, user, question):
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        data = {"question_count": 3, "timing": "per_question", "minutes_per_question": 5, "total_minutes": 15}
        CodingQuestionFactory.create_batch(2, topic=question.topic)
        assert user_client.post("/interviews/new/", data).status_code == 302
        interview = Interview.objects.get(user=user)
        page = user_client.get(f"/interviews/{interview.pk}/").content.decode()
        assert "data-code-editor" in page
        assert f'hx-post="/interviews/{interview.pk}/questions/1/draft/"' in page
        saved = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": SOLUTION}, **HX)
        assert saved.status_code == 200 and "Saved at" in saved.content.decode()
        submit_all(user_client, interview, [SOLUTION] * 3)
        report = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert report.count('data-verdict="accepted"') == 3
    assert CodeRun.objects.filter(attempt__user=user, verdict=Verdict.ACCEPTED).count() == 3


@needs_bwrap
def test_the_dashboard_shows_pass_rates_per_topic(user_client, user, question):
    user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": SOLUTION}, follow=True)
    other = CodingQuestionFactory(topic=question.topic)
    user_client.post(f"/practice/questions/{other.pk}/reveal/", {"answer": WRONG}, follow=True)
    html = user_client.get("/progress/").content.decode()
    assert "Coding questions: pass rate per topic" in html
    assert "50%" in html


def test_the_dashboard_has_no_pass_rates_without_coding_answers(user_client, question):
    assert "pass rate per topic" not in user_client.get("/progress/").content.decode()


def test_a_coding_card_has_its_title_as_heading_and_its_statement_as_markdown(user_client, db):
    CodingQuestionFactory(prompt="两数之和 / Add\nImplement `add(a, b)`.")
    html = user_client.get("/practice/next/?scope=all").content.decode()
    assert '<h1 id="card-title" class="prompt">两数之和 / Add</h1>' in html
    assert "Implement <code>add(a, b)</code>." in html


def test_a_coding_answer_gets_no_coverage_score_and_no_llm_grading_job(user_client, user, question, settings):
    settings.SCORER_BACKEND = "llm"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": WRONG})
    attempt = Attempt.objects.get(user=user)
    assert attempt.auto_score is None and attempt.scorer_version == ""
    assert not hasattr(attempt, "grading_job") or attempt.grading_job is None
