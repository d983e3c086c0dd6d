"""Every live page through its views: each role, outsiders, every state, bad input."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from live.models import LiveSession
from live.services import (
    clock_pause,
    hint_reveal,
    invite_revoke,
    live_session_finish,
    question_assess,
    question_next,
    scratch_save,
)
from practice.models import Attempt

from .conftest import KEY_POINT_LABEL, KEY_POINT_TEXT, NOTE, REFERENCE

HX = {"HTTP_HX_REQUEST": "true"}
Status = LiveSession.Status
SECRETS = (KEY_POINT_LABEL, KEY_POINT_TEXT, NOTE, REFERENCE)


def url(session, tail=""):
    return f"/live/{session.public_id}/{tail}"


def refreshed(session) -> LiveSession:
    return LiveSession.objects.get(pk=session.pk)


# Creating


def test_the_form_lists_published_questions_and_topics(interviewer_client, questions):
    body = interviewer_client.get("/live/new/").content.decode()
    assert questions[0].prompt in body and "训练" in body


def test_it_creates_a_session_from_picked_questions(interviewer_client, interviewer, questions):
    data = {"questions": [questions[2].pk, questions[0].pk], "question_count": 3, "minutes_per_question": 4}
    response = interviewer_client.post("/live/new/", data)
    session = LiveSession.objects.get()
    assert response.status_code == 302 and response.url == url(session)
    assert (session.interviewer, session.seconds_per_question, session.drawn_count) == (interviewer, 240, None)
    assert session.questions.count() == 2


def test_it_creates_a_session_drawn_from_topics(interviewer_client, questions):
    data = {"topics": [questions[0].topic.pk], "question_count": 2, "minutes_per_question": 1}
    assert interviewer_client.post("/live/new/", data).status_code == 302
    assert LiveSession.objects.get().questions.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question_count": 0, "minutes_per_question": 5}, "greater than or equal to 1"),
        ({"question_count": 11, "minutes_per_question": 5}, "less than or equal to 10"),
        ({"question_count": 3, "minutes_per_question": 61}, "less than or equal to 60"),
        ({"question_count": 3, "minutes_per_question": "x"}, "Enter a whole number"),
    ],
)
def test_it_refuses_bad_settings_with_a_message(interviewer_client, questions, data, message):
    response = interviewer_client.post("/live/new/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not LiveSession.objects.exists()


def test_it_refuses_both_questions_and_topics(interviewer_client, questions):
    data = {"questions": [questions[0].pk], "topics": [questions[0].topic.pk], "question_count": 3}
    response = interviewer_client.post("/live/new/", {**data, "minutes_per_question": 5})
    assert "not both" in response.content.decode()


def test_creating_needs_sign_in(client, db):
    assert client.get("/live/new/").status_code == 302


# The invite


def test_the_interviewer_sees_the_invite_link_while_waiting(interviewer_client, created):
    body = interviewer_client.get(url(created)).content.decode()
    assert f"/live/join/{created.invite_token}/" in body
    assert "Waiting for the candidate" in body


def test_the_candidate_joins_through_the_link(candidate_client, candidate, created):
    join = f"/live/join/{created.invite_token}/"
    page = candidate_client.get(join)
    assert page.status_code == 200 and "owner invites you" in page.content.decode()
    response = candidate_client.post(join)
    assert response.status_code == 302 and response.url == url(created)
    assert refreshed(created).candidate == candidate
    assert candidate_client.get(join).url == url(created)  # the link takes them back in


def test_a_used_link_says_so(outsider_client, joined):
    response = outsider_client.post(f"/live/join/{joined.invite_token}/")
    assert response.status_code == 410 and "already been used" in response.content.decode()
    assert refreshed(joined).candidate.username == "other"


def test_a_revoked_link_says_so(candidate_client, created):
    invite_revoke(session=created)
    response = candidate_client.post(f"/live/join/{created.invite_token}/")
    assert response.status_code == 410 and "revoked" in response.content.decode()
    assert refreshed(created).candidate is None


def test_an_expired_link_says_so(settings, candidate_client, created):
    with time_machine.travel(created.invite_expires_at + timedelta(seconds=1)):
        response = candidate_client.get(f"/live/join/{created.invite_token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_the_interviewer_s_own_link_says_so(interviewer_client, created):
    response = interviewer_client.post(f"/live/join/{created.invite_token}/")
    assert response.status_code == 410 and "your own invite link" in response.content.decode()


def test_an_unknown_link_is_a_404(candidate_client, created):
    assert candidate_client.get("/live/join/guessed-token/").status_code == 404


def test_joining_needs_sign_in_first(client, created):
    response = client.get(f"/live/join/{created.invite_token}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_interviewer_revokes_and_renews_the_link(interviewer_client, created):
    assert interviewer_client.post(url(created, "invite/revoke/")).status_code == 302
    assert "You revoked the invite link" in interviewer_client.get(url(created)).content.decode()
    interviewer_client.post(url(created, "invite/renew/"))
    renewed = refreshed(created)
    assert renewed.invite_token != created.invite_token and renewed.invite_state(timezone.now()) == "valid"
    assert interviewer_client.post(url(created, "invite/other/")).status_code == 404


def test_the_link_cannot_be_renewed_once_used(interviewer_client, joined):
    response = interviewer_client.post(url(joined, "invite/renew/"), follow=True)
    assert "cannot do that now" in response.content.decode()


# The screens, state by state


def test_joined_both_screens_wait_for_the_start(interviewer_client, candidate_client, joined):
    assert "Start the first question" in interviewer_client.get(url(joined)).content.decode()
    assert "Waiting for owner to start" in candidate_client.get(url(joined)).content.decode()


def test_running_the_interviewer_sees_everything_and_the_candidate_only_the_question(
    interviewer_client, candidate_client, running
):
    question_assess(session=running, position=1, ticked={0}, notes=NOTE, rating=3)
    interviewer = interviewer_client.get(url(running)).content.decode()
    for secret in SECRETS:
        assert secret in interviewer
    candidate = candidate_client.get(url(running)).content.decode()
    assert "第1题：如何评估模型？" in candidate and "Scratch box" in candidate
    for secret in SECRETS:
        assert secret not in candidate
    assert 'value="3" checked' not in candidate


def test_paused_the_clock_stands_still_on_both_screens(interviewer_client, candidate_client, running):
    clock_pause(session=running)
    for client in (interviewer_client, candidate_client):
        body = client.get(url(running)).content.decode()
        assert "Paused" in body and "data-countdown" not in body and "2:00" in body
    assert "Resume the clock" in interviewer_client.get(url(running)).content.decode()


def test_a_revealed_hint_reaches_the_candidate(candidate_client, running):
    hint_reveal(session=running, position=1, text="想想显存")
    assert "想想显存" in candidate_client.get(url(running)).content.decode()


def test_finished_and_abandoned_sessions_go_to_the_report(interviewer_client, candidate_client, running, created):
    live_session_finish(session=running, feedback="")
    for client in (interviewer_client, candidate_client):
        assert client.get(url(running)).url == url(running, "report/")


def test_nobody_else_sees_a_session_or_its_report(outsider_client, running, client):
    for path in ("", "report/"):
        assert outsider_client.get(url(running, path)).status_code == 404
        assert client.get(url(running, path)).status_code == 302  # to sign in
    live_session_finish(session=running, feedback="")
    assert outsider_client.get(url(running, "report/")).status_code == 404


@pytest.mark.parametrize(
    "tail", ["clock/start/", "clock/pause/", "clock/next/", "invite/revoke/", "finish/", "questions/1/assess/"]
)
def test_the_interviewer_s_controls_are_a_404_for_the_candidate_and_outsiders(
    candidate_client, outsider_client, running, tail
):
    for client in (candidate_client, outsider_client):
        assert client.post(url(running, tail), {"position": 1, "rating": 1}).status_code == 404
    assert refreshed(running).status == Status.RUNNING and refreshed(running).position == 1


def test_the_scratch_box_is_a_404_for_the_interviewer_and_outsiders(interviewer_client, outsider_client, running):
    for client in (interviewer_client, outsider_client):
        assert client.post(url(running, "questions/1/scratch/"), {"scratch": "x"}).status_code == 404
    assert running.questions.get(position=1).scratch == ""


# The interviewer's controls


def test_start_pause_resume_and_next(interviewer_client, joined):
    assert interviewer_client.post(url(joined, "clock/start/")).status_code == 302
    assert refreshed(joined).status == Status.RUNNING
    interviewer_client.post(url(joined, "clock/pause/"))
    assert refreshed(joined).status == Status.PAUSED
    interviewer_client.post(url(joined, "clock/start/"))
    interviewer_client.post(url(joined, "clock/next/"), {"position": 1})
    assert (refreshed(joined).status, refreshed(joined).position) == (Status.RUNNING, 2)
    interviewer_client.post(url(joined, "clock/next/"), {"position": "junk"})  # changes nothing
    assert refreshed(joined).position == 2
    assert interviewer_client.post(url(joined, "clock/rewind/")).status_code == 404


def test_next_on_the_last_question_says_to_finish(interviewer_client, running):
    question_next(session=question_next(session=running, position=1), position=2)
    response = interviewer_client.post(url(running, "clock/next/"), {"position": 3}, follow=True)
    assert "finish the session instead" in response.content.decode()


def test_assessing_over_htmx_answers_with_the_saved_state(interviewer_client, running):
    data = {"ticked": [0, 1], "notes": NOTE, "rating": 4}
    response = interviewer_client.post(url(running, "questions/1/assess/"), data, **HX)
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    item = running.questions.get(position=1)
    assert (item.ticked, item.notes, item.rating) == ([0, 1], NOTE, 4)
    interviewer_client.post(url(running, "questions/1/assess/"), {"ticked": [], "notes": "", "rating": ""}, **HX)
    item.refresh_from_db()
    assert (item.ticked, item.rating) == ([], None)


def test_assessing_without_javascript_returns_to_the_screen(interviewer_client, running):
    response = interviewer_client.post(url(running, "questions/1/assess/"), {"rating": 2})
    assert response.status_code == 302 and response.url == url(running)


@pytest.mark.parametrize(
    ("data", "status"), [({"rating": 9}, 422), ({"ticked": ["x"]}, 422), ({"notes": "长" * 10_001}, 422)]
)
def test_assessing_refuses_bad_input(interviewer_client, running, data, status):
    response = interviewer_client.post(url(running, "questions/1/assess/"), data, **HX)
    assert response.status_code == status and 'class="missed"' in response.content.decode()


def test_assessing_a_question_not_asked_yet_is_refused(interviewer_client, running):
    response = interviewer_client.post(url(running, "questions/2/assess/"), {"rating": 2}, **HX)
    assert response.status_code == 409 and "not been asked" in response.content.decode()
    assert interviewer_client.post(url(running, "questions/9/assess/"), {"rating": 2}, **HX).status_code == 404


def test_revealing_a_hint(interviewer_client, running):
    assert interviewer_client.post(url(running, "questions/1/hint/"), {"hint": "提示一"}).status_code == 302
    assert running.questions.get(position=1).hint == "提示一"
    response = interviewer_client.post(url(running, "questions/1/hint/"), {"hint": "提示二"}, **HX)
    assert response.status_code == 200 and "Shown to the candidate at" in response.content.decode()
    response = interviewer_client.post(url(running, "questions/1/hint/"), {"hint": ""}, **HX)
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    response = interviewer_client.post(url(running, "questions/2/hint/"), {"hint": "早了"}, **HX)
    assert response.status_code == 409 and "current question" in response.content.decode()


def test_the_candidate_s_scratch_box_saves_as_they_type(candidate_client, running):
    response = candidate_client.post(url(running, "questions/1/scratch/"), {"scratch": "  x = 1\n"}, **HX)
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    assert running.questions.get(position=1).scratch == "  x = 1\n"
    response = candidate_client.post(url(running, "questions/1/scratch/"), {"scratch": "x" * 10_001}, **HX)
    assert response.status_code == 422 and "Too long" in response.content.decode()
    response = candidate_client.post(url(running, "questions/2/scratch/"), {"scratch": "early"}, **HX)
    assert response.status_code == 409
    assert candidate_client.post(url(running, "questions/1/scratch/"), {"scratch": "y"}).url == url(running)


def test_the_interviewer_sees_the_scratch_box(interviewer_client, running):
    scratch_save(session=running, position=1, text="print('hi')")
    assert "print(&#x27;hi&#x27;)" in interviewer_client.get(url(running)).content.decode()


# After the session


def test_finishing_shows_both_the_same_report(interviewer_client, candidate_client, candidate, running):
    question_assess(session=running, position=1, ticked={0}, notes=NOTE, rating=3)
    scratch_save(session=running, position=1, text="梯度累积")
    response = interviewer_client.post(url(running, "finish/"), {"feedback": "表达清楚"})
    assert response.url == url(running, "report/")
    for client in (interviewer_client, candidate_client):
        body = client.get(response.url).content.decode()
        for text in ("表达清楚", NOTE, KEY_POINT_LABEL, "梯度累积", "Good", "50%", "1 of 3 questions asked, 1 rated"):
            assert text in body
    assert Attempt.objects.get(user=candidate).rating == 3


def test_the_report_waits_for_the_end(interviewer_client, running):
    assert interviewer_client.get(url(running, "report/")).url == url(running)


def test_finishing_refuses_overlong_feedback(interviewer_client, running):
    response = interviewer_client.post(url(running, "finish/"), {"feedback": "x" * 10_001}, follow=True)
    assert "at most" in response.content.decode() and refreshed(running).is_open


def test_swapping_roles_in_one_click(interviewer_client, candidate_client, interviewer, candidate, running):
    assert candidate_client.post(url(running, "swap/")).status_code == 302  # still running: refused
    assert not LiveSession.objects.filter(interviewer=candidate).exists()
    live_session_finish(session=running, feedback="")
    response = candidate_client.post(url(running, "swap/"))
    second = LiveSession.objects.get(interviewer=candidate)
    assert response.url == url(second) and second.candidate == interviewer
    assert "Open the second session" in interviewer_client.get(url(running, "report/")).content.decode()
    assert interviewer_client.post(url(running, "swap/")).url == url(second)


def test_the_list_shows_sessions_run_and_sessions_answered(
    interviewer_client, candidate_client, running, django_assert_max_num_queries
):
    live_session_finish(session=running, feedback="")
    with django_assert_max_num_queries(8):  # session, user, idle sweep, two lists with both people
        body = interviewer_client.get("/live/").content.decode()
    assert "Sessions you ran" in body and "other" in body
    assert url(running, "report/") in candidate_client.get("/live/").content.decode()


def test_the_list_closes_idle_sessions_lazily(settings, interviewer_client, running):
    settings.LIVE_IDLE_MINUTES = 1
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        interviewer_client.get("/live/")
    assert refreshed(running).status == Status.ABANDONED


def test_page_queries_do_not_grow_with_the_questions(
    interviewer_client, candidate_client, running, django_assert_max_num_queries
):
    # Session, user, idle check, current question, count (+ messages/session bookkeeping).
    for client in (interviewer_client, candidate_client):
        with django_assert_max_num_queries(7):
            client.get(url(running))
    live_session_finish(session=running, feedback="")
    with django_assert_max_num_queries(7):
        interviewer_client.get(url(running, "report/"))


def test_the_screens_speak_chinese(candidate_client, interviewer_client, running):
    hint_reveal(session=running, position=1, text="提示")
    body = candidate_client.get(url(running), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "你是候选人：请口头回答。" in body and "草稿框（或代码）" in body
    assert (
        "要点：候选人讲到一个就勾选一个"
        in interviewer_client.get(url(running), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    )


def test_for_the_candidate_it_is_one_of_their_mock_interviews(candidate_client, interviewer_client, running):
    question_assess(session=running, position=1, ticked={0, 1}, notes="", rating=4)
    session = live_session_finish(session=question_next(session=running, position=1), feedback="")
    interview_url = f"/interviews/{session.interview.pk}/report/"
    report = candidate_client.get(interview_url)
    assert report.status_code == 200 and "You answered 1 of 3 questions." in report.content.decode()
    assert interview_url in candidate_client.get("/interviews/").content.decode()
    assert "Average coverage per mock interview" in candidate_client.get("/progress/").content.decode()
    assert interviewer_client.get(interview_url).status_code == 404  # nothing of the candidate's own pages
