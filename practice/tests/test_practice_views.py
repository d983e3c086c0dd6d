"""Practice mode as a candidate meets it, in both its htmx and its plain-form form."""

import io
import json
import sys
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from practice.models import Attempt, Rating, ReviewCard
from practice.scoring import SCORER_VERSION
from questions.tests.factories import QuestionFactory, TopicFactory

HX = {"HTTP_HX_REQUEST": "true"}
PARTIAL_ANSWER = "可以用多卡并行计算来加速。"


@pytest.fixture
def question(db):
    return QuestionFactory(topic=TopicFactory(slug="training", name="训练"))


def reveal(client, question, answer=PARTIAL_ANSWER, **extra):
    card = client.get("/practice/next/?scope=all")
    token = card.context["form"]["token"].value()
    return client.post(
        f"/practice/questions/{question.pk}/reveal/", {"answer": answer, "token": token, "scope": "all"}, **extra
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/practice/", "/practice/next/", "/practice/attempts/1/"])
def test_practice_needs_a_signed_in_user(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_card_is_a_full_page_or_a_partial(user_client, question):
    full = user_client.get("/practice/next/?scope=all")
    partial = user_client.get("/practice/next/?scope=all", **HX)
    assert "<html" in full.content.decode() and question.prompt in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="practice-card"')
    assert question.prompt in body
    assert "autofocus" in body  # focus starts in the answer box


def test_the_card_hides_the_reference_until_revealed(user_client, question):
    body = user_client.get("/practice/next/?scope=all").content.decode()
    assert "利用多GPU或分布式计算资源" not in body


def test_reveal_stores_the_attempt_with_its_coverage(user_client, user, question):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        card = user_client.get("/practice/next/?scope=all")
        clock.shift(timedelta(seconds=42))
        response = user_client.post(
            f"/practice/questions/{question.pk}/reveal/",
            {"answer": PARTIAL_ANSWER, "token": card.context["form"]["token"].value(), "scope": "all"},
        )
    attempt = Attempt.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == f"/practice/attempts/{attempt.pk}/?scope=all"
    assert attempt.version == question.current_version
    assert attempt.auto_score == 0.5 and attempt.scorer_version == SCORER_VERSION
    assert attempt.seconds_taken == 42
    assert [(r.label, r.covered) for r in attempt.key_point_results.all()] == [
        ("并行计算", True),
        ("混合精度训练", False),
    ]
    page = user_client.get(response.url).content.decode()
    assert "利用多GPU或分布式计算资源" in page and "Automatic coverage: 50%" in page


def test_reveal_over_htmx_returns_the_revealed_partial(user_client, question):
    response = reveal(user_client, question, **HX)
    body = response.content.decode()
    assert "<html" not in body and "Reference answer" in body
    assert 'name="covered" value="0" id="kp-0" checked' in body
    assert response["HX-Push-Url"].startswith("/practice/attempts/")


def test_answering_in_the_head_is_not_scored(user_client, user, question):
    token = user_client.get("/practice/next/").context["form"]["token"].value()
    user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "", "in_head": "1", "token": token})
    attempt = Attempt.objects.get(user=user)
    assert attempt.answered_in_head and attempt.auto_score is None


def test_an_oversized_answer_is_refused_and_nothing_is_stored(user_client, question, settings):
    response = reveal(user_client, question, answer="长" * 10_001)
    assert response.status_code == 200
    assert "Your answer is too long" in response.content.decode()
    assert not Attempt.objects.exists()


