"""Mock interviews driven through their views on a frozen clock."""

import io
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from interviews.models import Interview, InterviewQuestion
from practice.models import Attempt, Mode, Rating, ReviewCard
from questions.tests.factories import QuestionFactory, TopicFactory

HX = {"HTTP_HX_REQUEST": "true"}
START = timezone.now().replace(microsecond=0) + timedelta(days=1)
REFERENCE_TEXT = "利用多GPU或分布式计算资源"


@pytest.fixture
def bank(db):
    topic = TopicFactory(slug="training", name="训练")
    return QuestionFactory.create_batch(4, topic=topic)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def start(client, count=3, minutes=1, **extra):
    data = {"question_count": count, "timing": "per_question", "minutes_per_question": minutes, "total_minutes": 15}
    response = client.post("/interviews/new/", {**data, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Interview.objects.latest("pk")


def open_item(interview) -> InterviewQuestion:
    return interview.questions.get(status=InterviewQuestion.Status.OPEN)


def test_a_normal_interview_to_its_report(user_client, user, bank, clock):
    interview = start(user_client)
    assert interview.questions.count() == 3
    for position, answer in enumerate(["我会用并行计算和混合精度训练", "并行计算", ""], start=1):
        clock.shift(20)
        response = user_client.post(f"/interviews/{interview.pk}/questions/{position}/next/", {"answer": answer})
        assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINISHED
    assert response.url == f"/interviews/{interview.pk}/report/"
    attempts = Attempt.objects.filter(user=user).order_by("created_at")
    assert [(a.mode, a.score) for a in attempts] == [(Mode.INTERVIEW, 1.0), (Mode.INTERVIEW, 0.5)]
    third = interview.questions.get(position=3)
    assert third.status == InterviewQuestion.Status.UNANSWERED and third.attempt is None
    report = user_client.get(response.url).content.decode()
    assert "75%" in report  # the average over the two answered questions
    assert "You answered 2 of 3 questions." in report
    assert "Unanswered" in report and REFERENCE_TEXT in report
    assert "time spent 0:20" in report
    listing = user_client.get("/interviews/").content.decode()
    assert "2 / 3" in listing and "75%" in listing


def test_the_reference_answer_is_unreachable_during_the_interview(user_client, bank, clock):
    interview = start(user_client)
    page = user_client.get(f"/interviews/{interview.pk}/")
    partial = user_client.get(f"/interviews/{interview.pk}/", **HX)
    for body in (page.content.decode(), partial.content.decode()):
        assert REFERENCE_TEXT not in body and "解析" not in body
    assert user_client.get(f"/interviews/{interview.pk}/report/").status_code == 302
    question = open_item(interview).question
    response = user_client.post(f"/practice/questions/{question.pk}/reveal/", {"answer": "x"})
    assert "finish the interview first" in response.content.decode()
    assert REFERENCE_TEXT not in response.content.decode()


def test_a_reload_resumes_the_same_question_on_the_same_clock(user_client, bank, clock):
    interview = start(user_client)
    clock.shift(10)
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "草稿一"}, **HX)
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    clock.shift(15)
    page = user_client.get(f"/interviews/{interview.pk}/")
    assert page.context["item"].position == 1
    assert page.context["remaining"] == 35
    assert "草稿一</textarea>" in page.content.decode()
    assert 'data-countdown="35"' in page.content.decode()


def test_a_second_start_resumes_the_running_interview(user_client, bank, clock):
    first = start(user_client)
    second = start(user_client)
    assert first == second
    assert Interview.objects.count() == 1


