"""The dashboard's figures are cached under the candidate's activity stamp: every write shows at once."""

import re

import pytest
from django.test import Client

from interviews.services import InterviewSettings, interview_start
from practice.models import Rating
from practice.services import attempt_rate, attempt_record
from progress.models import Activity
from progress.services import progress_changed
from questions.tests.factories import QuestionFactory, TopicFactory


@pytest.fixture
def questions(db):
    topic = TopicFactory(slug="cached", name="缓存")
    return QuestionFactory.create_batch(3, topic=topic, key_points=[("缓存要点", "说明")])


def dashboard(client) -> str:
    return client.get("/progress/?days=all").content.decode()


def test_a_new_attempt_and_its_rating_show_at_once(user_client, user, questions):
    attempt = attempt_record(user=user, question=questions[0], answer="不知道")
    assert "1 / 3" in dashboard(user_client) and "缓存要点 · 1/1" in dashboard(user_client)
    attempt_record(user=user, question=questions[1], answer="不知道")
    assert "2 / 3" in dashboard(user_client)
    attempt_record(user=user, question=questions[0], answer="不知道")
    assert "缓存要点 · 2/2" in dashboard(user_client)
    attempt_rate(attempt=attempt, covered_positions={0}, rating=Rating.GOOD)  # corrected: it was covered
    assert "缓存要点 · 1/2" in dashboard(user_client)


def test_starting_an_interview_hides_the_key_points_it_holds(user_client, user, questions):
    attempt_record(user=user, question=questions[0], answer="不知道")
    assert "缓存要点" in dashboard(user_client)
    interview_start(user=user, choice=InterviewSettings(3, [], 180, None))
    assert "缓存要点" not in dashboard(user_client)


def test_a_repeated_view_reads_only_the_stamp(user_client, user, questions, django_assert_num_queries):
    attempt_record(user=user, question=questions[0], answer="不知道")
    dashboard(user_client)  # the browser gets its CSRF cookie
    dashboard(user_client)  # computed and cached
    # session, user, activity stamp
    with django_assert_num_queries(3):
        dashboard(user_client)


def test_each_write_replaces_the_stamp_in_one_statement(user, django_assert_num_queries, db):
    with django_assert_num_queries(1):
        progress_changed(user_id=user.pk)
    first = Activity.objects.get(user=user).token
    progress_changed(user_id=user.pk)
    assert Activity.objects.get(user=user).token != first
    assert Activity.objects.count() == 1


def test_another_time_zone_gets_its_own_days(user_client, user, questions):
    attempt_record(user=user, question=questions[0], answer="不知道")
    dashboard(user_client)
    user_client.post("/accounts/profile/", {"display_name": "", "language": "", "time_zone": "America/New_York"})
    response = user_client.get("/progress/?days=all")
    assert response.status_code == 200 and "1 / 3" in response.content.decode()


def test_the_cached_panels_carry_a_csrf_token_that_works(user, questions):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    attempt_record(user=user, question=questions[0], answer="不知道")
    client.get("/progress/?days=all")
    client.get("/progress/?days=all")
    body = client.get("/progress/?days=all").content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    start = {"question_count": 3, "topics": questions[0].topic_id, "timing": "per_question", "minutes_per_question": 3}
    response = client.post("/interviews/new/", {**start, "total_minutes": 15, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_the_htmx_partial_is_the_cached_panels(user_client, user, questions):
    attempt_record(user=user, question=questions[0], answer="不知道")
    dashboard(user_client)
    page = dashboard(user_client)
    partial = user_client.get("/progress/?days=all", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('\n<div id="panels"') or partial.lstrip().startswith('<div id="panels"')
    assert partial.strip() in page


def test_a_cached_page_still_shows_a_new_greeting_and_the_messages(user_client, user, questions):
    attempt_record(user=user, question=questions[0], answer="不知道")
    dashboard(user_client)
    dashboard(user_client)  # the whole page is in the cache now
    user_client.post("/accounts/profile/", {"display_name": "小红", "language": "", "time_zone": "UTC"})
    body = dashboard(user_client)
    assert "· 小红</span>" in body and "Your profile was saved." in body
    assert "Your profile was saved." not in dashboard(user_client)  # shown once


def test_a_cached_page_keeps_its_address_in_the_language_form(user_client, user, questions):
    attempt_record(user=user, question=questions[0], answer="不知道")
    for _ in range(2):
        assert 'name="next" value="/progress/?days=all"' in dashboard(user_client)
    body = user_client.get("/progress/?days=all&x=1").content.decode()
    assert 'name="next" value="/progress/?days=all&amp;x=1"' in body


def test_a_cached_page_is_served_without_rendering(user_client, user, questions, django_assert_num_queries):
    attempt_record(user=user, question=questions[0], answer="不知道")
    dashboard(user_client)  # the browser gets its CSRF cookie
    first = dashboard(user_client)  # computed and cached
    # session, user, activity stamp
    with django_assert_num_queries(3):
        response = user_client.get("/progress/?days=all")
    assert response.content.decode() == first and not response.templates
