"""A live mock interview on two screens: an interviewer and a candidate, each in their own browser context."""

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from live.models import LiveSession
from practice.models import Attempt, ReviewCard
from questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
FIRST = "大模型训练中常见的计算资源瓶颈是什么？"  # asked in the bank's order
SECOND = "如何优化大模型的训练过程以提高效率？"
FOLLOWS = 2_000  # the candidate's screen follows the interviewer's within two seconds


@pytest.fixture
def screen(browser, live_server):
    """Open a browser context of its own (another device), signed in as a user; closed before the server stops."""
    contexts = []

    def _screen(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context()
        contexts.append(context)
        cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
        context.add_cookies([cookie])
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield _screen
    for context in contexts:  # their pages poll once a second
        context.close()


def secret_texts() -> list[str]:
    """Key-point labels and texts of the questions asked that the prompts do not themselves contain."""
    prompts = FIRST + SECOND
    texts = []
    for question in Question.objects.filter(prompt__in=[FIRST, SECOND]).select_related("current_version"):
        for kp in question.current_version.key_points:
            texts += [t for t in (kp["label"], kp.get("text", "")) if t and t not in prompts]
    return texts


def assert_no_key_point(page, secrets):
    body = page.content()
    assert [s for s in secrets if s in body] == []


def assert_accessible(page):
    page.evaluate(AXE.read_text())  # not a script tag: the page's CSP refuses inline scripts
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    assert [f"{v['id']} {v['nodes'][0]['target']}" for v in result["violations"]] == []


def test_a_live_interview_on_two_screens(screen, live_server, bank):
    interviewer_user = UserFactory(username="coach")
    candidate_user = UserFactory(username="learner")
    secrets = secret_texts()
    interviewer = screen(interviewer_user)
    candidate = screen(candidate_user)
    polls = []  # the candidate's polls: mostly 304s, never a swap of an empty body
    candidate.on("response", lambda r: polls.append(r.status) if r.request.headers.get("hx-request") else None)

    # The interviewer picks two questions and gets the invite link.
    interviewer.goto(live_server.url + "/")
    interviewer.get_by_role("link", name="Live interviews").click()
    interviewer.get_by_role("link", name="New live interview").click()
    assert_accessible(interviewer)
    interviewer.get_by_label(FIRST).check()
    interviewer.get_by_label(SECOND).check()
    interviewer.get_by_label("Minutes per question").fill("3")
    interviewer.get_by_role("button", name="Create the session and its invite link").click()
    invite = interviewer.get_by_label(re.compile("Send this link to the candidate")).input_value()
    assert "/live/join/" in invite

    # The candidate comes in through the link; the interviewer's screen notices by itself.
    candidate.goto(invite)
    assert_accessible(candidate)
    candidate.get_by_role("button", name="Join as the candidate").click()
    expect(candidate.get_by_text("Waiting for coach to start the first question.")).to_be_visible()
    expect(interviewer.get_by_text("learner has joined.")).to_be_visible(timeout=FOLLOWS)
    assert_accessible(interviewer)

    interviewer.get_by_role("button", name="Start the first question").click()
    expect(interviewer.get_by_role("heading", name=FIRST)).to_be_visible()
    expect(candidate.get_by_role("heading", name=FIRST)).to_be_visible(timeout=FOLLOWS)
    expect(candidate.get_by_text("Question 1 of 2")).to_be_visible()
    assert_no_key_point(candidate, secrets)
    assert_accessible(candidate)

    candidate.wait_for_timeout(2_500)
    assert 304 in polls
    expect(candidate.get_by_role("heading", name=FIRST)).to_be_visible()  # a 304 leaves the panel as it was

    # What the candidate types, the interviewer sees.
    candidate.get_by_label("Scratch box (or code)").fill("数据并行 + 混合精度")
    expect(candidate.get_by_text(re.compile("Saved at"))).to_be_visible()
    expect(interviewer.locator("#candidate-scratch")).to_have_text("数据并行 + 混合精度", timeout=FOLLOWS)

    # The interviewer ticks, notes and rates; none of it reaches the candidate.
    interviewer.get_by_role("checkbox", name=re.compile("GPU内存")).check()
    interviewer.get_by_label(re.compile("Private notes")).fill("没有提到梯度检查点")
    interviewer.get_by_role("radio", name="Good").check()
    expect(interviewer.get_by_text(re.compile("Saved at"))).to_be_visible()
    interviewer.get_by_label("Hint for the candidate").fill("想想显存和精度")
    interviewer.get_by_role("button", name="Reveal the hint").click()
    expect(interviewer.get_by_text(re.compile("Shown to the candidate at"))).to_be_visible()
    expect(candidate.get_by_text("想想显存和精度")).to_be_visible(timeout=FOLLOWS)
    assert_no_key_point(candidate, secrets)
    assert "没有提到梯度检查点" not in candidate.content()

    # Pause, then the next question.
    interviewer.get_by_role("button", name="Pause the clock").click()
    expect(candidate.get_by_text("Paused")).to_be_visible(timeout=FOLLOWS)
    interviewer.get_by_role("button", name="Next question").click()
    expect(candidate.get_by_role("heading", name=SECOND)).to_be_visible(timeout=FOLLOWS)
    expect(candidate.get_by_label("Scratch box (or code)")).to_have_value("")
    assert_no_key_point(candidate, secrets)
    candidate.reload()  # rejoining resumes where the session is
    expect(candidate.get_by_role("heading", name=SECOND)).to_be_visible()

    interviewer.get_by_role("checkbox", name=re.compile("并行计算")).check()
    interviewer.get_by_role("radio", name="Easy").check()
    expect(interviewer.get_by_text(re.compile("Saved at"))).to_be_visible()
    interviewer.get_by_label("Overall feedback").fill("思路清晰，细节还要补充。")
    interviewer.get_by_role("button", name="Finish and show the report").click()

    # Both see the report.
    expect(interviewer.get_by_role("heading", name="Live interview report")).to_be_visible()
    expect(candidate.get_by_role("heading", name="Live interview report")).to_be_visible(timeout=FOLLOWS)
    for page in (interviewer, candidate):
        expect(page.get_by_text("思路清晰，细节还要补充。")).to_be_visible()
        expect(page.get_by_text("没有提到梯度检查点")).to_be_visible()
    assert_accessible(candidate)

    # For the candidate it counts: two rated attempts on the review schedule.
    assert LiveSession.objects.get().status == LiveSession.Status.FINISHED
    assert sorted(Attempt.objects.filter(user=candidate_user).values_list("rating", flat=True)) == [3, 4]
    assert ReviewCard.objects.filter(user=candidate_user).count() == 2
    interviewer.get_by_role("link", name="All your live sessions").click()
    expect(interviewer.get_by_role("cell", name="learner")).to_be_visible()
    assert_accessible(interviewer)
    candidate.goto(live_server.url + "/progress/")
    expect(candidate.get_by_role("img", name="Average coverage per mock interview")).to_be_visible()
