"""Evidence: the words of an answer that covered a key point, shown in the reveal and the report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grading.templatetags.grading import evidence_in, mark_evidence
from interviews.models import Interview, InterviewQuestion
from practice.models import Attempt, Mode
from practice.services import attempt_record
from questions.tests.factories import QuestionFactory

BOTTLENECKS = [(label, label) for label in ("GPU内存", "CPU计算能力", "网络带宽", "存储容量")]
ANSWER = "最大的瓶颈是GPU显存<不够>，其次是网速。"


def test_pairs_name_what_was_said_and_the_key_points_words():
    evidence = [[6, 11, "GPU内存"], [6, 11, "GPU内存"], [19, 21, "网络带宽"]]
    assert evidence_in(evidence, ANSWER) == [("GPU显存", "GPU内存"), ("网速", "网络带宽")]
    assert evidence_in([], ANSWER) == []


def test_the_answer_is_escaped_and_its_evidence_marked():
    key_points = [
        {"covered": True, "evidence": [[6, 11, "GPU内存"]]},
        {"covered": False, "evidence": [[19, 21, "网络带宽"]]},  # unticked by the candidate: not marked
        {"covered": True, "evidence": [[8, 11, "x"], [50, 60, "y"]]},  # overlapping, out of range: skipped
    ]
    assert mark_evidence(ANSWER, key_points) == "最大的瓶颈是<mark>GPU显存</mark>&lt;不够&gt;，其次是网速。"


@pytest.mark.django_db
def test_the_reveal_shows_why_each_point_was_ticked(user_client, user):
    question = QuestionFactory(key_points=BOTTLENECKS)
    attempt = attempt_record(user=user, question=question, answer=ANSWER)
    assert list(attempt.key_point_results.values_list("label", "evidence")) == [
        ("GPU内存", [[6, 11, "GPU内存"]]),
        ("CPU计算能力", []),
        ("网络带宽", [[19, 21, "网络带宽"]]),
        ("存储容量", []),
    ]
    body = user_client.get(f"/practice/attempts/{attempt.pk}/?scope=all").content.decode()
    assert "“GPU显存” → GPU内存" in body and "“网速” → 网络带宽" in body
    assert "<mark>GPU显存</mark>&lt;不够&gt;" in body
    user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"covered": ["0", "2"], "rating": "3"})
    rated = user_client.get(f"/practice/attempts/{attempt.pk}/?scope=all").content.decode()
    assert "keypoints-result" in rated and "“GPU显存” → GPU内存" in rated  # the same partial, once rated


@pytest.mark.django_db
def test_the_interview_report_shows_the_evidence(user_client, user):
    question = QuestionFactory(key_points=BOTTLENECKS)
    now = timezone.now()
    interview = Interview.objects.create(
        user=user,
        status=Interview.Status.FINISHED,
        seconds_per_question=180,
        started_at=now - timedelta(minutes=5),
        deadline=now - timedelta(minutes=2),
        finished_at=now - timedelta(minutes=3),
    )
    attempt = attempt_record(user=user, question=question, answer=ANSWER, mode=Mode.INTERVIEW)
    InterviewQuestion.objects.create(
        interview=interview,
        position=1,
        question=question,
        version=question.current_version,
        attempt=attempt,
        status=InterviewQuestion.Status.ANSWERED,
        opened_at=now - timedelta(minutes=5),
        deadline=now - timedelta(minutes=2),
        closed_at=now - timedelta(minutes=3),
    )
    body = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert "“GPU显存” → GPU内存" in body
    assert "<mark>GPU显存</mark>" in body


@pytest.mark.django_db
def test_a_question_without_key_points_scores_on_derived_ones(user_client, user):
    question = QuestionFactory(
        key_points=[], answer="常用的方法有权重衰减、Dropout和早停，它们都能缓解过拟合。", prompt="如何避免过拟合？"
    )
    attempt = attempt_record(user=user, question=question, answer="我会用weight decay，再加early stopping。")
    assert list(attempt.key_point_results.values_list("label", "covered")) == [
        ("权重衰减", True),
        ("Dropout", False),
        ("早停", True),
    ]
    assert attempt.auto_score == pytest.approx(0.6667)
    body = user_client.get(f"/practice/attempts/{attempt.pk}/?scope=all").content.decode()
    assert "“weight decay” → 权重衰减" in body
    response = user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"covered": ["0", "1", "2"], "rating": "3"})
    assert response.status_code == 302
    assert Attempt.objects.get(pk=attempt.pk).score == 1.0
