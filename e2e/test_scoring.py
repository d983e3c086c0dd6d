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


def test_the_llm_graders_verdict_replaces_the_local_score_when_it_arrives(
    page, live_server, bank, candidate, sign_in, settings
):
    from grading.jobs import grading_job_run
    from grading.models import GradingJob
    from grading.tests.fake_llm import running_fake_llm

    # The task waits in the queue (no worker here) until the test runs it, as a worker would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    builtin_glossary().words("分词")
    with running_fake_llm(settings) as fake:
        fake.reply = {"covered": [1, 2, 3], "feedback": "显存、CPU和带宽都提到了，还缺存储容量。"}
        sign_in(candidate)
        page.goto(live_server.url + "/practice/next/?scope=training")
        page.get_by_label("Your answer").fill("显存不够。")
        page.keyboard.press("Control+Enter")
        expect(page.get_by_text("Automatic coverage: 25%")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="is reading your answer")).to_be_visible()
        grading_job_run(job_id=GradingJob.objects.get().pk)
        expect(page.get_by_text("Automatic coverage: 75%")).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Graded by fake-model: 75% of the key points covered.")).to_be_visible()
        expect(page.get_by_text("还缺存储容量")).to_be_visible()
        expect(page.get_by_role("checkbox", name="网络带宽")).to_be_checked()
