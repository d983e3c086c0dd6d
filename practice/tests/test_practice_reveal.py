"""Showing the answer: the attempt is stored, and resubmitting never loses or hides an answer."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from practice.models import Attempt
from practice.tests.conftest import PARTIAL_ANSWER, REFERENCE_TEXT, reveal


def test_it_stores_the_attempt_with_its_coverage(user_client, user, question):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        card = user_client.get("/practice/next/?scope=all")
        clock.shift(timedelta(seconds=42))
        response = user_client.post(
            f"/practice/questions/{question.pk}/reveal/",
            {"answer": PARTIAL_ANSWER, "token": card.context["form"]["token"].value(), "scope": "all"},
        )
    attempt = Attempt.objects.get(user=user)
    assert response.url == f"/practice/attempts/{attempt.pk}/?scope=all"
    assert attempt.version == question.current_version
    assert attempt.auto_score == 0.5 and attempt.seconds_taken == 42
    assert [(r.label, r.covered) for r in attempt.key_point_results.all()] == [
        ("并行计算", True),
        ("混合精度训练", False),
    ]


def test_over_htmx_it_returns_the_revealed_partial(user_client, question, hx):
    response = reveal(user_client, question, **hx)
    body = response.content.decode()
    assert "<html" not in body and "Reference answer" in body
    assert 'name="covered" value="0" id="kp-0" checked' in body
    assert response["HX-Push-Url"].startswith("/practice/attempts/")


def test_the_reference_shows_in_full_with_its_key_points_inline(user_client, question):
    body = reveal(user_client, question, follow=True).content.decode()
    reference = body.split('<div class="reference">')[1].split("</div>")[0]
    assert "优化大模型训练过程的方法包括：" in reference
    assert "<strong>并行计算</strong> — 利用多GPU或分布式计算资源，加速训练过程。" in reference
    assert '<li class="covered">' in reference and '<li class="missed">' in reference


def test_answering_in_the_head_is_not_scored(user_client, user, question):
    token = user_client.get("/practice/next/").context["form"]["token"].value()
    user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "", "in_head": "1", "token": token})
    attempt = Attempt.objects.get(user=user)
    assert attempt.answered_in_head and attempt.auto_score is None


def test_an_oversized_answer_is_refused_and_nothing_is_stored(user_client, question):
    response = reveal(user_client, question, answer="长" * 10_001)
    assert response.status_code == 200 and "Your answer is too long" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_double_click_makes_one_attempt(user_client, user, question):
    token = user_client.get("/practice/next/").context["form"]["token"].value()
    data = {"answer": PARTIAL_ANSWER, "token": token, "scope": "all"}
    first = user_client.post(f"/practice/questions/{question.pk}/reveal/", data)
    second = user_client.post(f"/practice/questions/{question.pk}/reveal/", data)
    assert Attempt.objects.filter(user=user).count() == 1
    assert first.url == second.url


def test_a_new_answer_to_a_card_already_answered_is_kept_and_shown(user_client, user, question):
    token = user_client.get("/practice/next/").context["form"]["token"].value()
    url = f"/practice/questions/{question.pk}/reveal/"
    user_client.post(url, {"answer": "第一次的回答", "token": token, "scope": "all"})
    # Browser Back to the same card, a different answer typed in.
    response = user_client.post(url, {"answer": "第二次的回答", "token": token, "scope": "all"}, follow=True)
    assert "第二次的回答" in response.content.decode()
    assert sorted(Attempt.objects.filter(user=user).values_list("answer", flat=True)) == ["第一次的回答", "第二次的回答"]


def test_a_forged_card_token_is_ignored(user_client, user, question):
    user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "并行计算", "token": "forged"})
    attempt = Attempt.objects.get(user=user)
    assert (attempt.card_token, attempt.seconds_taken) == ("", 0)


def test_an_unpublished_question_is_404(user_client, question):
    question.is_published = False
    question.save()
    assert user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "x"}).status_code == 404


def test_the_reference_stays_hidden_while_an_interview_holds_the_question(user_client, user, question):
    from interviews.services import InterviewSettings, interview_start
    from questions.tests.factories import QuestionFactory

    QuestionFactory.create_batch(2, topic=question.topic)
    interview_start(user=user, choice=InterviewSettings(3, [], 180, None))
    response = user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "x"})
    assert "finish the interview first" in response.content.decode()
    assert REFERENCE_TEXT not in response.content.decode()
