"""Dashboard selectors with two candidates' data side by side, and at each boundary of their filters."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from interviews.services import InterviewSettings, answer_submit, interview_abandon, interview_serve, interview_start
from practice.models import Attempt, Rating, ReviewCard
from practice.services import attempt_rate, attempt_record
from progress import selectors
from progress.selectors import Day
from questions.models import KeyPoint
from questions.tests.factories import QuestionFactory, TopicFactory

NOW = datetime(2031, 5, 6, 12, 0, tzinfo=UTC)
LABELS = ["alpha", "beta", "gamma", "delta"]


@pytest.fixture
def topic(db):
    return TopicFactory(slug="a", name="Topic A", order=1)


@pytest.fixture
def question(topic):
    return QuestionFactory(topic=topic, key_points=[(label, f"{label} text") for label in LABELS])


def answer(user, question, labels, when, **extra):
    """An attempt naming exactly these key points (by their labels)."""
    return attempt_record(user=user, question=question, answer=" ".join(labels), now=when, **extra)


@pytest.fixture
def misses(user, other_user, question):
    """Mine: alpha only, then alpha and beta, then nothing. Theirs: everything but delta, twice."""
    answer(user, question, ["alpha"], NOW - timedelta(days=10))
    answer(user, question, ["alpha", "beta"], NOW - timedelta(days=2))
    answer(user, question, [], NOW - timedelta(days=1))
    for _ in range(2):
        answer(other_user, question, ["alpha", "beta", "gamma"], NOW - timedelta(days=1))


def test_missed_key_points_are_my_own_most_missed_first_three_per_topic(user, topic, misses):
    # (label, misses, asked): gamma and delta missed 3 of 3 (key point order breaks the tie), beta 2 of 3.
    assert selectors.missed_key_points(user=user) == {topic.pk: [("gamma", 3, 3), ("delta", 3, 3), ("beta", 2, 3)]}


def test_missed_key_points_per_topic_can_be_fewer_or_more(user, topic, misses):
    assert selectors.missed_key_points(user=user, per_topic=2) == {topic.pk: [("gamma", 3, 3), ("delta", 3, 3)]}
    assert selectors.missed_key_points(user=user, per_topic=4) == {
        topic.pk: [("gamma", 3, 3), ("delta", 3, 3), ("beta", 2, 3), ("alpha", 1, 3)]
    }


def test_missed_key_points_of_everyone_for_editors(user, topic, misses):
    assert selectors.missed_key_points() == {topic.pk: [("delta", 5, 5), ("gamma", 3, 5), ("beta", 2, 5)]}


def test_missed_key_points_since_a_moment_include_that_moment(user, topic, misses):
    since = NOW - timedelta(days=2)
    assert selectors.missed_key_points(user=user, since=since) == {
        topic.pk: [("gamma", 2, 2), ("delta", 2, 2), ("alpha", 1, 2)]
    }


def test_answers_in_the_head_and_covered_points_are_not_misses(user, other_user, topic, question):
    answer(user, question, [], NOW, in_head=True)
    answer(user, question, LABELS, NOW)
    assert selectors.missed_key_points(user=user) == {}


def test_the_topic_rows_carry_only_my_misses(user, topic, misses):
    (row,) = selectors.topic_rows(user=user, now=NOW)
    assert row.missed == [("gamma", 3, 3), ("delta", 3, 3), ("beta", 2, 3)]
    assert (row.total, row.attempted) == (1, 1)
    assert row.avg_coverage == pytest.approx((0.25 + 0.5 + 0.0) / 3)
    assert row.last_practised == NOW - timedelta(days=1)


def test_the_topic_rows_window_narrows_coverage_and_misses_but_not_attempted(user, topic, misses):
    (row,) = selectors.topic_rows(user=user, now=NOW, days=2)
    assert row.avg_coverage == pytest.approx(0.25)
    assert row.missed == [("gamma", 2, 2), ("delta", 2, 2), ("alpha", 1, 2)]
    assert row.attempted == 1 and row.last_practised == NOW - timedelta(days=1)


def card(user, question, state, due):
    return ReviewCard.objects.create(user=user, question=question, state=state, due=due)


@pytest.fixture
def cards(user, other_user, topic):
    """Four questions of mine at each side of `now`, and another candidate's cards that must not count."""
    q = QuestionFactory.create_batch(5, topic=topic)
    card(user, q[0], ReviewCard.State.REVIEW, NOW)  # due exactly now: due, not mastered
    card(user, q[1], ReviewCard.State.REVIEW, NOW + timedelta(microseconds=1))  # mastered
    card(user, q[2], ReviewCard.State.LEARNING, NOW + timedelta(days=1))  # learning
    card(user, q[3], ReviewCard.State.RELEARNING, NOW - timedelta(days=1))  # due
    for question in q:
        card(other_user, question, ReviewCard.State.REVIEW, NOW + timedelta(days=3))
    return q