def test_rating_stores_the_corrected_coverage_and_schedules_the_review(user_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    response = user_client.post(
        f"/practice/attempts/{attempt.pk}/rate/", {"covered": ["0", "1"], "rating": Rating.GOOD, "scope": "all"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.auto_score, attempt.rating) == (1.0, 0.5, Rating.GOOD)
    assert [r.covered for r in attempt.key_point_results.all()] == [True, True]
    card = ReviewCard.objects.get(user=user, question=question)
    assert card.reviews == 1 and card.due > timezone.now()
    page = user_client.get(response.url).content.decode()
    assert "comes back for review in" in page


def test_rating_over_htmx_returns_the_rated_partial(user_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    response = user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": Rating.AGAIN}, **HX)
    body = response.content.decode()
    assert "<html" not in body and "comes back for review in" in body and "Next question" in body


def test_rating_twice_reviews_once(user_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    for rating in (Rating.AGAIN, Rating.EASY):
        user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": rating})
    attempt.refresh_from_db()
    assert attempt.rating == Rating.AGAIN
    assert ReviewCard.objects.get(user=user).reviews == 1


def test_a_missing_rating_is_refused_and_changes_nothing(user_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    response = user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"covered": ["1"]}, **HX)
    assert "Choose how well you recalled the answer" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.rating is None and attempt.score == 0.5
    assert not ReviewCard.objects.exists()


def test_another_candidate_gets_404_for_my_attempt(user_client, other_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    assert other_client.get(f"/practice/attempts/{attempt.pk}/").status_code == 404
    assert other_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": 1}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.rating is None


def test_the_due_queue_lists_exactly_what_is_due(user_client, user, db):
    topic = TopicFactory()
    forgotten, known, unseen = QuestionFactory.create_batch(3, topic=topic)
    for question, rating in ((forgotten, Rating.AGAIN), (known, Rating.EASY)):
        reveal(user_client, question)
        user_client.post(f"/practice/attempts/{Attempt.objects.latest('pk').pk}/rate/", {"rating": rating})
    assert user_client.get("/practice/next/?scope=due").context["question"] is None
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert user_client.get("/practice/next/?scope=due").context["question"] == forgotten
        # Everything: the due review first, then the unseen question.
        assert user_client.get("/practice/next/?scope=all").context["question"] == forgotten
    assert user_client.get("/practice/next/?scope=all").context["question"] == unseen
    home = user_client.get("/practice/")
    assert home.context["due_total"] == 0


def test_nothing_due_says_when_the_next_review_is(user_client, user, question):
    reveal(user_client, question)
    user_client.post(f"/practice/attempts/{Attempt.objects.get().pk}/rate/", {"rating": Rating.GOOD})
    body = user_client.get("/practice/next/?scope=due").content.decode()
    assert "Nothing is due for review" in body and "Your next review is due in" in body


def test_unpublished_questions_are_not_practised(user_client, question):
    question.is_published = False
    question.save()
    assert user_client.get("/practice/next/").context["question"] is None
    response = user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "x"})
    assert response.status_code == 404


def test_an_unknown_topic_is_404(user_client, question):
    assert user_client.get("/practice/next/?scope=no-such-topic").status_code == 404


def test_query_counts_do_not_grow_with_history(user_client, user, db, django_assert_max_num_queries):
    topic = TopicFactory()
    questions = QuestionFactory.create_batch(6, topic=topic)
    for question in questions:
        reveal(user_client, question)
        user_client.post(f"/practice/attempts/{Attempt.objects.latest('pk').pk}/rate/", {"rating": Rating.AGAIN})
    attempt = Attempt.objects.latest("pk")
    # session, user, due per topic, published counts (then cached), topics
    with django_assert_max_num_queries(5):
        user_client.get("/practice/")
    # session, user, due question, unseen question, (next review)
    with django_assert_max_num_queries(5):
        user_client.get("/practice/next/?scope=all")
    # session, user, attempt, reference rule (interviews.reference), key point results, review card
    with django_assert_max_num_queries(6):
        user_client.get(f"/practice/attempts/{attempt.pk}/")


def test_score_answer_prints_json(question, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("我会用并行计算"))
    out = io.StringIO()
    call_command("score_answer", str(question.pk), stdout=out)
    assert json.loads(out.getvalue()) == {
        "covered": ["并行计算"],
        "score": 0.5,
        "evidence": {"并行计算": ["并行计算 → 并行计算"]},
    }
    monkeypatch.setattr(sys, "stdin", io.StringIO("混合精度训练"))
    out = io.StringIO()
    call_command("score_answer", question.prompt, stdout=out)
    assert '"混合精度训练"' in out.getvalue()


def test_the_export_includes_my_attempts(user_client, question):
    reveal(user_client, question)
    data = user_client.get("/accounts/profile/export/").json()
    assert data["practice"]["attempts"][0]["covered_key_points"] == ["并行计算"]


def test_rescoring_updates_the_automatic_coverage_and_keeps_corrections(user, question):
    from practice.services import attempt_rate, attempt_record

    rated = attempt_record(user=user, question=question, answer="并行计算")
    attempt_rate(attempt=rated, covered_positions={0, 1}, rating=Rating.GOOD)
    unrated = attempt_record(user=user, question=question, answer="混合精度训练")
    Attempt.objects.update(scorer_version="old", auto_score=0.0)
    out = io.StringIO()
    call_command("rescore_attempts", stdout=out)
    assert "rescored 2 attempt(s)" in out.getvalue()
    rated.refresh_from_db()
    unrated.refresh_from_db()
    assert (rated.auto_score, rated.score, rated.scorer_version) == (0.5, 1.0, SCORER_VERSION)
    assert (unrated.auto_score, unrated.score) == (0.5, 0.5)


def test_a_double_click_on_show_answer_makes_one_attempt(user_client, user, question):
    token = user_client.get("/practice/next/").context["form"]["token"].value()
    data = {"answer": PARTIAL_ANSWER, "token": token, "scope": "all"}
    first = user_client.post(f"/practice/questions/{question.pk}/reveal/", data)
    second = user_client.post(f"/practice/questions/{question.pk}/reveal/", data)
    assert Attempt.objects.filter(user=user).count() == 1
    assert first.url == second.url


def test_a_forged_card_token_is_ignored(user_client, user, question):
    user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "并行计算", "token": "forged"})
    attempt = Attempt.objects.get(user=user)
    assert (attempt.card_token, attempt.seconds_taken) == ("", 0)


def test_the_attempt_page_is_a_full_page_or_a_partial(user_client, user, question):
    reveal(user_client, question)
    attempt = Attempt.objects.get(user=user)
    full = user_client.get(f"/practice/attempts/{attempt.pk}/").content.decode()
    partial = user_client.get(f"/practice/attempts/{attempt.pk}/", **HX).content.decode()
    assert "<html" in full and "Reference answer" in full
    assert "<html" not in partial and partial.lstrip().startswith('<section id="practice-card"')
