#!/usr/bin/env python
"""Where each candidate page spends its time at scale: the whole request through Django's test client and its
slowest SQL queries, for the candidate that bench/bench.py measures. Run by hand after bench/bench.py has seeded
its database (`--seed-only` is enough):

    .venv/bin/python bench/page_queries.py             # median of 9 requests per page, the 3 slowest queries
    .venv/bin/python bench/page_queries.py --explain   # and PostgreSQL's plan of each page's slowest query

The cache is emptied before every request, so the figures are what a first view costs (a repeated view of the
dashboard, or of the topic counts, is served from the cache).
"""

import argparse

from common import manage, site_env

from bench import DATABASE

SCRIPT = r"""
import statistics, time
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from interviews.models import Interview
from interviews.services import InterviewSettings, interview_start
from practice.models import Attempt
from questions.models import Question

user = get_user_model().objects.get(username="bench-1")
Interview.objects.filter(user=user, status="in_progress").update(status="abandoned")
ended = Interview.objects.filter(user=user, status="finished").latest("pk")
interview = interview_start(user=user, choice=InterviewSettings(3, [], None, 7200))
topic = Question.objects.filter(attempts__user=user).values_list("topic__slug", flat=True).first()
attempt = Attempt.objects.filter(user=user, mode="practice").exclude(question__in=interview.questions.values("question")).first()
pages = {
    "home": "/", "dashboard": "/progress/", "topic page": f"/progress/topics/{topic}/",
    "practice topics": "/practice/", "practice card": "/practice/next/?scope=all",
    "attempt page": f"/practice/attempts/{attempt.pk}/", "interviews": "/interviews/",
    "interview setup": "/interviews/new/", "interview question": f"/interviews/{interview.pk}/",
    "interview report": f"/interviews/{ended.pk}/report/", "profile": "/accounts/profile/",
}
client = Client(SERVER_NAME="localhost")
client.force_login(user)
for name, path in pages.items():
    spent = []
    for _ in range(9):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            status = client.get(path).status_code
            spent.append((time.perf_counter() - began) * 1000)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(f"{name:20} {statistics.median(spent):7.1f} ms  {len(queries.captured_queries):2} queries {sql_ms:6.1f} ms  (HTTP {status})")
    for q in slowest:
        print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:220]}")
    if EXPLAIN and slowest:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + slowest[0]["sql"])
            print("\n".join("      " + row[0] for row in cursor.fetchall()))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    # No Redis: the per-process cache starts empty, so the pages compute what they show.
    env = site_env(DATABASE, REDIS_URL="")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    manage(env, "shell", "-c", f"EXPLAIN = {args.explain}\n" + SCRIPT)


if __name__ == "__main__":
    main()
