"""Hostile input renders inert, and the site's protections hold."""

import re

import pytest
from django.test import Client

from interviews.models import Interview
from practice.models import Attempt
from questions.tests.factories import QuestionFactory

PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
]
# Live markup, not the escaped text of it (which is what candidates should see).
DANGEROUS = [r"<script>alert", r"<img[^>]*onerror", r"href=\"?javascript:", r"<svg[^>]*onload"]


def assert_inert(body: str):
    for pattern in DANGEROUS:
        assert not re.search(pattern, body), pattern


@pytest.fixture
def hostile_question(db):
    payload = "\n\n".join(PAYLOADS)
    return QuestionFactory(
        prompt=f"哪个是 XSS？{PAYLOADS[0]}",
        answer=f"**粗体** {payload}",
        explanation=payload,
        key_points=[(PAYLOADS[1], PAYLOADS[3]), ("正常要点", PAYLOADS[4])],
    )


def test_hostile_question_content_renders_inert_for_candidates(user_client, user, hostile_question):
    card = user_client.get("/practice/next/").content.decode()
    assert "&lt;script&gt;" in card
    assert_inert(card)
    token = user_client.get("/practice/next/").context["form"]["token"].value()
    user_client.post(f"/practice/questions/{hostile_question.pk}/reveal/", {"answer": PAYLOADS[1], "token": token})
    attempt = Attempt.objects.get(user=user)
    revealed = user_client.get(f"/practice/attempts/{attempt.pk}/").content.decode()
    assert "<strong>粗体</strong>" in revealed  # Markdown still works
    assert_inert(revealed)


def test_hostile_answers_render_inert_in_the_interview_report(user_client, user, hostile_question):
    QuestionFactory.create_batch(2, topic=hostile_question.topic)
    user_client.post(
        "/interviews/new/",
        {"question_count": 3, "timing": "per_question", "minutes_per_question": 3, "total_minutes": 15},
    )
    interview = Interview.objects.get(user=user)
    for position in (1, 2, 3):
        user_client.get(f"/interviews/{interview.pk}/")  # serving a question opens it
        user_client.post(f"/interviews/{interview.pk}/questions/{position}/next/", {"answer": " ".join(PAYLOADS)})
    report = user_client.get(f"/interviews/{interview.pk}/report/").content.decode()
    assert "&lt;img src=x" in report
    assert_inert(report)


def test_htmx_posts_need_the_csrf_token(user, hostile_question):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post(
        f"/practice/questions/{hostile_question.pk}/reveal/", {"answer": "x"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert not Attempt.objects.exists()
    page = strict.get("/practice/next/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page  # the token htmx sends with every request


def test_responses_carry_security_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
