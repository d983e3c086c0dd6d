"""The dashboard selectors checked against a known history, with exact numbers."""

from datetime import datetime, timedelta

from progress.selectors import streak, topic_rows
from progress.tests.conftest import NOW


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


def test_streak_counts_back_from_today_or_yesterday():
    today = datetime(2026, 11, 20).date()
    days = {today - timedelta(days=n): object() for n in (1, 2, 3, 5)}
    assert streak(days, today) == 3
    assert streak({**days, today: object()}, today) == 4
    assert streak({today - timedelta(days=2): object()}, today) == 0
