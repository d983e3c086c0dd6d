"""A topic's page: each question's state and the candidate's attempts."""

from datetime import timedelta

import pytest

from practice.models import Attempt
from progress.tests.conftest import NOW
from questions.tests.factories import TopicFactory


def test_the_topic_page_shows_each_questions_state_and_history(user_client, history, frozen):
    response = user_client.get("/progress/topics/a/")
    states = {q.current_version.prompt: q.learning_state for q in response.context["questions"]}
    assert sorted(states.values()) == ["mastered", "new"]
    assert len(response.context["attempts"]) == 2
    b = user_client.get("/progress/topics/b/")
    assert [q.learning_state for q in b.context["questions"]] == ["due"]


def test_the_page_lists_my_latest_fifty_attempts_newest_first(user, user_client, history, frozen):
    first = Attempt.objects.filter(user=user, question=history["qa1"]).earliest("created_at")
    # 50 attempts in topic A (its two, and 48 copies a day older and older), then one more
    for days in range(3, 52):
        Attempt.objects.create(
            user=user, question=first.question, version=first.version, answer="", created_at=NOW - timedelta(days=days)
        )
    attempts = user_client.get("/progress/topics/a/").context["attempts"]
    assert len(attempts) == 50
    assert attempts[0].created_at == NOW - timedelta(days=1) and attempts[-1].created_at == NOW - timedelta(days=50)


def test_another_candidate_sees_none_of_my_attempts(other_client, history, frozen):
    response = other_client.get("/progress/topics/a/")
    assert response.context["attempts"] == []
    assert all(q.learning_state == "new" for q in response.context["questions"])


def test_an_empty_topic_is_404(user_client, history, frozen):
    TopicFactory(slug="empty", name="综合")
    assert user_client.get("/progress/topics/empty/").status_code == 404


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/progress/topics/a/").url.startswith("/accounts/login/")