def test_due_and_mastered_meet_at_now(user, topic, cards):
    (row,) = selectors.topic_rows(user=user, now=NOW)
    assert (row.total, row.mastered, row.due, row.attempted) == (5, 1, 2, 0)
    assert row.mastery == pytest.approx(0.2)
    assert (row.avg_coverage, row.last_practised, row.missed) == (None, None, [])


def test_question_states_at_each_side_of_now(user, topic, cards):
    states = {q.pk: q.learning_state for q in selectors.question_states(user=user, topic=topic, now=NOW)}
    assert [states[q.pk] for q in cards] == ["due", "mastered", "learning", "due", "new"]


def test_an_unpublished_questions_card_counts_nowhere(user, topic, cards):
    cards[1].is_published = False
    cards[1].save()
    (row,) = selectors.topic_rows(user=user, now=NOW)
    assert (row.total, row.mastered, row.due) == (4, 0, 2)
    assert [q.pk for q in selectors.question_states(user=user, topic=topic, now=NOW)] == [
        cards[0].pk,
        cards[2].pk,
        cards[3].pk,
        cards[4].pk,
    ]


def test_topic_rows_weakest_first_then_by_coverage_then_order(user, db):
    first = TopicFactory(slug="first", order=1)
    second = TopicFactory(slug="second", order=2)
    third = TopicFactory(slug="third", order=3)
    empty = TopicFactory(slug="empty", order=0)
    q1, q2, q3 = (QuestionFactory(topic=t, key_points=[("alpha", "a"), ("beta", "b")]) for t in (first, second, third))
    QuestionFactory(topic=empty, is_published=False)
    answer(user, q1, ["alpha", "beta"], NOW)  # 100 %
    answer(user, q2, ["alpha"], NOW)  # 50 %
    card(user, q3, ReviewCard.State.REVIEW, NOW + timedelta(days=5))  # mastered, never answered
    rows = selectors.topic_rows(user=user, now=NOW)
    assert [r.topic.slug for r in rows] == ["second", "first", "third"]
    assert [r.avg_coverage for r in rows] == [0.5, 1.0, None]
    only = selectors.topic_rows(user=user, now=NOW, topic=first)
    assert [r.topic.slug for r in only] == ["first"]


def test_an_unpractised_topic_sorts_before_one_with_coverage(user, db):
    practised, fresh = TopicFactory(slug="practised", order=1), TopicFactory(slug="fresh", order=2)
    answer(user, QuestionFactory(topic=practised), [], NOW)  # 0 %
    QuestionFactory(topic=fresh)
    assert [r.topic.slug for r in selectors.topic_rows(user=user, now=NOW)] == ["fresh", "practised"]


def finished_interview(user, topic, started, answers):
    interview = interview_start(user=user, choice=InterviewSettings(len(answers), [topic], 60, None), now=started)
    for position, text in enumerate(answers, start=1):
        # Each next question is served (opened) when the browser asks for it, here at once.
        interview_serve(interview=interview, now=started + timedelta(seconds=position - 1))
        answer_submit(interview=interview, position=position, text=text, now=started + timedelta(seconds=position))
    return interview


def test_the_interview_trend_is_mine_ended_and_answered_oldest_first(user, other_user, topic):
    QuestionFactory.create_batch(3, topic=topic)
    older = finished_interview(user, topic, NOW - timedelta(days=3), ["并行计算", "", "并行计算 混合精度训练"])
    finished_interview(user, topic, NOW - timedelta(days=2), ["", "", ""])  # no answer: no point on the trend
    finished_interview(other_user, topic, NOW - timedelta(days=2), ["并行计算"] * 3)
    abandoned = interview_start(user=user, choice=InterviewSettings(3, [], 60, None), now=NOW - timedelta(days=1))
    answer_submit(interview=abandoned, position=1, text="混合精度训练", now=NOW - timedelta(days=1))
    interview_abandon(interview=abandoned, now=NOW - timedelta(days=1))
    interview_start(user=user, choice=InterviewSettings(3, [], 60, None), now=NOW)  # running: not yet a result
    trend = selectors.interview_scores(user=user)
    assert trend == [(older.started_at, pytest.approx(0.75)), (abandoned.started_at, pytest.approx(0.5))]
    assert selectors.interview_scores(user=user, since=NOW - timedelta(days=1)) == [
        (abandoned.started_at, pytest.approx(0.5))
    ]
    assert selectors.interview_scores(user=user, since=NOW - timedelta(days=1, microseconds=-1)) == []


