import pytest


def test_healthz_answers_after_a_database_round_trip(client, django_assert_num_queries, db):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_home_page_lists_the_topics_and_their_questions(client, seeded_bank, django_assert_max_num_queries):
    # topics with counts, their published questions
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    positions = [body.index(name) for name in ["训练与优化", "数据处理", "评估与可解释性", "推理与部署"]]
    assert positions == sorted(positions)  # in the topics' order
    assert "如何优化大模型的训练过程以提高效率？" in body
    assert body.count("<li>如何") + body.count("<li>大模型") == 11


@pytest.mark.django_db
def test_the_home_page_says_what_to_do_when_the_bank_is_empty(client):
    response = client.get("/")
    assert "import_bank" in response.content.decode()
