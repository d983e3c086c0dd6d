"""The home page: topics with their counts and links, never every question (the bank may hold 100,000)."""

import pytest

from progress.demo import seed_questions
from questions.models import Question


def test_the_home_page_lists_the_topics_with_counts_and_links(client, seeded_bank, django_assert_num_queries):
    # published counts per topic, the topics
    with django_assert_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    positions = [body.index(name) for name in ["训练与优化", "数据处理", "评估与可解释性", "推理与部署"]]
    assert positions == sorted(positions)  # in the topics' order
    assert "如何优化大模型的训练过程以提高效率？" not in body  # no question is listed
    assert "/practice/next/?scope=" in body


def test_the_counts_are_of_published_questions(client, seeded_bank):
    question = Question.objects.filter(topic__name="数据处理").first()
    before = client.get("/").content.decode()
    Question.objects.filter(pk=question.pk).update(is_published=False)
    after = client.get("/").content.decode()
    assert before != after


@pytest.mark.parametrize("count", [10, 300])
def test_the_home_page_does_not_grow_with_the_bank(client, db, count, django_assert_num_queries):
    seed_questions(count=count, topics=20)
    with django_assert_num_queries(2):
        body = client.get("/").content.decode()
    assert body.count('class="card topic"') == min(count, 20)
    assert "第1道规模题" not in body
