import pytest


def test_healthz_answers_after_a_database_round_trip(client, django_assert_num_queries, db):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_home_page_says_what_to_do_when_the_bank_is_empty(client):
    response = client.get("/")
    assert "import_bank" in response.content.decode()
