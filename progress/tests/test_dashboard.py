"""Dashboards checked against a known history, with exact numbers."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from practice.models import Rating
from practice.services import attempt_rate, attempt_record
from progress.demo import seed_demo
from progress.selectors import streak, topic_rows
from questions.tests.factories import QuestionFactory, TopicFactory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HX = {"HTTP_HX_REQUEST": "true"}


def answer(user, question, covered_labels, rating, when):
    """One practice attempt covering exactly the given key points, rated."""
    attempt = attempt_record(user=user, question=question, answer=" ".join(covered_labels), now=when)
    positions = {i for i, kp in enumerate(attempt.version.key_points) if kp["label"] in covered_labels}
    return attempt_rate(attempt=attempt, covered_positions=positions, rating=rating, now=when)


@pytest.fixture
def history(user):
    """Topic A: qa1 answered twice (50 %, Hard; then 100 %, Easy), qa2 never. Topic B: qb1 once (0 %, Again)."""
    a = TopicFactory(slug="a", name="Topic A", order=1)
    b = TopicFactory(slug="b", name="Topic B", order=2)
    qa1 = QuestionFactory(topic=a, key_points=[("alpha", "one"), ("beta", "two")])
    QuestionFactory(topic=a, key_points=[("gamma", "three")])
    qb1 = QuestionFactory(topic=b, key_points=[("delta", "four"), ("epsilon", "five")])
    answer(user, qa1, ["alpha"], Rating.HARD, NOW - timedelta(days=2))
    answer(user, qa1, ["alpha", "beta"], Rating.EASY, NOW - timedelta(days=1))
    answer(user, qb1, [], Rating.AGAIN, NOW - timedelta(days=1, minutes=-5))
    return {"a": a, "b": b, "qa1": qa1, "qb1": qb1}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_topic_rows_match_the_history(user, history, frozen):
    b, a = topic_rows(user=user, now=NOW)
    assert b.topic.slug == "b" and a.topic.slug == "a"  # weakest first
    assert (a.attempted, a.total, a.mastered, a.mastery, a.due, a.avg_coverage) == (1, 2, 1, 0.5, 0, 0.75)
    assert a.last_practised == NOW - timedelta(days=1)
    assert a.missed == [("beta", 1, 2)]
    assert (b.attempted, b.total, b.mastered, b.mastery, b.due, b.avg_coverage) == (1, 1, 0, 0.0, 1, 0.0)
    assert sorted(b.missed) == [("delta", 1, 1), ("epsilon", 1, 1)]


def test_the_period_filter_narrows_the_coverage(user, history, frozen):
    rows = {r.topic.slug: r for r in topic_rows(user=user, now=NOW, days=1)}
    assert rows["a"].avg_coverage == 1.0  # only the answer of yesterday
    assert rows["a"].attempted == 1  # attempted is all-time


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


def test_filters_swap_the_panels_over_htmx(user_client, history, frozen):
    response = user_client.get("/progress/?days=7&topic=a", **HX)
    body = response.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<div id="panels"')
    assert "Topic A" in body and "Topic B" not in body


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


def test_streak_counts_back_from_today_or_yesterday():
    today = datetime(2026, 11, 20).date()
    days = {today - timedelta(days=n): object() for n in (1, 2, 3, 5)}
    assert streak(days, today) == 3
    assert streak({**days, today: object()}, today) == 4
    assert streak({today - timedelta(days=2): object()}, today) == 0


@pytest.mark.django_db
def test_a_new_account_gets_a_first_step_not_an_empty_table(client, seeded_bank):
    client.force_login(UserFactory())
    body = client.get("/progress/").content.decode()
    assert "Start with one question" in body and "Practise a first question" in body
    assert "<table" not in body


def test_the_topic_page_shows_each_questions_state_and_history(user_client, history, frozen):
    response = user_client.get("/progress/topics/a/")
    states = {q.current_version.prompt: q.learning_state for q in response.context["questions"]}
    assert sorted(states.values()) == ["mastered", "new"]
    assert len(response.context["attempts"]) == 2
    b = user_client.get("/progress/topics/b/")
    assert [q.learning_state for q in b.context["questions"]] == ["due"]


def test_another_candidate_sees_none_of_my_history(other_client, history, frozen):
    response = other_client.get("/progress/topics/a/")
    assert response.context["attempts"] == []
    assert all(q.learning_state == "new" for q in response.context["questions"])
    body = other_client.get("/progress/").content.decode()
    assert "Start with one question" in body and "Topics, weakest first" not in body


def test_staff_statistics_need_the_question_permission(user, user_client, history, frozen):
    assert user_client.get("/progress/staff/").status_code == 403
    user.groups.add(Group.objects.get(name="Question editors"))
    response = user_client.get("/progress/staff/")
    assert response.status_code == 200
    stats = {q.pk: q for q in response.context["questions"]}
    qa1 = stats[history["qa1"].pk]
    assert (qa1.attempt_count, qa1.avg_coverage, qa1.again_count, qa1.rated_count) == (2, 0.75, 0, 2)
    qb1 = stats[history["qb1"].pk]
    assert (qb1.again_count, qb1.rated_count) == (1, 1)
    misses = {kp["key_point__label"]: (kp["misses"], kp["asked"]) for kp in response.context["key_points"]}
    assert misses == {"beta": (1, 2), "delta": (1, 1), "epsilon": (1, 1)}


@pytest.mark.parametrize("attempts", [1, 500])
def test_the_dashboard_runs_a_constant_number_of_queries(
    user_client, user, seeded_bank, attempts, django_assert_max_num_queries
):
    seed_demo(users=1, attempts_per_user=attempts, prefix="bulk")
    from django.contrib.auth import get_user_model

    user_client.force_login(get_user_model().objects.get(username="bulk-1"))
    # session, user, activity stamp; then the figures: topic counts, topics, attempts per topic, cards
    # per topic, reference rule, missed key points, year of days, window of days, interviews
    with django_assert_max_num_queries(12):
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
