"""The editors' statistics."""

from django.contrib.auth.models import Group


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


def test_the_statistics_page_runs_the_same_queries_for_more_questions(user, user_client, history, frozen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from questions.tests.factories import QuestionFactory

    user.groups.add(Group.objects.get(name="Question editors"))
    with CaptureQueriesContext(connection) as few:
        user_client.get("/progress/staff/")
    QuestionFactory.create_batch(5, topic=history["a"])
    with CaptureQueriesContext(connection) as more:
        assert b"Topic A" in user_client.get("/progress/staff/").content
    assert len(more) == len(few)
