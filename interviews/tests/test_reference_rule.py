"""No reference material (answer, key points, explanation) of a question that a running interview of the
candidate holds, on any page, partial, link or export; another candidate's interview hides nothing of
mine, and once the interview ends everything is back."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from interviews.models import Interview
from interviews.reference import may_see_reference, reference_withheld
from interviews.services import (
    InterviewSettings,
    answer_submit,
    interview_abandon,
    interview_serve,
    interview_start,
)
from practice.models import Attempt, Mode, Rating
from practice.services import attempt_rate, attempt_record
from questions.tests.factories import QuestionFactory, TopicFactory

HX = {"HTTP_HX_REQUEST": "true"}


def make_question(topic, n):
    return QuestionFactory(
        topic=topic,
        answer=f"参考答案{n}号",
        explanation=f"解析{n}号",
        key_points=[(f"要点{n}甲", f"说明{n}甲"), (f"要点{n}乙", f"说明{n}乙")],
    )


def reference_of(question) -> list[str]:
    n = question.answer[4:-1]
    return [f"参考答案{n}号", f"解析{n}号", f"要点{n}甲", f"说明{n}甲"]


@pytest.fixture
def bank(db):
    held, free = TopicFactory(slug="held", name="被占用"), TopicFactory(slug="free", name="自由")
    return {"held": [make_question(held, n) for n in (1, 2, 3)], "free": make_question(free, 9), "topic": held}


@pytest.fixture
def history(user, bank):
    """Earlier practice of every question (unrated, so their pages show the rating form), an ended
    interview over the held topic, then a running interview holding all three held questions, the
    first of them answered already."""
    past = timezone.now() - timedelta(days=2)
    practised = {q.pk: attempt_record(user=user, question=q, answer="不知道", now=past) for q in bank["held"]}
    practised[bank["free"].pk] = attempt_record(user=user, question=bank["free"], answer="不知道", now=past)
    rated = attempt_record(user=user, question=bank["held"][0], answer="不知道", now=past)
    attempt_rate(attempt=rated, covered_positions=set(), rating=Rating.AGAIN, now=past)
    choice = InterviewSettings(3, [bank["topic"]], 600, None)
    ended = interview_abandon(interview=interview_start(user=user, choice=choice))
    running = interview_start(user=user, choice=choice)
    running = answer_submit(interview=running, position=1, text="我的回答")
    running = interview_serve(interview=running)  # the browser loads the next question: its clock starts
    return {"practised": practised, "rated": rated, "ended": ended, "running": running}


def assert_no_reference(body: str, questions) -> None:
    for question in questions:
        for text in reference_of(question):
            assert text not in body, text


def test_the_rule_names_exactly_the_questions_of_my_running_interview(user, other_user, bank, history):
    held = {q.pk for q in bank["held"]}
    assert reference_withheld(user=user) == held
    assert reference_withheld(user=user, question_ids=[bank["free"].pk, bank["held"][0].pk]) == {bank["held"][0].pk}
    assert not may_see_reference(user=user, question=bank["held"][1])
    assert may_see_reference(user=user, question=bank["free"])
    assert reference_withheld(user=other_user) == set()


@pytest.mark.parametrize("headers", [{}, HX])
def test_an_earlier_practice_attempt_page_shows_no_reference(user_client, bank, history, headers):
    for question in bank["held"]:
        response = user_client.get(f"/practice/attempts/{history['practised'][question.pk].pk}/", **headers)
        assert response.status_code in (200, 302)
        assert_no_reference(response.content.decode(), [question])
        followed = user_client.get(f"/practice/attempts/{history['practised'][question.pk].pk}/", follow=True)
        assert_no_reference(followed.content.decode(), bank["held"])
        assert "finish the interview first" in followed.content.decode()


@pytest.mark.parametrize("headers", [{}, HX])
@pytest.mark.parametrize("rating", ["", "9", str(Rating.GOOD)])
def test_a_rate_post_shows_no_reference_and_rates_nothing(user_client, bank, history, headers, rating):
    attempt = history["practised"][bank["held"][1].pk]
    response = user_client.post(f"/practice/attempts/{attempt.pk}/rate/", {"rating": rating, "scope": "all"}, **headers)
    assert_no_reference(response.content.decode(), bank["held"])
    attempt.refresh_from_db()
    assert attempt.rating is None


def test_the_reveal_shows_no_reference(user_client, bank, history):
    for question in bank["held"]:
        response = user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "x"}, **HX)
        assert_no_reference(response.content.decode(), [question])


@pytest.mark.parametrize("headers", [{}, HX])
def test_the_report_of_an_ended_interview_shows_no_reference_of_a_held_question(user_client, bank, history, headers):
    ended = history["ended"]
    response = user_client.get(f"/interviews/{ended.pk}/report/", **headers)
    assert response.status_code == 302 or response["HX-Redirect"]
    assert_no_reference(response.content.decode(), bank["held"])
    followed = user_client.get(f"/interviews/{ended.pk}/report/", follow=True).content.decode()
    assert_no_reference(followed, bank["held"])
    assert "finish that interview first" in followed


@pytest.mark.parametrize("headers", [{}, HX])
def test_the_self_assessment_of_an_ended_report_shows_no_reference_and_rates_nothing(
    user_client, user, bank, history, headers
):
    ended = history["ended"]
    for item in ended.questions.all():  # answered, so the report asks for a self-assessment
        item.attempt = attempt_record(user=user, question=item.question, answer="不知道", mode=Mode.INTERVIEW)
        item.status = item.Status.ANSWERED
        item.opened_at, item.deadline = item.opened_at or ended.started_at, item.deadline or ended.deadline
        item.closed_at = item.closed_at or ended.finished_at
        item.save(update_fields=["attempt", "status", "opened_at", "deadline", "closed_at"])
    posted = {f"rating-{p}": Rating.GOOD for p in (1, 2, 3)} | {f"covered-{p}": ["0", "1"] for p in (1, 2, 3)}
    response = user_client.post(f"/interviews/{ended.pk}/report/assess/", posted, **headers)
    assert_no_reference(response.content.decode(), bank["held"])
    followed = user_client.post(f"/interviews/{ended.pk}/report/assess/", posted, follow=True).content.decode()
    assert_no_reference(followed, bank["held"])
    assert "finish that interview first" in followed
    assert not Attempt.objects.filter(user=user, mode="interview", rating__isnull=False).exists()


@pytest.mark.parametrize("headers", [{}, HX])
def test_undoing_a_rating_of_a_held_question_shows_no_reference_and_undoes_nothing(
    user_client, bank, history, headers
):
    rated = history["rated"]
    response = user_client.post(f"/practice/attempts/{rated.pk}/undo/", {"scope": "all"}, **headers)
    assert_no_reference(response.content.decode(), bank["held"])
    followed = user_client.post(f"/practice/attempts/{rated.pk}/undo/", {"scope": "all"}, follow=True)
    assert_no_reference(followed.content.decode(), bank["held"])
    assert "finish the interview first" in followed.content.decode()
    rated.refresh_from_db()
    assert rated.rating == Rating.AGAIN


def test_the_next_card_after_a_rating_shows_no_reference_of_a_held_question(user_client, bank, history):
    rated = history["rated"]
    for url in (f"/practice/next/?scope=all&rated={rated.pk}", f"/practice/next/?scope=held&rated={rated.pk}"):
        body = user_client.get(url).content.decode()
        assert_no_reference(body, bank["held"])


def test_the_topic_page_links_no_attempt_of_a_held_question(user_client, user, bank, history):
    body = user_client.get("/progress/topics/held/").content.decode()
    held_attempts = Attempt.objects.filter(user=user, question__in=bank["held"])
    assert held_attempts.filter(mode="interview").exists()  # answered earlier in the running interview
    for attempt in held_attempts:
        assert f"/practice/attempts/{attempt.pk}/" not in body
    assert_no_reference(body, bank["held"])
    free = user_client.get("/progress/topics/free/").content.decode()
    assert f"/practice/attempts/{history['practised'][bank['free'].pk].pk}/" in free


def test_the_dashboard_names_no_key_point_of_a_held_question(user_client, bank, history):
    body = user_client.get("/progress/?days=all").content.decode()
    assert_no_reference(body, bank["held"])
    assert "要点9甲" in body  # the free question's missed key points are still listed


def test_the_export_lists_no_pending_prompt_and_no_held_key_point(user_client, user, bank, history):
    data = json.loads(user_client.get("/accounts/profile/export/").content)
    body = json.dumps(data, ensure_ascii=False)
    assert_no_reference(body, bank["held"])
    running = next(i for i in data["interviews"] if i["status"] == "in_progress")
    pending = [q for q in running["questions"] if q["status"] == "pending"]
    assert len(pending) == 1 and "prompt" not in pending[0]
    shown = history["running"].questions.exclude(status="pending").select_related("version")
    for item in shown:
        assert item.version.prompt in body
    pending_prompt = history["running"].questions.get(status="pending").version.prompt
    ended_prompts = [q["prompt"] for i in data["interviews"] if i["status"] != "in_progress" for q in i["questions"]]
    # A prompt appears only where the candidate has seen it: in the ended interview, not the pending slot.
    assert body.count(pending_prompt) == ended_prompts.count(pending_prompt) + sum(
        a["prompt"] == pending_prompt for a in data["practice"]["attempts"]
    )
    assert "要点9甲" in body


def test_another_candidates_interview_hides_nothing_of_mine(user, other_user, other_client, bank, history):
    practised = {q.pk: attempt_record(user=other_user, question=q, answer="不知道") for q in bank["held"]}
    for question in bank["held"]:
        body = other_client.get(f"/practice/attempts/{practised[question.pk].pk}/").content.decode()
        assert reference_of(question)[0] in body


@pytest.mark.parametrize("how", ["abandoned", "timed out"])
def test_an_ended_interview_no_longer_hides_anything(user, user_client, bank, history, how):
    if how == "abandoned":
        interview_abandon(interview=history["running"])
        travel = time_machine.travel(timezone.now(), tick=False)
    else:
        travel = time_machine.travel(history["running"].deadline + timedelta(minutes=1), tick=False)
    with travel:
        assert reference_withheld(user=user) == set()
        question = bank["held"][1]
        body = user_client.get(f"/practice/attempts/{history['practised'][question.pk].pk}/").content.decode()
        assert reference_of(question)[0] in body
        topic = user_client.get("/progress/topics/held/").content.decode()
        assert f"/practice/attempts/{history['practised'][question.pk].pk}/" in topic
        assert "要点1甲" in user_client.get("/progress/?days=all").content.decode()
        assert reference_of(question)[0] in user_client.get(f"/interviews/{history['ended'].pk}/report/").content.decode()
    assert Interview.objects.filter(user=user, status="in_progress").count() <= 1