def test_a_late_submission_is_refused_and_the_draft_is_kept(user_client, user, bank, clock):
    interview = start(user_client)
    clock.shift(30)
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "并行计算"}, **HX)
    clock.shift(30 + 6)  # past the 60 s deadline and the 5 s grace
    late = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "并行计算，还有更多"}, **HX)
    assert late.status_code == 409 and "Time was up" in late.content.decode()
    response = user_client.post(
        f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算，还有更多"}, follow=True
    )
    assert "Time was up at" in response.content.decode()
    first = interview.questions.get(position=1)
    assert first.timed_out and first.draft == "并行计算"
    assert first.attempt.answer == "并行计算"
    assert first.closed_at == first.deadline
    # The next question opened when the first one's time ran out.
    assert interview.questions.get(position=2).opened_at == first.deadline


def test_a_submission_within_the_grace_is_accepted(user_client, bank, clock):
    interview = start(user_client)
    clock.shift(63)
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "最后一刻的回答"})
    first = interview.questions.get(position=1)
    assert not first.timed_out and first.attempt.answer == "最后一刻的回答"


def test_a_double_submit_makes_one_answer(user_client, user, bank, clock):
    interview = start(user_client)
    for _ in range(2):
        user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "并行计算"})
    assert Attempt.objects.filter(user=user).count() == 1
    assert open_item(interview).position == 2


def test_an_htmx_submit_redirects_the_browser(user_client, bank, clock):
    interview = start(user_client)
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "x"}, **HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/interviews/{interview.pk}/"


def test_an_abandoned_interview_closes_itself_at_its_deadline(user_client, user, bank, clock):
    interview = start(user_client)
    clock.shift(20)
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "混合精度训练"}, **HX)
    clock.shift(3 * 60)
    out = io.StringIO()
    call_command("close_expired_interviews", stdout=out)
    assert "closed 1 expired interview" in out.getvalue()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINISHED
    statuses = list(interview.questions.values_list("status", "timed_out"))
    assert statuses == [("answered", True), ("unanswered", True), ("unanswered", True)]
    assert Attempt.objects.get(user=user).answer == "混合精度训练"


def test_ending_early_keeps_the_draft_and_marks_the_interview_abandoned(user_client, bank, clock):
    interview = start(user_client)
    user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "并行计算"}, **HX)
    response = user_client.post(f"/interviews/{interview.pk}/end/")
    assert response.url == f"/interviews/{interview.pk}/report/"
    interview.refresh_from_db()
    assert interview.status == Interview.Status.ABANDONED
    assert interview.questions.get(position=1).attempt.answer == "并行计算"


def test_one_total_limit_for_the_whole_interview(user_client, bank, clock):
    interview = start(user_client, timing="total", total_minutes=5)
    assert interview.deadline == START + timedelta(minutes=5)
    user_client.post(f"/interviews/{interview.pk}/questions/1/next/", {"answer": "a"})
    assert open_item(interview).deadline == interview.deadline
    clock.shift(5 * 60 + 6)
    user_client.get(f"/interviews/{interview.pk}/")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINISHED


def test_the_self_assessment_rates_and_schedules_the_question(user_client, user, bank, clock):
    interview = start(user_client)
    for position in (1, 2, 3):
        user_client.post(f"/interviews/{interview.pk}/questions/{position}/next/", {"answer": "并行计算"})
    response = user_client.post(
        f"/interviews/{interview.pk}/report/1/rate/", {"covered": ["0", "1"], "rating": Rating.GOOD}, **HX
    )
    assert response.status_code == 200 and "You rated it" in response.content.decode()
    item = interview.questions.get(position=1)
    item.attempt.refresh_from_db()
    assert (item.attempt.score, item.attempt.rating) == (1.0, Rating.GOOD)
    assert ReviewCard.objects.get(user=user, question=item.question).reviews == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"question_count": 2}, "greater than or equal to 3"),
        ({"question_count": 11}, "less than or equal to 10"),
        ({"minutes_per_question": 0}, "greater than or equal to 1"),
    ],
)
def test_bad_settings_are_refused_and_start_nothing(user_client, bank, data, message):
    form = {"question_count": 3, "timing": "per_question", "minutes_per_question": 3, "total_minutes": 15}
    response = user_client.post("/interviews/new/", {**form, **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Interview.objects.exists()


def test_an_oversized_answer_is_refused_with_a_message(user_client, bank, clock, settings):
    interview = start(user_client)
    response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "长" * 10_001}, **HX)
    assert response.status_code == 422 and "too long" in response.content.decode()
    assert interview.questions.get(position=1).draft == ""


