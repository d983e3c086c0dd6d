"""The run endpoints: queue a run, poll its verdicts. Full pages and htmx partials, owners and others."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coding.models import CodeRun, Verdict
from coding.tests.factories import SOLUTION, CodeRunFactory, CodingQuestionFactory
from questions.tests.factories import QuestionFactory

from .test_sandbox import pytestmark as needs_bwrap

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def question(db):
    return CodingQuestionFactory()


@pytest.fixture
def no_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@needs_bwrap
def test_run_samples_over_htmx_shows_the_verdicts(user_client, question):
    wrong = "def add(a, b):\n    return a - b\n"
    response = user_client.post(f"/coding/questions/{question.pk}/run/", {"answer": wrong, "purpose": "samples"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="wrong_answer"' in html
    assert "Expected" in html and "Got" in html and "-1" in html
    assert "<html" not in html


@needs_bwrap
def test_submit_over_htmx_judges_the_hidden_tests_too(user_client, question):
    response = user_client.post(f"/coding/questions/{question.pk}/run/", {"answer": SOLUTION, "purpose": "submit"}, **HX)
    html = response.content.decode()
    assert 'data-verdict="accepted"' in html and "4 of 4 tests passed" in html
    assert "add(10, 5)" not in html  # hidden tests stay hidden


@needs_bwrap  # a run is queued only where the runner is installed
def test_a_plain_post_redirects_to_the_run_page(user_client, question, no_worker):
    response = user_client.post(f"/coding/questions/{question.pk}/run/", {"answer": SOLUTION, "purpose": "samples"})
    run = CodeRun.objects.get()
    assert response.status_code == 302 and response.url == f"/coding/runs/{run.pk}/"
    page = user_client.get(response.url).content.decode()
    assert "Waiting for a worker" in page and "Refresh" in page and "<html" in page


def test_a_pending_run_polls_and_a_finished_one_stops(user_client, user, question):
    pending = CodeRunFactory(user=user, question=question)
    assert 'hx-trigger="load delay:1s"' in user_client.get(f"/coding/runs/{pending.pk}/", **HX).content.decode()
    done = CodeRunFactory(user=user, question=question, status=CodeRun.Status.DONE, verdict=Verdict.ACCEPTED)
    assert "hx-trigger" not in user_client.get(f"/coding/runs/{done.pk}/", **HX).content.decode()


def test_polling_a_lost_run_recovers_it(user_client, user, question, no_worker):
    run = CodeRunFactory(user=user, question=question, status=CodeRun.Status.RUNNING, tries=1)
    CodeRun.objects.filter(pk=run.pk).update(changed_at=timezone.now() - timedelta(hours=1))
    html = user_client.get(f"/coding/runs/{run.pk}/", **HX).content.decode()
    assert "lost twice" in html
    run.refresh_from_db()
    assert run.status == CodeRun.Status.FAILED


@needs_bwrap  # a run is queued only where the runner is installed
def test_the_queue_limit_is_a_clear_message(user_client, user, question, settings, no_worker):
    settings.CODE_RUNS_PER_USER = 1
    CodeRunFactory(user=user, question=question)
    response = user_client.post(f"/coding/questions/{question.pk}/run/", {"answer": SOLUTION}, **HX)
    assert response.status_code == 422 and "1 runs waiting" in response.content.decode()
    response = user_client.post(
        f"/coding/questions/{question.pk}/run/", {"answer": SOLUTION, "back": "/practice/next/"}, follow=True
    )
    assert response.redirect_chain[0][0] == "/practice/next/"
    assert "1 runs waiting" in response.content.decode()


def test_an_outside_back_address_is_not_followed(user_client, user, question, settings, no_worker):
    settings.CODE_RUNS_PER_USER = 0
    response = user_client.post(f"/coding/questions/{question.pk}/run/", {"answer": SOLUTION, "back": "https://evil.example/"})
    assert response.url == "/practice/"


def test_another_candidates_run_is_404(other_client, user, question):
    run = CodeRunFactory(user=user, question=question)
    assert other_client.get(f"/coding/runs/{run.pk}/").status_code == 404


def test_a_free_text_or_unpublished_question_is_404(user_client, db):
    text = QuestionFactory()
    hidden = CodingQuestionFactory(is_published=False)
    for question in (text, hidden):
        assert user_client.post(f"/coding/questions/{question.pk}/run/", {"answer": SOLUTION}).status_code == 404


@pytest.mark.parametrize("method, url", [("post", "/coding/questions/1/run/"), ("get", "/coding/runs/1/")])
def test_runs_need_a_signed_in_user(client, db, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_only_the_allowed_methods(user_client, question):
    assert user_client.get(f"/coding/questions/{question.pk}/run/").status_code == 405


def test_the_run_page_costs_the_same_queries_for_many_tests(user_client, user, question, django_assert_max_num_queries):
    tests = [{"name": f"sample {i}", "hidden": False, "verdict": "accepted", "seconds": 0.1, "memory_kb": 1} for i in range(200)]
    run = CodeRunFactory(user=user, question=question, status=CodeRun.Status.DONE, verdict=Verdict.ACCEPTED, tests=tests)
    # session, user, run with its question, the reference rule (interviews/reference.py)
    with django_assert_max_num_queries(5):
        assert user_client.get(f"/coding/runs/{run.pk}/", **HX).status_code == 200
