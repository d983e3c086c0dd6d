"""A coding question in real Chromium: write code in the editor, run the samples, fix it, submit."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from coding.models import CodeRun
from coding.sandbox import runner_missing
from coding.tests.factories import CodingQuestionFactory
from e2e.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(runner_missing() is not None, reason="bubblewrap is not installed"),
]
SCREENS = ARTIFACTS / "screens"


def replace_code(page, code: str) -> None:
    editor = page.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def collect_csp_violations(page) -> list[str]:
    """Every Content-Security-Policy violation the pages report (harden-a's policy), as it happens."""
    violations: list[str] = []
    page.expose_function("reportCspViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.reportCspViolation(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')))"
    )
    return violations


def test_a_candidate_writes_runs_fixes_and_submits_code(page, live_server, sign_in):
    violations = collect_csp_violations(page)
    question = CodingQuestionFactory()
    candidate = UserFactory(username="coder")
    sign_in(candidate)
    page.goto(live_server.url + "/practice/next/?scope=all")
    expect(page.locator(".cm-editor")).to_be_visible()
    expect(page.locator("textarea[data-code-editor]")).to_be_hidden()  # CodeMirror took its place
    expect(page.locator(".cm-content")).to_contain_text("def add(a, b):")

    replace_code(page, "def add(a, b):\n    return a - b\n")
    page.keyboard.press("Control+Enter")  # runs the samples
    result = page.locator("[data-code-result]")
    expect(result.locator('[data-verdict="wrong_answer"]')).to_be_visible(timeout=20_000)
    expect(result).to_contain_text("Expected")
    expect(result).to_contain_text("-1")

    replace_code(page, "def add(a, b):\n    return a + b\n")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(result.locator('[data-verdict="accepted"]')).to_be_visible(timeout=20_000)
    expect(result).to_contain_text("Accepted")
    expect(result).to_contain_text("4 of 4 tests passed")
    page.screenshot(path=str(SCREENS / "coding-practice-accepted.png"), full_page=True)
    run = CodeRun.objects.filter(user=candidate, purpose=CodeRun.Purpose.SUBMIT).get()
    assert run.code == "def add(a, b):\n    return a + b\n" and run.question_id == question.pk

    page.get_by_role("button", name="Show answer").click()
    expect(page.get_by_text("Reference solution")).to_be_visible()
    expect(page.locator('.code-attempt [data-verdict="accepted"]')).to_be_visible(timeout=20_000)
    # CodeMirror's injected styles carry the page's nonce: nothing was refused under the CSP.
    assert violations == []


def test_code_drafts_autosave_in_a_mock_interview(page, live_server, sign_in):
    from interviews.models import InterviewQuestion

    CodingQuestionFactory.create_batch(3)
    candidate = UserFactory(username="interviewee")
    sign_in(candidate)
    page.goto(live_server.url + "/interviews/new/")
    page.get_by_label("Number of questions:").fill("3")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.locator(".cm-editor")).to_be_visible()
    replace_code(page, "def add(a, b):\n    return a + b\n")
    expect(page.locator("#save-state")).to_contain_text("Saved at", timeout=10_000)
    item = InterviewQuestion.objects.get(interview__user=candidate, position=1)
    assert item.draft.rstrip() == "def add(a, b):\n    return a + b"
    page.get_by_role("button", name="Run samples").click()
    expect(page.locator('[data-code-result] [data-verdict="accepted"]')).to_be_visible(timeout=20_000)
