"""The scorer's evidence in the browser: why a key point was ticked."""

import pytest
from playwright.sync_api import expect

from practice.scoring import builtin_glossary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_english_answer_to_a_chinese_question_shows_its_evidence(page, live_server, bank, candidate, sign_in):
    builtin_glossary().words("分词")  # jieba loads its dictionary once per process, taking seconds
    sign_in(candidate)
    page.goto(live_server.url + "/practice/next/?scope=training")
    expect(page.get_by_role("heading", name="大模型训练中常见的计算资源瓶颈是什么？")).to_be_visible()
    page.get_by_label("Your answer").fill("VRAM runs out first, then network bandwidth between the nodes.")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_text("Automatic coverage: 50%")).to_be_visible()
    expect(page.get_by_role("checkbox", name="GPU内存")).to_be_checked()
    expect(page.get_by_text("“VRAM” → GPU内存")).to_be_visible()
    expect(page.get_by_text("“network bandwidth” → 网络带宽")).to_be_visible()
    expect(page.locator("blockquote.your-answer mark")).to_have_text(["VRAM", "network bandwidth"])
