"""The screens' poll: conditional GET with an ETag of the session's state, 304 when nothing changed."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from live.services import clock_pause, hint_reveal, question_assess, question_next, scratch_save

from .conftest import KEY_POINT_LABEL, KEY_POINT_TEXT, NOTE, REFERENCE

HX = {"HTTP_HX_REQUEST": "true"}


def url_of(session) -> str:
    return f"/live/{session.public_id}/"


def poll(client, session, etag=None, at=None):
    at = at or f"{session.status}.{session.position}"
    headers = {**HX, "HTTP_IF_NONE_MATCH": etag} if etag else HX
    return client.get(f"/live/{session.public_id}/?at={at}", **headers)


@pytest.fixture
def cached_auth(settings):
    """Sessions and users read from the cache, as in production with REDIS_URL."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.AUTHENTICATION_BACKENDS = ["accounts.backends.CachedModelBackend"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.CachedModelBackend")
    return client


def test_an_unchanged_poll_is_a_304_costing_what_healthz_costs(
    cached_auth, running, candidate, interviewer, django_assert_num_queries
):
    for user in (candidate, interviewer):
        client = signed_in(user)
        first = poll(client, running)
        assert first.status_code == 200 and first["ETag"]
        assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
        assert "HX-Request" in first["Vary"]
        client.get("/healthz")  # warm the same caches for both
        with django_assert_num_queries(1):  # SELECT 1 (the session comes from the cache)
            assert client.get("/healthz").status_code == 200
        with django_assert_num_queries(1):  # the session's state, by its public id; the user is not loaded
            response = poll(client, running, etag=first["ETag"])
        assert response.status_code == 304
        assert response["ETag"] == first["ETag"]
        assert response.content == b""


def test_without_a_shared_cache_the_poll_still_costs_what_healthz_costs(
    running, candidate_client, django_assert_num_queries
):
    etag = poll(candidate_client, running)["ETag"]
    with django_assert_num_queries(2):  # the session, SELECT 1
        candidate_client.get("/healthz")
    with django_assert_num_queries(2):  # the session, the session's state
        assert poll(candidate_client, running, etag=etag).status_code == 304


def test_a_sign_in_that_no_longer_holds_is_sent_to_sign_in_once_there_is_news(running, candidate, candidate_client):
    etag = poll(candidate_client, running)["ETag"]
    candidate.set_password("changed-elsewhere-123")
    candidate.save()
    assert poll(candidate_client, running, etag=etag).status_code == 304  # tells nothing new
    hint_reveal(session=running, position=1, text="提示")
    assert poll(candidate_client, running, etag=etag)["HX-Refresh"] == "true"
    assert poll(candidate_client, running, etag=etag)["HX-Refresh"] == "true"  # signed out now
    assert candidate_client.get(url_of(running)).url.startswith("/accounts/login/")


def test_a_change_the_candidate_sees_answers_200_with_the_new_state(running, candidate_client):
    etag = poll(candidate_client, running)["ETag"]
    hint_reveal(session=running, position=1, text="想想梯度累积")
    response = poll(candidate_client, running, etag=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "想想梯度累积" in response.content.decode()
    assert 'id="live-state"' in response.content.decode()


def test_the_interviewer_sees_the_scratch_box_change_and_the_candidate_s_poll_does_not(
    running, candidate_client, interviewer_client
):
    candidate_etag = poll(candidate_client, running)["ETag"]
    interviewer_etag = poll(interviewer_client, running)["ETag"]
    scratch_save(session=running, position=1, text="def attention(q, k, v): ...")
    assert poll(candidate_client, running, etag=candidate_etag).status_code == 304
    response = poll(interviewer_client, running, etag=interviewer_etag)
    assert response.status_code == 200
    assert "def attention(q, k, v): ..." in response.content.decode()


def test_assessing_changes_neither_poll(running, candidate_client, interviewer_client):
    etags = [poll(c, running)["ETag"] for c in (candidate_client, interviewer_client)]
    question_assess(session=running, position=1, ticked={0}, notes=NOTE, rating=3)
    for client, etag in zip((candidate_client, interviewer_client), etags, strict=True):
        assert poll(client, running, etag=etag).status_code == 304


def test_a_new_question_or_state_reloads_the_page(running, candidate_client):
    etag = poll(candidate_client, running)["ETag"]
    question_next(session=running, position=1)
    response = poll(candidate_client, running, etag=etag, at="running.1")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    running.refresh_from_db()
    clock_pause(session=running)
    response = poll(candidate_client, running, at="running.2")
    assert response["HX-Refresh"] == "true"


def test_an_idle_session_reloads_the_page_which_closes_it(settings, running, candidate_client):
    settings.LIVE_IDLE_MINUTES = 5
    etag = poll(candidate_client, running)["ETag"]
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = poll(candidate_client, running, etag=etag)
        assert response["HX-Refresh"] == "true"
        page = candidate_client.get(f"/live/{running.public_id}/")
    assert page.status_code == 302 and page.url.endswith("/report/")


def test_the_candidate_s_poll_never_holds_key_points_notes_or_the_reference(running, candidate_client):
    question_assess(session=running, position=1, ticked={0, 1}, notes=NOTE, rating=1)
    hint_reveal(session=running, position=1, text="提示")
    body = poll(candidate_client, running).content.decode()
    assert "提示" in body
    for secret in (KEY_POINT_LABEL, KEY_POINT_TEXT, NOTE, REFERENCE, "Again"):
        assert secret not in body


def test_nobody_else_can_poll(running, outsider_client, client):
    assert poll(outsider_client, running).status_code == 404
    assert client.get(url_of(running), **HX)["HX-Refresh"] == "true"  # the page then asks to sign in
    assert client.get(url_of(running)).url.startswith("/accounts/login/")
    assert poll(outsider_client, running, etag='"x"').status_code == 404


def test_an_unknown_session_is_a_404(db, candidate_client):
    assert candidate_client.get("/live/not-a-session/", **HX).status_code == 404
