"""Multiply seeded candidates inside PostgreSQL, for the 1,000,000-attempt benchmark.

seed_demo builds each candidate's history in Python (scores, FSRS cards, interviews): on this
project's shared two cores that took 15 minutes per 100 candidates x 1,000 attempts. Copying those
candidates' rows with INSERT … SELECT gives the same shape of data (each copy an independent
candidate with its own ids) in a few minutes. Used by bench.py --replicate.
"""

import psycopg
from common import PG

# (table, columns copied as they are besides id and the remapped keys)
USERS = "password, last_login, is_superuser, first_name, last_name, email, is_staff, is_active, date_joined"
ATTEMPT = (
    "mode, answer, answered_in_head, auto_score, score, scorer_version, rating, seconds_taken, card_token,"
    " created_at, rated_at, question_id, version_id"
)
KEY_POINT = "position, label, auto_covered, covered, key_point_id"
CARD = "state, step, stability, difficulty, due, last_review, reviews, lapses, question_id"
INTERVIEW = "status, favour_weak_topics, seconds_per_question, total_seconds, started_at, deadline, finished_at"
ITEM = "position, status, opened_at, deadline, closed_at, timed_out, draft, draft_saved_at, question_id, version_id"


def replicate(database: str, prefix: str, copies: int) -> None:
    """Add `copies` copies of every candidate named PREFIX-N, as PREFIX-cK-N."""
    with psycopg.connect(f"{PG}/{database}", autocommit=False) as db:
        # The originals get an activity stamp too (seed_demo gives one; a run interrupted before it may not).
        db.execute(
            "INSERT INTO progress_activity (user_id, token, changed_at) SELECT id, md5(random()::text), now()"
            " FROM auth_user WHERE username ~ %s ON CONFLICT DO NOTHING",
            [rf"^{prefix}-\d+$"],
        )
        for k in range(1, copies + 1):
            _copy_once(db, prefix, k)
            db.commit()


def _copy_once(db, prefix: str, k: int) -> None:
    run = db.execute
    run("DROP TABLE IF EXISTS u_map, a_map, i_map")
    run(
        "CREATE TEMP TABLE u_map AS SELECT id AS old, nextval('auth_user_id_seq') AS new, username FROM auth_user"
        " WHERE username ~ %s",
        [rf"^{prefix}-\d+$"],
    )
    run(
        f"INSERT INTO auth_user (id, username, {USERS}) SELECT m.new, %s || substr(m.username, %s), {USERS}"
        " FROM auth_user u JOIN u_map m ON u.id = m.old",
        [f"{prefix}-c{k}-", len(prefix) + 2],
    )
    run(
        "CREATE TEMP TABLE a_map AS SELECT a.id AS old, nextval('practice_attempt_id_seq') AS new, m.new AS user_id"
        " FROM practice_attempt a JOIN u_map m ON a.user_id = m.old"
    )
    run(
        f"INSERT INTO practice_attempt (id, user_id, {ATTEMPT}) SELECT x.new, x.user_id, {ATTEMPT}"
        " FROM practice_attempt a JOIN a_map x ON a.id = x.old"
    )
    run(
        f"INSERT INTO practice_attemptkeypoint (attempt_id, {KEY_POINT}) SELECT x.new, {KEY_POINT}"
        " FROM practice_attemptkeypoint r JOIN a_map x ON r.attempt_id = x.old"
    )
    run(
        f"INSERT INTO practice_reviewcard (user_id, {CARD}) SELECT m.new, {CARD}"
        " FROM practice_reviewcard c JOIN u_map m ON c.user_id = m.old"
    )
    run(
        "CREATE TEMP TABLE i_map AS SELECT i.id AS old, nextval('interviews_interview_id_seq') AS new,"
        " m.new AS user_id FROM interviews_interview i JOIN u_map m ON i.user_id = m.old"
    )
    run(
        f"INSERT INTO interviews_interview (id, user_id, {INTERVIEW}) SELECT x.new, x.user_id, {INTERVIEW}"
        " FROM interviews_interview i JOIN i_map x ON i.id = x.old"
    )
    run(
        f"INSERT INTO interviews_interviewquestion (interview_id, attempt_id, {ITEM}) SELECT x.new, a.new, {ITEM}"
        " FROM interviews_interviewquestion q JOIN i_map x ON q.interview_id = x.old"
        " LEFT JOIN a_map a ON q.attempt_id = a.old"
    )
    run(
        "INSERT INTO progress_activity (user_id, token, changed_at)"
        " SELECT new, md5(random()::text), now() FROM u_map"
    )
