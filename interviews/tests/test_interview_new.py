"""The set-up form: starting, prefilled links, and the 3–10 rule."""

import pytest

from interviews.models import Interview
from questions.tests.factories import QuestionFactory, TopicFactory

FORM = {"question_count": 3, "timing": "per_question", "minutes_per_question": 3, "total_minutes": 15}


def test_it_starts_an_interview_and_shows_its_first_question(user_client, bank, start):
    interview = start()
    assert interview.questions.count() == 3
    assert interview.questions.get(position=1).status == "open"


def test_a_second_start_resumes_the_running_interview(user_client, bank, start):
    assert start() == start()
    assert Interview.objects.count() == 1


def test_a_link_prefills_the_topic_and_starts_nothing(user_client, bank):
    topic = bank[0].topic
    response = user_client.get(f"/interviews/new/?topic={topic.slug}")
    assert response.status_code == 200 and not Interview.objects.exists()
    form = response.context["form"]
    assert list(form.initial["topics"]) == [topic] and form.initial["question_count"] == 4
    assert f'value="{topic.pk}" id="id_topics_0" checked' in response.content.decode()


def test_an_unknown_topic_in_the_link_prefills_nothing(user_client, bank):
    response = user_client.get("/interviews/new/?topic=nope")
    assert response.status_code == 200 and response.context["form"].initial == {}


def test_a_topic_with_too_few_questions_says_so_and_starts_nothing(user_client, bank):
    small = TopicFactory(slug="small", name="小")
    QuestionFactory.create_batch(2, topic=small)
    page = user_client.get("/interviews/new/?topic=small").content.decode()
    assert "2 questions · too few for an interview on its own" in page
    response = user_client.post("/interviews/new/", {**FORM, "topics": [small.pk]})
    assert "These topics have only 2 published questions" in response.content.decode()
    assert not Interview.objects.exists()


def test_three_questions_in_a_topic_are_enough(user_client, bank):
    three = TopicFactory(slug="three")
    QuestionFactory.create_batch(3, topic=three)
    response = user_client.post("/interviews/new/", {**FORM, "topics": [three.pk]})
    assert response.status_code == 302 and Interview.objects.get().questions.count() == 3


def test_asking_for_more_questions_than_the_topics_hold_is_refused(user_client, bank):
    response = user_client.post("/interviews/new/", {**FORM, "question_count": 5, "topics": [bank[0].topic_id]})
    assert "These topics have 4 published questions: ask for at most 4" in response.content.decode()
    assert not Interview.objects.exists()


def test_empty_topics_are_not_offered(user_client, bank):
    TopicFactory(slug="empty", name="空的主题")
    assert "空的主题" not in user_client.get("/interviews/new/").content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"question_count": 2}, "greater than or equal to 3"),
        ({"question_count": 11}, "less than or equal to 10"),
        ({"minutes_per_question": 0}, "greater than or equal to 1"),
    ],
)
def test_bad_settings_are_refused_and_start_nothing(user_client, bank, data, message):
    response = user_client.post("/interviews/new/", {**FORM, **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Interview.objects.exists()


def test_without_javascript_it_claims_no_autosave(user_client, bank):
    page = user_client.get("/interviews/new/").content.decode()
    assert '<p class="js-only">Your answer is saved as you type.</p>' in page
    assert "no-js-only" in page


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/interviews/new/").url.startswith("/accounts/login/")
