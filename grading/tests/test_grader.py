"""The LLM grader against a local fake OpenAI-compatible server."""

import pytest

from grading.grader import GraderError, grader_settings, llm_verdict, parse_verdict
from grading.models import GradedAnswer
from questions.tests.factories import QuestionFactory

LABELS = ["并行计算", "混合精度训练"]


@pytest.fixture
def version(db):
    return QuestionFactory().current_version


def test_a_good_reply_is_the_verdict(fake_llm, version):
    verdict = llm_verdict(grader_settings(), version=version, labels=LABELS, answer="我会用多卡并行")
    assert verdict.covered == (0,)
    assert verdict.feedback.startswith("You named parallel computing")


def test_only_the_question_the_key_points_and_the_answer_are_sent(fake_llm, version):
    llm_verdict(grader_settings(), version=version, labels=LABELS, answer="我会用多卡并行")
    [request] = fake_llm.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer test-key"
    body = request["body"]
    assert body["model"] == "fake-model"
    assert body["response_format"]["type"] == "json_schema"
    user_message = body["messages"][1]["content"]
    assert version.prompt in user_message and "1. 并行计算\n2. 混合精度训练" in user_message
    assert "我会用多卡并行" in user_message
    assert version.answer not in user_message  # not the reference answer
    assert "Simplified Chinese" in body["messages"][0]["content"]


def test_feedback_is_asked_for_in_english_for_an_english_answer(fake_llm, version):
    llm_verdict(grader_settings(), version=version, labels=LABELS, answer="data parallel on many GPUs")
    assert "Write the feedback in English." in fake_llm.requests[0]["body"]["messages"][0]["content"]


def test_verdicts_are_cached_per_version_answer_and_model(fake_llm, version, settings):
    config = grader_settings()
    llm_verdict(config, version=version, labels=LABELS, answer="答案")
    llm_verdict(config, version=version, labels=LABELS, answer="答案")
    assert len(fake_llm.requests) == 1
    llm_verdict(config, version=version, labels=LABELS, answer="另一个答案")
    settings.LLM_MODEL = "another-model"
    llm_verdict(grader_settings(), version=version, labels=LABELS, answer="答案")
    assert len(fake_llm.requests) == 3
    assert GradedAnswer.objects.count() == 3


@pytest.mark.parametrize(("mode", "code"), [("malformed", "malformed"), ("slow", "timeout"), ("error", "error")])
def test_a_bad_reply_is_a_grader_error_and_nothing_is_cached(fake_llm, version, mode, code):
    fake_llm.mode = mode
    with pytest.raises(GraderError) as caught:
        llm_verdict(grader_settings(), version=version, labels=LABELS, answer="答案")
    assert caught.value.code == code
    assert not GradedAnswer.objects.exists()


def test_an_unreachable_server_is_a_grader_error(settings, version):
    settings.LLM_BASE_URL, settings.LLM_MODEL, settings.LLM_TIMEOUT = "http://127.0.0.1:9/v1", "m", 1
    with pytest.raises(GraderError) as caught:
        llm_verdict(grader_settings(), version=version, labels=LABELS, answer="答案")
    assert caught.value.code == "error"


@pytest.mark.parametrize(
    "content",
    [
        '{"covered": [3], "feedback": "x"}',  # no such key point
        '{"covered": [0], "feedback": "x"}',
        '{"covered": [true], "feedback": "x"}',
        '{"covered": "1", "feedback": "x"}',
        '{"covered": [1], "feedback": "  "}',
        '{"covered": [1]}',
        "[1, 2]",
        "not json",
    ],
)
def test_replies_out_of_shape_are_refused(content):
    with pytest.raises((ValueError, KeyError, TypeError)):
        parse_verdict(content, 2)


def test_a_reply_in_shape_is_read_and_trimmed():
    verdict = parse_verdict('{"covered": [2, 1, 2], "feedback": "  ' + "很好。" * 600 + '"}', 2)
    assert verdict.covered == (0, 1)
    assert len(verdict.feedback) == 1200


def test_without_a_server_configured_there_is_no_grader(settings):
    settings.LLM_BASE_URL = ""
    assert grader_settings() is None