def test_the_interview_trend_in_one_topic(user, topic):
    other = TopicFactory(slug="other", order=2)
    QuestionFactory.create_batch(3, topic=topic)
    QuestionFactory.create_batch(3, topic=other)
    in_topic = finished_interview(user, topic, NOW - timedelta(days=3), ["并行计算"] * 3)
    finished_interview(user, other, NOW - timedelta(days=2), ["并行计算"] * 3)
    assert selectors.interview_scores(user=user, topic=topic) == [(in_topic.started_at, pytest.approx(0.5))]


def test_daily_activity_is_mine_since_a_moment_and_in_a_topic(user, other_user, topic, question):
    other_topic_question = QuestionFactory(topic=TopicFactory(slug="other", order=2), key_points=[("alpha", "a")])
    answer(user, question, ["alpha"], NOW - timedelta(days=3))
    answer(user, question, ["alpha", "beta"], NOW - timedelta(days=1))
    answer(user, other_topic_question, ["alpha"], NOW - timedelta(days=1))
    answer(other_user, question, [], NOW - timedelta(days=1))
    day = lambda d: (NOW - timedelta(days=d)).date()  # noqa: E731 - Shanghai noon is still the same date
    assert selectors.daily_activity(user=user, since=None) == {
        day(3): Day(day(3), 1, 0.25),
        day(1): Day(day(1), 2, pytest.approx(0.75)),
    }
    assert selectors.daily_activity(user=user, since=NOW - timedelta(days=1)) == {day(1): Day(day(1), 2, 0.75)}
    assert selectors.daily_activity(user=user, since=None, topic=topic) == {
        day(3): Day(day(3), 1, 0.25),
        day(1): Day(day(1), 1, 0.5),
    }


@pytest.mark.parametrize(
    "practised, expected",
    [
        ([0, 1, 2], 3),  # today and the two days before
        ([1, 2], 2),  # not yet today: counting from yesterday
        ([0, 2, 3], 1),  # a gap yesterday
        ([2, 3], 0),  # neither today nor yesterday
        ([], 0),
    ],
)
def test_the_streak(practised, expected):
    today = date(2031, 5, 6)
    days = {today - timedelta(days=n): Day(today - timedelta(days=n), 1, None) for n in practised}
    assert selectors.streak(days, today) == expected


def test_recent_attempts_are_mine_in_the_topic_newest_first_up_to_the_limit(user, other_user, topic, question):
    elsewhere = QuestionFactory(topic=TopicFactory(slug="other", order=2))
    mine = [answer(user, question, [], NOW - timedelta(hours=h)) for h in (3, 1, 2)]
    answer(user, elsewhere, [], NOW)
    answer(other_user, question, [], NOW)
    assert list(selectors.recent_attempts(user=user, topic=topic)) == [mine[1], mine[2], mine[0]]
    assert list(selectors.recent_attempts(user=user, topic=topic, limit=2)) == [mine[1], mine[2]]


def test_editor_statistics_count_everyone(user, other_user, topic, question):
    unanswered = QuestionFactory(topic=topic)
    rated = answer(user, question, ["alpha"], NOW)
    attempt_rate(attempt=rated, covered_positions={0}, rating=Rating.AGAIN, now=NOW)
    answer(other_user, question, ["alpha", "beta", "gamma", "delta"], NOW)
    stats = {q.pk: q for q in selectors.question_stats()}
    assert (stats[question.pk].attempt_count, stats[question.pk].again_count, stats[question.pk].rated_count) == (
        2,
        1,
        1,
    )
    assert stats[question.pk].avg_coverage == pytest.approx(0.625)
    assert (stats[unanswered.pk].attempt_count, stats[unanswered.pk].avg_coverage) == (0, None)
    answer(other_user, question, ["alpha", "beta"], NOW)
    rows = list(selectors.key_point_stats())
    # alpha was never missed; gamma and delta were missed in 2 of 3 answers, beta in 1 of 3.
    assert {r["key_point__label"]: (r["misses"], r["asked"]) for r in rows} == {
        "beta": (1, 3),
        "gamma": (2, 3),
        "delta": (2, 3),
    }
    assert [r["miss_rate"] for r in rows] == [pytest.approx(2 / 3), pytest.approx(2 / 3), pytest.approx(1 / 3)]
    assert rows[0]["key_point__question"] == question.pk and rows[0]["key_point__question__prompt"] == question.prompt


