"""The candidate of an open live session sees no reference material of its questions anywhere else
(practice reveal, attempt pages); the interviewer still does, and once the session ends it is back."""

import pytest
from django.urls import reverse

from interviews.reference import may_see_reference, reference_withheld
from live.services import live_session_finish
from practice.services import attempt_record

from .conftest import KEY_POINT_TEXT, REFERENCE


@pytest.fixture
def earlier_attempt(candidate, questions):
    """The candidate practised the first question before the session."""
    return attempt_record(user=candidate, question=questions[0], answer="不太清楚")


def test_it_withholds_every_question_of_an_open_session_from_its_candidate(joined, candidate, questions):
    assert reference_withheld(user=candidate) == {q.pk for q in questions}
    assert not may_see_reference(user=candidate, question=questions[1])


def test_it_hides_nothing_from_the_interviewer(running, interviewer, questions):
    assert reference_withheld(user=interviewer) == set()
    assert may_see_reference(user=interviewer, question=questions[0])


def test_a_session_nobody_joined_hides_nothing(created, candidate, questions):
    assert reference_withheld(user=candidate) == set()


def test_it_gives_the_reference_back_when_the_session_ends(running, candidate, questions):
    live_session_finish(session=running, feedback="不错")
    assert reference_withheld(user=candidate) == set()


def test_it_asks_one_query(running, candidate, questions, django_assert_num_queries):
    with django_assert_num_queries(1):
        reference_withheld(user=candidate, question_ids=[questions[0].pk])


def test_the_attempt_page_withholds_the_reference_during_the_session(
    earlier_attempt, running, candidate_client
):
    page = candidate_client.get(reverse("practice_attempt", args=[earlier_attempt.pk]), follow=True).content.decode()
    assert REFERENCE not in page
    assert KEY_POINT_TEXT not in page


def test_the_attempt_page_shows_the_reference_after_the_session(earlier_attempt, running, candidate_client):
    live_session_finish(session=running, feedback="不错")
    page = candidate_client.get(reverse("practice_attempt", args=[earlier_attempt.pk]), follow=True).content.decode()
    assert KEY_POINT_TEXT in page