def test_another_candidate_gets_404_everywhere(user_client, other_client, bank, clock):
    interview = start(user_client)
    base = f"/interviews/{interview.pk}"
    assert other_client.get(f"{base}/").status_code == 404
    assert other_client.get(f"{base}/report/").status_code == 404
    for url in ("/questions/1/draft/", "/questions/1/next/", "/end/", "/report/1/rate/"):
        assert other_client.post(base + url, {"answer": "hijack", "rating": 1}).status_code == 404
    item = interview.questions.get(position=1)
    assert item.draft == "" and item.status == InterviewQuestion.Status.OPEN


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/interviews/", "/interviews/new/", "/interviews/1/", "/interviews/1/report/"])
def test_interviews_need_a_signed_in_user(client, url):
    assert client.get(url).url.startswith("/accounts/login/")


def test_query_counts_do_not_grow_with_questions(user_client, bank, clock, django_assert_max_num_queries):
    interview = start(user_client, count=4)
    # session, user, interview, sync lock (+savepoint), open question, items
    with django_assert_max_num_queries(8):
        user_client.get(f"/interviews/{interview.pk}/")
    # The autosave, the busiest endpoint: session, user, one UPDATE
    with django_assert_max_num_queries(3):
        response = user_client.post(f"/interviews/{interview.pk}/questions/1/draft/", {"answer": "草稿"}, **HX)
    assert response.status_code == 200
    for position in (1, 2, 3, 4):
        user_client.post(f"/interviews/{interview.pk}/questions/{position}/next/", {"answer": "并行计算"})
    # session, user, interview, sync (+savepoint), items, key point results, topics
    with django_assert_max_num_queries(10):
        user_client.get(f"/interviews/{interview.pk}/report/")
    # session, user, running interview, interviews with results, topics
    with django_assert_max_num_queries(6):
        user_client.get("/interviews/")


def test_past_interviews_are_listed_newest_first(user_client, bank, clock):
    first = start(user_client)
    user_client.post(f"/interviews/{first.pk}/end/")
    clock.shift(3600)
    second = start(user_client)
    listed = list(user_client.get("/interviews/").context["interviews"])
    assert listed == [second, first]


def test_starting_after_an_expired_interview_starts_a_new_one(user_client, bank, clock):
    first = start(user_client)
    clock.shift(3 * 60 + 10)  # every question of the first one has run out of time
    second = start(user_client)
    assert second != first
    first.refresh_from_db()
    assert first.status == Interview.Status.FINISHED and second.is_in_progress


def test_favouring_weak_topics_draws_mostly_from_them(user, db):
    from interviews.services import InterviewSettings, interview_abandon, interview_start
    from practice.services import attempt_record

    weak, strong = TopicFactory(slug="weak"), TopicFactory(slug="strong")
    weak_questions = QuestionFactory.create_batch(10, topic=weak)
    strong_questions = QuestionFactory.create_batch(10, topic=strong)
    attempt_record(user=user, question=weak_questions[0], answer="不知道")  # coverage 0
    attempt_record(user=user, question=strong_questions[0], answer="并行计算，混合精度训练")  # coverage 1
    drawn = Counter()
    # Sampled by the database's random(): 40 interviews make a failure by chance about 1 in 20,000.
    for _ in range(40):
        choice = InterviewSettings(5, [], 180, None, favour_weak_topics=True)
        interview = interview_start(user=user, choice=choice)
        drawn.update(interview.questions.values_list("question__topic__slug", flat=True))
        interview_abandon(interview=interview)
    assert drawn["weak"] > 2 * drawn["strong"]
