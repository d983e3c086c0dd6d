"""The dashboard page: figures, filters, charts, links, and its query bound."""

from datetime import UTC, datetime

import pytest
import time_machine

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from practice.services import attempt_record
from progress.demo import seed_demo
from progress.tests.conftest import NOW
from questions.tests.factories import QuestionFactory, TopicFactory


def test_the_dashboard_page_shows_the_numbers(user_client, history, frozen):
    response = user_client.get("/progress/")
    body = response.content.decode()
    assert response.status_code == 200
    table = body[body.index("Topics, weakest first") :]
    assert table.index("Topic B") < table.index("Topic A")
    assert "1 / 2" in body and "50%" in body and "75%" in body
    assert "beta · 1/2" in body
    assert response.context["streak"] == 2
    assert response.context["due_total"] == 1
    coverage = {p["label"]: p["value"] for p in response.context["coverage_chart"].points}
    assert coverage == {"2026-11-18": 0.5, "2026-11-19": 0.5}
    heat = {c.day.isoformat(): c.count for c in response.context["heat_cells"] if c.count}
    assert heat == {"2026-11-18": 1, "2026-11-19": 2}
    assert "the data as a table" in body  # the charts' text alternative


def test_filters_swap_the_panels_over_htmx(user_client, history, frozen, hx):
    response = user_client.get("/progress/?days=7&topic=a", **hx)
    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="panels"')
    assert "Topic A" in body and "Topic B" not in body


def test_an_unknown_topic_in_the_address_shows_every_topic(user_client, history, frozen):
    response = user_client.get("/progress/?topic=no-such-topic")
    body = response.content.decode()
    assert response.status_code == 200 and response.context["topic"] is None
    assert "Topic A" in body and "Topic B" in body


def test_days_are_the_candidates_own(user, user_client, history):
    Profile.objects.update_or_create(user=user, defaults={"time_zone": "America/Los_Angeles"})
    user_client.force_login(user)  # the time zone is read at sign-in
    with time_machine.travel(NOW, tick=False):
        response = user_client.get("/progress/")
    heat = {c.day.isoformat(): c.count for c in response.context["heat_cells"] if c.count}
    # 12:00 UTC is 04:00 in Los Angeles, the same calendar day; 12:05 UTC a day earlier too.
    assert heat == {"2026-11-18": 1, "2026-11-19": 2}
    late = attempt_record(user=user, question=history["qa1"], answer="x", now=datetime(2026, 11, 20, 7, 30, tzinfo=UTC))
    with time_machine.travel(NOW, tick=False):
        response = user_client.get("/progress/")
    heat = {c.day.isoformat(): c.count for c in response.context["heat_cells"] if c.count}
    assert heat["2026-11-19"] == 3, late  # 07:30 UTC is still the 19th in Los Angeles


@pytest.mark.django_db
def test_a_new_account_gets_a_first_step_not_an_empty_table(client, seeded_bank):
    client.force_login(UserFactory())
    body = client.get("/progress/").content.decode()
    assert "Start with one question" in body and "Practise a first question" in body
    assert "<table" not in body


@pytest.mark.parametrize("attempts", [1, 500])
def test_the_dashboard_runs_a_constant_number_of_queries(
    user_client, user, seeded_bank, attempts, django_assert_max_num_queries
):
    seed_demo(users=1, attempts_per_user=attempts, prefix="bulk")
    from django.contrib.auth import get_user_model

    user_client.force_login(get_user_model().objects.get(username="bulk-1"))
    # session, user, activity stamp; then the figures: topic counts, topics, attempts per topic, cards
    # per topic, reference rule, missed key points, year of days, window of days, interviews, coding pass rates
    with django_assert_max_num_queries(13):
        assert user_client.get("/progress/").status_code == 200
    assert user_client.get("/progress/").status_code == 200  # with the CSRF cookie from the first: cached
    # again: session, user, activity stamp (the panels come from the cache)
    with django_assert_max_num_queries(3):
        assert user_client.get("/progress/").status_code == 200
    # session, user, topic, attempts, reference rule for their links, topic row (counts, topics, attempts,
    # cards), questions on the page (count, page)
    with django_assert_max_num_queries(11):
        assert user_client.get("/progress/topics/training/").status_code == 200


def test_the_dashboard_greets_by_display_name(user_client, history, frozen):
    user_client.post("/accounts/profile/", {"display_name": "小明", "language": "", "time_zone": "Asia/Shanghai"})
    assert "· 小明</span>" in user_client.get("/progress/").content.decode()


def test_another_candidate_sees_none_of_my_history(other_client, history, frozen):
    body = other_client.get("/progress/").content.decode()
    assert "Start with one question" in body and "Topics, weakest first" not in body


def test_each_topic_links_to_a_prefilled_interview_set_up(user_client, history, frozen):
    QuestionFactory(topic=history["a"])
    QuestionFactory(topic=history["a"])
    body = user_client.get("/progress/").content.decode()
    assert '<a href="/interviews/new/?topic=a">Mock interview</a>' in body
    assert "Only 1 question: too few for a mock interview" in body  # topic B
    assert 'name="topics"' not in body  # a link, not a hidden-input form


def test_empty_topics_are_hidden(user_client, history, frozen):
    TopicFactory(slug="empty", name="综合")
    assert "综合" not in user_client.get("/progress/").content.decode()


def test_the_charts_have_date_axes_and_value_labels(user_client, history, frozen):
    response = user_client.get("/progress/")
    chart = response.context["coverage_chart"]
    assert [t["label"] for t in chart.ticks] == ["11/18", "11/19"]
    body = response.content.decode()
    assert 'class="value" font-size="11">50%</text>' in body
    assert "coverage_days" not in response.context


def test_the_heat_map_has_month_and_weekday_labels_and_a_legend(user_client, history, frozen):
    body = user_client.get("/progress/").content.decode()
    assert 'aria-hidden="true">Nov</text>' in body and 'aria-hidden="true">Mon</text>' in body
    assert "<title>2026-11-19: 2</title>" in body  # each day's text alternative stays
    assert 'class="heat-legend">Less' in body and "More</p>" in body


@pytest.mark.django_db
def test_it_needs_a_signed_in_user(client):
    assert client.get("/progress/").url.startswith("/accounts/login/")
