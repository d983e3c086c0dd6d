"""Every candidate page runs as many SQL queries for a long history in a large bank as for a short one."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from interviews.models import Interview
from interviews.services import InterviewSettings, interview_start
from practice.models import Attempt
from progress.demo import seed_demo, seed_questions
from questions.tests.factories import QuestionFactory, TopicFactory


def pages_of(username: str) -> tuple[Client, dict[str, str]]:
    user = get_user_model().objects.get(username=username)
    # The running interview holds questions that the history never touched, so every other page shows.
    fresh = TopicFactory()
    QuestionFactory.create_batch(3, topic=fresh)
    running = interview_start(user=user, choice=InterviewSettings(3, [fresh], 600, None))
    ended = Interview.objects.filter(user=user, status="finished").latest("pk")
    attempt = Attempt.objects.filter(user=user, mode="practice").latest("pk")
    topic = attempt.question.topic.slug
    client = Client()
    client.force_login(user)
    return client, {
        "home": "/",
        "dashboard": "/progress/",
        "topic page": f"/progress/topics/{topic}/",
        "practice topics": "/practice/",
        "practice card": "/practice/next/?scope=all",
        "attempt page": f"/practice/attempts/{attempt.pk}/",
        "interviews": "/interviews/",
        "interview setup": "/interviews/new/",
        "interview question": f"/interviews/{running.pk}/",
        "interview report": f"/interviews/{ended.pk}/report/",
        "profile": "/accounts/profile/",
    }


def query_counts(username: str) -> dict[str, int]:
    client, pages = pages_of(username)
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def test_every_candidate_page_runs_the_same_queries_whatever_the_data(db):
    seed_questions(count=20, topics=3)
    seed_demo(users=1, attempts_per_user=12, prefix="short")
    short = query_counts("short-1")
    seed_questions(count=400, topics=3)
    seed_demo(users=1, attempts_per_user=400, prefix="long")
    long = query_counts("long-1")
    assert long == short
