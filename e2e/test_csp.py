"""The Content-Security-Policy holds on every page, and the site still works under it."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from interviews.services import InterviewSettings, answer_submit, interview_abandon, interview_start
from questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects what the browser refused under the policy (installed before any page script runs).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`));
"""

ANONYMOUS = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
CANDIDATE = [
    "/progress/",
    "/progress/topics/training/",
    "/practice/",
    "/interviews/",
    "/interviews/new/",
    "/accounts/profile/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/profile/delete/",
]
ADMIN = ["/admin/", "/admin/questions/question/", "/admin/questions/question/import/", "/admin/auth/user/"]


def violations(page, path: str) -> list[str]:
    # Reports are queued as tasks: let those of the last resources arrive first.
    found = page.evaluate("new Promise(done => setTimeout(() => done(window.__csp), 100))")
    return [f"{path}: {v}" for v in found]


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_no_page_breaks_the_policy(page, live_server, bank, candidate, sign_in):
    page.add_init_script(WATCH)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    question = Question.objects.first()
    choice = InterviewSettings(question_count=3, topics=[], seconds_per_question=180, total_seconds=None)
    ended = interview_start(user=candidate, choice=choice)
    answer_submit(interview=ended, position=1, text="并行计算")
    interview_abandon(interview=ended)
    running = interview_start(user=candidate, choice=choice)
    found = []
    for path in ANONYMOUS:
        visit(page, live_server.url + path)
        found += violations(page, path)
    sign_in(candidate)
    for path in [
        *CANDIDATE,
        "/practice/next/?scope=all",
        f"/interviews/{running.pk}/",
        f"/interviews/{ended.pk}/report/",
    ]:
        visit(page, live_server.url + path)
        found += violations(page, path)
    sign_in(admin)
    for path in [*ADMIN, f"/admin/questions/question/{question.pk}/change/"]:
        visit(page, live_server.url + path)
        found += violations(page, path)
    assert found == []


def test_htmx_and_the_sites_script_work_under_the_policy(page, live_server, bank, candidate, sign_in):
    page.add_init_script(WATCH)
    sign_in(candidate)
    page.goto(live_server.url + "/practice/next/?scope=training")
    expect(page.get_by_label("Your answer")).to_be_focused()  # site.js
    page.keyboard.type("主要是GPU内存不够，还有网络带宽。")
    page.keyboard.press("Control+Enter")  # site.js submits, htmx swaps the card
    expect(page.get_by_text("Automatic coverage: 50%")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()
    assert violations(page, "practice") == []


def test_an_inline_script_without_the_nonce_is_refused(page, live_server, db):
    page.add_init_script(WATCH)
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.append(s); }""")
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))


def test_an_editor_signs_in_through_the_form_and_reaches_the_admin(page, live_server, bank):
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Question editors"))
    page.goto(live_server.url + "/accounts/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-Strong-passw0rd")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Questions", exact=True).first).to_be_visible()
