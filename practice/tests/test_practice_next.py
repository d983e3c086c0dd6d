"""The next card: what comes next, the session counter, difficulty, "nothing left"."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from practice.models import Attempt, Rating
from practice.tests.conftest import REFERENCE_TEXT, answer_and_rate
from questions.tests.factories import QuestionFactory, TopicFactory


def test_the_card_is_a_full_page_or_a_partial(user_client, question, hx):
    full = user_client.get("/practice/next/?scope=all")
    partial = user_client.get("/practice/next/?scope=all", **hx)
    assert "<html" in full.content.decode() and question.prompt in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="practice-card"')
    assert question.prompt in body and "autofocus" in body
    assert full["Cache-Control"].startswith("max-age=0")  # Back asks the server again


def test_the_card_hides_the_reference_until_revealed(user_client, question):
    assert REFERENCE_TEXT not in user_client.get("/practice/next/?scope=all").content.decode()


def test_keyboard_hints_are_marked_for_keyboards_only(user_client, question):
    body = user_client.get("/practice/next/?scope=all").content.decode()
    assert '<kbd class="key-hint">Space</kbd>' in body
    assert '<span class="key-hint">Ctrl+Enter shows the answer.</span>' in body


def test_difficulty_is_shown_only_when_known(user_client, question):
    assert "Medium" not in user_client.get("/practice/next/?scope=all").content.decode()
    question.difficulty = "hard"
    question.save()
    assert "训练 · Hard" in user_client.get("/practice/next/?scope=all").content.decode()


def test_the_difficulty_filter_draws_only_that_difficulty(user_client, db):
    topic = TopicFactory()
    easy, hard = QuestionFactory.create_batch(2, topic=topic)
    hard.difficulty = "hard"
    hard.save()
    response = user_client.get("/practice/next/?scope=all&difficulty=hard")
    assert response.context["question"] == hard
    assert 'name="difficulty" value="hard"' in response.content.decode()
    answer_and_rate(user_client, hard, Rating.GOOD)
    assert user_client.get("/practice/next/?scope=all&difficulty=hard").context["question"] is None


def test_an_unknown_difficulty_is_ignored(user_client, question):
    assert user_client.get("/practice/next/?scope=all&difficulty=legendary").context["question"] == question


def test_the_session_counter_counts_rated_and_waiting_cards(user_client, db):
    topic = TopicFactory()
    questions = QuestionFactory.create_batch(3, topic=topic)
    assert "1 of 3" in user_client.get("/practice/next/?scope=all").content.decode()
    answer_and_rate(user_client, questions[0], Rating.GOOD)
    assert "2 of 3" in user_client.get("/practice/next/?scope=all").content.decode()


def test_the_counter_waits_for_due_and_unseen_cards_of_the_scope_only(user_client, other_client, db):
    topic = TopicFactory()
    forgotten, known, unseen = QuestionFactory.create_batch(3, topic=topic)
    elsewhere = QuestionFactory(topic=TopicFactory())
    answer_and_rate(other_client, unseen, Rating.EASY)  # another candidate's card: still unseen for me
    assert "1 of 4" in user_client.get("/practice/next/?scope=all").content.decode()  # the session begins
    answer_and_rate(user_client, forgotten, Rating.AGAIN)
    answer_and_rate(user_client, known, Rating.EASY)
    answer_and_rate(user_client, elsewhere, Rating.AGAIN)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        # 3 rated + forgotten and elsewhere (due again) + unseen; known is not due yet
        assert "4 of 6" in user_client.get("/practice/next/?scope=all").content.decode()
        # A new session in one topic: forgotten (due) + unseen; nothing of the other topic
        assert "1 of 2" in user_client.get(f"/practice/next/?scope={topic.slug}").content.decode()


def test_the_due_counter_says_due(user_client, db):
    questions = QuestionFactory.create_batch(3, topic=TopicFactory())
    for question in questions:
        answer_and_rate(user_client, question, Rating.AGAIN)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        page = user_client.get("/practice/next/?scope=due").content.decode()
        assert "1 of 3 due" in page
        answer_and_rate(user_client, questions[0], Rating.GOOD, scope="due")
        assert "2 of 3 due" in user_client.get("/practice/next/?scope=due").content.decode()


def test_the_due_queue_lists_exactly_what_is_due(user_client, db):
    forgotten, known, unseen = QuestionFactory.create_batch(3, topic=TopicFactory())
    answer_and_rate(user_client, forgotten, Rating.AGAIN)
    answer_and_rate(user_client, known, Rating.EASY)
    assert user_client.get("/practice/next/?scope=due").context["question"] is None
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert user_client.get("/practice/next/?scope=due").context["question"] == forgotten
        assert user_client.get("/practice/next/?scope=all").context["question"] == forgotten
    assert user_client.get("/practice/next/?scope=all").context["question"] == unseen


def test_nothing_due_says_when_in_words(user_client, question):
    answer_and_rate(user_client, question, Rating.AGAIN)
    body = user_client.get("/practice/next/?scope=due").content.decode()
    assert "Nothing is due for review" in body and "Your next review is due in 1\xa0minute" in body
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        assert "due in under a minute" in user_client.get("/practice/next/?scope=due").content.decode()


def test_unpublished_questions_are_not_practised(user_client, question):
    question.is_published = False
    question.save()
    assert user_client.get("/practice/next/").context["question"] is None


def test_an_unknown_or_empty_topic_is_404(user_client, question):
    TopicFactory(slug="empty")
    assert user_client.get("/practice/next/?scope=no-such-topic").status_code == 404
    assert user_client.get("/practice/next/?scope=empty").status_code == 404


def test_the_rated_note_of_another_candidate_is_404(user_client, other_client, question):
    attempt = answer_and_rate(user_client, question, Rating.GOOD)
    assert other_client.get(f"/practice/next/?scope=all&rated={attempt.pk}").status_code == 404


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/practice/next/").url.startswith("/accounts/login/")


def test_its_queries_do_not_grow_with_history(user_client, db, django_assert_max_num_queries):
    for question in QuestionFactory.create_batch(6, topic=TopicFactory()):
        answer_and_rate(user_client, question, Rating.AGAIN)
    attempt = Attempt.objects.latest("pk")
    # session, user, due question, unseen question, session counter (3), session saved
    with django_assert_max_num_queries(9):
        user_client.get("/practice/next/?scope=all")
    # ... and the rated note: attempt, review card, latest rating
    with django_assert_max_num_queries(12):
        user_client.get(f"/practice/next/?scope=all&rated={attempt.pk}")
