"""The main journeys in real Chromium, keyboard first."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from interviews.models import Interview, InterviewQuestion
from practice.models import Attempt, Rating
from practice.services import attempt_rate, attempt_record
from questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_signs_up(page, live_server, bank):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up, it is free").click()
    page.get_by_label("Username").fill("newcandidate")
    page.get_by_label("E-mail").fill("new@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome! Pick a topic to start practising.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_candidate_practises_a_question_with_the_keyboard(page, live_server, bank, candidate, sign_in):
    sign_in(candidate)
    page.goto(live_server.url + "/practice/next/?scope=training")
    answer = page.get_by_label("Your answer")
    expect(answer).to_be_focused()
    expect(page.get_by_role("heading", name="大模型训练中常见的计算资源瓶颈是什么？")).to_be_visible()
    page.keyboard.type("主要是GPU内存不够，还有网络带宽。")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_text("Automatic coverage: 50%")).to_be_visible()
    expect(page.get_by_role("checkbox", name="GPU内存")).to_be_checked()
    expect(page.get_by_role("checkbox", name="存储容量")).not_to_be_checked()
    page.get_by_role("checkbox", name="存储容量").check()  # the candidate corrects the scorer
    page.keyboard.press("3")
    expect(page.get_by_text(re.compile("Rated Good: that question comes back in"))).to_be_visible()
    attempt = Attempt.objects.get(user=candidate)
    assert (attempt.auto_score, attempt.score, attempt.rating) == (0.5, 0.75, Rating.GOOD)
    expect(page).to_have_url(re.compile(r"/practice/next/\?scope=training$"))


def test_a_mock_interview_with_a_reload_and_a_timeout(page, live_server, bank, candidate, sign_in):
    sign_in(candidate)
    page.goto(live_server.url + "/interviews/new/")
    page.get_by_label("Number of questions:").fill("3")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    page.get_by_label("Your answer").fill("使用混合精度训练和数据并行")
    expect(page.get_by_text(re.compile("Saved at"))).to_be_visible()

    page.reload()  # the same question, the same clock, the draft still there
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    expect(page.get_by_label("Your answer")).to_have_value("使用混合精度训练和数据并行")
    page.get_by_role("button", name="Submit and next question").click()
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()

    # Let the second question run out of time in a few seconds.
    InterviewQuestion.objects.filter(status="open").update(deadline=timezone.now() + timedelta(seconds=3))
    page.reload()
    page.get_by_label("Your answer").fill("时间快到了")
    expect(page.get_by_text("Question 3 of 3")).to_be_visible(timeout=10_000)
    second = InterviewQuestion.objects.get(position=2)
    assert second.draft == "时间快到了" and second.status == "answered" and second.timed_out

    page.get_by_role("button", name="Submit and finish").click()
    expect(page.get_by_role("heading", name="Interview report")).to_be_visible()
    expect(page.get_by_text("You answered 2 of 3 questions.")).to_be_visible()
    expect(page.get_by_text("Timed out")).to_be_visible()
    assert Interview.objects.get().status == Interview.Status.FINISHED


def test_the_dashboard_reflects_practice_and_interviews(page, live_server, bank, candidate, sign_in):
    question = Question.objects.get(prompt="如何优化大模型的训练过程以提高效率？")
    attempt = attempt_record(user=candidate, question=question, answer="并行计算，混合精度训练")
    attempt_rate(attempt=attempt, covered_positions={0, 2}, rating=Rating.GOOD)
    interview = Interview.objects.create(
        user=candidate,
        status=Interview.Status.FINISHED,
        seconds_per_question=180,
        started_at=timezone.now() - timedelta(minutes=10),
        deadline=timezone.now() - timedelta(minutes=1),
    )
    answered = attempt_record(user=candidate, question=question, answer="数据并行", mode="interview")
    InterviewQuestion.objects.create(
        interview=interview,
        position=1,
        question=question,
        version=question.current_version,
        status="answered",
        opened_at=interview.started_at,
        deadline=interview.deadline,
        attempt=answered,
    )
    sign_in(candidate)
    page.goto(live_server.url + "/progress/")
    row = page.get_by_role("row", name=re.compile("训练与优化"))
    expect(row).to_contain_text("1 / 4")
    expect(page.get_by_role("img", name="Average coverage per mock interview")).to_be_visible()
    page.get_by_label("Last 7 days").check()  # htmx swaps the panels
    expect(page).to_have_url(re.compile(r"days=7"))
    expect(page.get_by_role("img", name="Average coverage of the key points per day")).to_be_visible()


def test_an_editor_edits_a_question(page, live_server, bank, sign_in):
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Question editors"))
    question = Question.objects.get(prompt="如何评估大模型的可解释性？")
    sign_in(editor)
    page.goto(f"{live_server.url}/admin/questions/question/{question.pk}/change/")
    page.locator("#id_prompt").fill("如何评估并提高大模型的可解释性？")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved as version 2")).to_be_visible()
    question.refresh_from_db()
    assert question.current_version.number == 2
