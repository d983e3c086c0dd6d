"""The candidate's experience in Chromium: practice like a flashcard app, a fair interview clock,
a dashboard that reads at phone width."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import InterviewQuestion
from practice.models import Attempt, ReviewCard
from practice.services import attempt_rate, attempt_record
from questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TRAINING = "如何优化大模型的训练过程以提高效率？"


def answer_first_card(page, live_server, text="主要是GPU内存不够，还有网络带宽。"):
    page.goto(live_server.url + "/practice/next/?scope=training")
    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Show answer").click()
    expect(page.get_by_role("heading", name="Reference answer")).to_be_visible()


def test_each_rating_button_shows_its_interval(page, live_server, bank, candidate, sign_in):
    sign_in(candidate)
    answer_first_card(page, live_server)
    for name in ("Again · 1 min", "Hard · 6 min", "Good · 10 min", "Easy · 8 d"):
        expect(page.get_by_role("button", name=re.compile("^" + re.escape(name)))).to_be_visible()
    expect(page.get_by_text("1 of 4")).to_have_count(0)  # the counter belongs to the card, not the reveal


def test_rating_moves_to_the_next_card_without_a_reload_and_can_be_undone(page, live_server, bank, candidate, sign_in):
    sign_in(candidate)
    page.goto(live_server.url + "/practice/next/?scope=training")
    expect(page.get_by_text("1 of 4")).to_be_visible()
    first_prompt = page.locator("#card-title").inner_text()
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Your answer").fill("并行计算")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name=re.compile("^Good")).click()
    expect(page.get_by_text(re.compile("Rated Good: that question comes back in 10"))).to_be_visible()
    expect(page.get_by_text("2 of 4")).to_be_visible()
    expect(page.locator("#card-title")).not_to_have_text(first_prompt)
    assert page.evaluate("window.notReloaded") is True
    expect(page).to_have_url(re.compile(r"/practice/next/\?scope=training$"))
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("button", name=re.compile("^Good"))).to_be_visible()
    expect(page.locator("#card-title")).to_have_text(first_prompt)
    assert Attempt.objects.get(user=candidate).rating is None and not ReviewCard.objects.exists()
    assert page.evaluate("window.notReloaded") is True


def test_back_after_rating_shows_the_saved_attempt(page, live_server, bank, candidate, sign_in):
    sign_in(candidate)
    answer_first_card(page, live_server, text="我的第一次回答")
    page.get_by_role("button", name=re.compile("^Good")).click()
    expect(page.get_by_text(re.compile("Rated Good"))).to_be_visible()
    page.go_back()
    expect(page.get_by_text("我的第一次回答")).to_be_visible()
    expect(page.get_by_text("You rated it Good")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Again"))).to_have_count(0)
    page.go_back()  # the card itself: the server gives the next one, never a stale form
    expect(page.get_by_label("Your answer")).to_have_value("")
    assert Attempt.objects.filter(user=candidate).count() == 1


def test_keyboard_hints_only_where_a_keyboard_is_likely(browser, live_server, bank, candidate):
    from django.test import Client

    client = Client()
    client.force_login(candidate)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    for options, visible in (
        ({"viewport": {"width": 1280, "height": 800}}, True),
        ({"has_touch": True, "is_mobile": True, "viewport": {"width": 390, "height": 800}}, False),
    ):
        context = browser.new_context(**options)
        context.add_cookies([cookie])
        page = context.new_page()
        page.goto(live_server.url + "/practice/next/?scope=training")
        hint = page.get_by_text("Ctrl+Enter shows the answer.")
        expect(hint).to_be_visible() if visible else expect(hint).to_be_hidden()
        context.close()


def test_the_countdown_warns_in_the_last_30_seconds_and_announces_the_time_out(
    page, live_server, bank, candidate, sign_in
):
    sign_in(candidate)
    page.goto(live_server.url + "/interviews/new/")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()
    expect(page.get_by_text("Less than 30 seconds left")).to_be_hidden()
    InterviewQuestion.objects.filter(status="open").update(deadline=timezone.now() + timedelta(seconds=33))
    page.reload()
    page.get_by_label("Your answer").fill("混合精度训练")
    expect(page.get_by_role("alert")).to_have_text("Less than 30 seconds left", timeout=8_000)
    expect(page.locator("[data-countdown-box]")).to_have_class(re.compile("warning"))
    expect(page.locator("[data-countdown-announce]")).to_have_text("Time left: 0:30")
    # The browser submits at 0:00; the next question says what happened.
    expect(page.get_by_text("Time's up on question 1 — your saved answer was submitted.")).to_be_visible(timeout=40_000)
    expect(page.get_by_text("Question 2 of 5")).to_be_visible()
    first = InterviewQuestion.objects.get(position=1)
    assert first.timed_out and first.attempt.answer == "混合精度训练"


def test_the_dashboard_reads_at_phone_width(page, live_server, bank, candidate, sign_in):
    question = Question.objects.get(prompt=TRAINING)
    attempt_rate(
        attempt=attempt_record(user=candidate, question=question, answer="并行计算"), covered_positions={0}, rating=3
    )
    sign_in(candidate)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/progress/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    card = page.get_by_role("row", name=re.compile("推理与部署"))
    for label in ("Due", "Next step"):  # the columns the sideways table used to hide
        cell = card.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= 390
    expect(card.get_by_role("link", name="Practise")).to_be_visible()
    page.screenshot(path="test-artifacts/screens/dashboard-cards-390.png", full_page=True)
    name = card.get_by_role("link", name="推理与部署")
    box = name.bounding_box()
    assert box["height"] < 40  # one line, not two characters per line
    page.get_by_role("link", name="Mock interview", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/interviews/new/\?topic="))
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(1)
