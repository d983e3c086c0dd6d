"""The practice home: scopes, topics, the difficulty filter."""

import pytest

from practice.models import Rating
from practice.tests.conftest import answer_and_rate
from questions.tests.factories import QuestionFactory, TopicFactory


def test_it_lists_topics_with_published_questions_only(user_client, question):
    TopicFactory(slug="empty", name="综合")
    hidden = QuestionFactory(topic=TopicFactory(slug="hidden", name="未发布"))
    hidden.is_published = False
    hidden.save()
    page = user_client.get("/practice/").content.decode()
    assert "训练" in page and "综合" not in page and "未发布" not in page


def test_the_difficulty_filter_appears_only_when_difficulties_are_known(user_client, question):
    assert "difficulty-filter" not in user_client.get("/practice/").content.decode()
    question.difficulty = "hard"
    question.save()
    page = user_client.get("/practice/").content.decode()
    assert 'id="difficulty-filter"' in page and '<option value="hard">Hard</option>' in page
    assert '<option value="easy">' not in page


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/practice/").url.startswith("/accounts/login/")


def test_its_queries_do_not_grow_with_history(user_client, db, django_assert_max_num_queries):
    for question in QuestionFactory.create_batch(6, topic=TopicFactory()):
        answer_and_rate(user_client, question, Rating.AGAIN)
    # session, user, due per topic, published counts (then cached), topics, one EXISTS per difficulty (3)
    with django_assert_max_num_queries(8):
        user_client.get("/practice/")