def test_the_window_starts_days_before_now_or_never():
    assert selectors.window_start(7, NOW) == NOW - timedelta(days=7)
    assert selectors.window_start(None, NOW) is None
    assert selectors.window_start(0, NOW) is None


def test_question_stats_put_the_weakest_first_then_the_most_attempted_and_the_unanswered_last(user, topic):
    unanswered, weak_once, weak_twice, strong = [
        QuestionFactory(topic=topic, key_points=[("alpha", "alpha text")]) for _ in "1234"
    ]
    answer(user, weak_once, [], NOW)
    for _ in range(2):
        answer(user, weak_twice, [], NOW)
    for _ in range(3):  # the most attempted, yet after the weaker ones
        answer(user, strong, ["alpha"], NOW)
    assert [(q.pk, q.attempt_count, q.avg_coverage) for q in selectors.question_stats()] == [
        (weak_twice.pk, 2, 0.0),
        (weak_once.pk, 1, 0.0),
        (strong.pk, 3, 1.0),
        (unanswered.pk, 0, None),
    ]


def test_key_point_stats_rank_by_miss_rate_then_by_how_often_asked(user, topic):
    first = QuestionFactory(topic=topic, key_points=[("alpha", "alpha text"), ("beta", "beta text")])
    second = QuestionFactory(topic=topic, key_points=[("gamma", "gamma text")])
    gone = QuestionFactory(topic=topic, key_points=[("delta", "delta text")])
    answer(user, first, ["alpha"], NOW)  # beta missed once in one
    answer(user, second, [], NOW)
    answer(user, second, [], NOW)  # gamma missed twice in two: the same rate, asked more
    # Neither an attempt without a score nor a key point deleted since counts.
    Attempt.objects.filter(pk=answer(user, first, [], NOW).pk).update(score=None)
    answer(user, gone, [], NOW)
    KeyPoint.objects.filter(label="delta").delete()
    rows = [(kp["key_point__label"], kp["misses"], kp["asked"]) for kp in selectors.key_point_stats()]
    assert rows == [("gamma", 2, 2), ("beta", 1, 1)]


def test_question_states_count_my_attempts_only_a_page_at_a_time(user, other_user, topic, monkeypatch):
    monkeypatch.setattr(selectors, "QUESTIONS_PER_PAGE", 2)
    first, second, third = QuestionFactory.create_batch(3, topic=topic, key_points=[("alpha", "alpha text")])
    answer(user, first, [], NOW)
    answer(user, first, [], NOW)
    answer(other_user, first, [], NOW)
    answer(other_user, third, [], NOW)
    page = selectors.question_states(user=user, topic=topic, now=NOW)
    assert [(q.pk, q.attempt_count) for q in page] == [(first.pk, 2), (second.pk, 0)]
    page = selectors.question_states(user=user, topic=topic, now=NOW, page="2")
    assert [(q.pk, q.attempt_count) for q in page] == [(third.pk, 0)]


def test_the_dashboard_key_changes_with_every_filter_the_zone_and_the_day(user, question):
    answer(user, question, [], NOW)  # a first write: the candidate has a stamp
    from progress.services import progress_changed

    progress_changed(user_id=user.pk)
    key = selectors.dashboard_key(user=user, now=NOW, days=30, topic_slug=None)
    assert key is not None
    assert selectors.dashboard_key(user=user, now=NOW, days=30, topic_slug=None) == key
    others = {
        selectors.dashboard_key(user=user, now=NOW, days=7, topic_slug=None),
        selectors.dashboard_key(user=user, now=NOW, days=30, topic_slug="a"),
        selectors.dashboard_key(user=user, now=NOW + timedelta(days=1), days=30, topic_slug=None),
    }
    with timezone.override("America/New_York"):
        others.add(selectors.dashboard_key(user=user, now=NOW, days=30, topic_slug=None))
    assert key not in others and len(others) == 4


def test_activity_days_are_the_candidates_own(user, question):
    late = datetime(2031, 5, 6, 20, 0, tzinfo=UTC)  # 04:00 on 7 May in Shanghai
    answer(user, question, [], late)
    with timezone.override("UTC"):
        assert list(selectors.daily_activity(user=user, since=None)) == [date(2031, 5, 6)]
    with timezone.override("Asia/Shanghai"):
        assert list(selectors.daily_activity(user=user, since=None)) == [date(2031, 5, 7)]


