"""The list of a candidate's interviews."""

import pytest

from interviews.tests.conftest import submit_all


def test_past_interviews_are_listed_newest_first_with_their_results(user_client, bank, clock, start):
    first = start()
    submit_all(user_client, first, ["我会用并行计算和混合精度训练", "并行计算", ""])
    clock.shift(3600)
    second = start()
    response = user_client.get("/interviews/")
    assert list(response.context["interviews"]) == [second, first]
    assert "2 / 3" in response.content.decode() and "75%" in response.content.decode()


def test_another_candidates_interviews_are_not_listed(user_client, other_client, bank, clock, start):
    start()
    assert list(other_client.get("/interviews/").context["interviews"]) == []


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/interviews/").url.startswith("/accounts/login/")


def test_its_queries_do_not_grow_with_interviews(user_client, bank, clock, start, django_assert_max_num_queries):
    for _ in range(3):
        interview = start()
        user_client.post(f"/interviews/{interview.pk}/end/")
    # session, user, running interview, interviews with results, topics
    with django_assert_max_num_queries(6):
        user_client.get("/interviews/")