def test_the_dashboard_figures_follow_the_window_and_the_topic(user, topic):
    other = TopicFactory(slug="other", name="Other", order=2)
    mine = QuestionFactory.create_batch(3, topic=topic)
    theirs = QuestionFactory.create_batch(3, topic=other)
    recent = finished_interview(user, topic, NOW - timedelta(days=2), ["并行计算"] * 3)  # in the window and topic
    finished_interview(user, other, NOW - timedelta(days=3), ["并行计算"] * 3)  # in the window, other topic
    finished_interview(user, topic, NOW - timedelta(days=9), ["并行计算"] * 3)  # before the window
    answer(user, mine[0], ["并行计算"], NOW - timedelta(days=1))
    answer(user, theirs[0], [], NOW - timedelta(days=1))
    answer(user, mine[1], [], NOW - timedelta(days=365))  # in the year's heat map
    answer(user, mine[2], [], NOW - timedelta(days=367))  # before it
    figures = selectors.dashboard_figures(user=user, now=NOW, days=7, topic_slug="a")
    assert [t.slug for t in figures.topics] == ["a", "other"]  # every topic, for the filter's choices
    assert figures.topic == topic
    assert [r.topic for r in figures.rows] == [topic]
    (row,) = figures.rows
    # The window's practice and interview answers in topic a: 0.5 (practice) and three 0.5 (the recent interview)
    assert row.avg_coverage == pytest.approx(0.5)
    assert figures.interviews == [(recent.started_at, pytest.approx(0.5))]
    assert set(figures.window) == {(NOW - timedelta(days=2)).date(), (NOW - timedelta(days=1)).date()}
    year = set(figures.year)
    assert (NOW - timedelta(days=365)).date() in year and (NOW - timedelta(days=367)).date() not in year
    every = selectors.dashboard_figures(user=user, now=NOW, days=None, topic_slug=None)
    assert every.topic is None and {r.topic.slug for r in every.rows} == {"a", "other"}
    assert len(every.interviews) == 3


def test_missed_key_points_are_per_key_point_oldest_first_on_ties_and_never_deleted_ones(user, topic):
    first = QuestionFactory(topic=topic, key_points=[("并行计算", "a")])
    second = QuestionFactory(topic=topic, key_points=[("并行计算", "b"), ("混合精度", "c")])
    gone = QuestionFactory(topic=topic, key_points=[("删除了", "d")])
    answer(user, second, [], NOW)  # misses both of second's
    answer(user, first, [], NOW)
    answer(user, gone, [], NOW)
    KeyPoint.objects.filter(label="删除了").delete()
    # Two key points named alike in two questions are two rows; ties keep the key points' order of creation
    assert selectors.missed_key_points(user=user, per_topic=5) == {
        topic.pk: [("并行计算", 1, 1), ("并行计算", 1, 1), ("混合精度", 1, 1)]
    }


def test_a_running_interview_with_answers_is_not_yet_on_the_trend_and_an_untouched_topic_has_nothing_due(user, topic):
    QuestionFactory.create_batch(3, topic=topic)
    untouched = TopicFactory(slug="untouched", order=5)
    QuestionFactory(topic=untouched)
    running = interview_start(user=user, choice=InterviewSettings(3, [topic], 60, None), now=NOW)
    answer_submit(interview=running, position=1, text="并行计算", now=NOW + timedelta(seconds=5))
    assert running.questions.filter(attempt__isnull=False).exists()
    assert selectors.interview_scores(user=user) == []
    rows = {r.topic.slug: r for r in selectors.topic_rows(user=user, now=NOW)}
    assert (rows["untouched"].due, rows["untouched"].mastered) == (0, 0)


def test_missed_key_points_are_withheld_by_the_interviews_running_at_the_rows_time(user, topic, question):
    answer(user, question, [], NOW - timedelta(days=3))
    # Started two hours before NOW with three minutes to run: over at NOW, though not yet swept (the real clock is
    # years earlier, when it would still be running).
    QuestionFactory.create_batch(2, topic=topic)
    interview = interview_start(user=user, choice=InterviewSettings(3, [topic], 60, None), now=NOW - timedelta(hours=2))
    assert interview.questions.filter(question=question).exists()
    assert selectors.topic_rows(user=user, now=NOW)[0].missed == [(label, 1, 1) for label in LABELS[:3]]
    assert selectors.topic_rows(user=user, now=NOW - timedelta(hours=2) + timedelta(minutes=1))[0].missed == []
