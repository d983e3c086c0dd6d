"""Multiply seeded candidates inside PostgreSQL, for the 1,000,000-attempt benchmark.

seed_demo builds each candidate's history in Python (scores, FSRS cards, interviews): on this
project's shared two cores that took 15 minutes per 100 candidates x 1,000 attempts. Copying those
candidates' rows with INSERT … SELECT gives the same shape of data (each copy an independent
candidate with its own ids) in a few minutes. Used by bench.py --replicate.
"""

import psycopg
from common import PG


def _columns(db, table: str, *remapped: str) -> str:
    """Every column of a table except its id and the keys the copy remaps, read from the schema (so a column
    added by a later migration is copied too)."""
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return ", ".join(f'"{name}"' for (name,) in rows if name not in ("id", *remapped))


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
    user_columns = _columns(db, "auth_user", "username")
    attempt_columns = _columns(db, "practice_attempt", "user_id")
    point_columns = _columns(db, "practice_attemptkeypoint", "attempt_id")
    card_columns = _columns(db, "practice_reviewcard", "user_id")
    interview_columns = _columns(db, "interviews_interview", "user_id")
    item_columns = _columns(db, "interviews_interviewquestion", "interview_id", "attempt_id")
    run("DROP TABLE IF EXISTS u_map, a_map, i_map")
    run(
        "CREATE TEMP TABLE u_map AS SELECT id AS old, nextval('auth_user_id_seq') AS new, username FROM auth_user"
        " WHERE username ~ %s",
        [rf"^{prefix}-\d+$"],
    )
    run(
        f"INSERT INTO auth_user (id, username, {user_columns}) SELECT m.new, %s || substr(m.username, %s), {user_columns}"
        " FROM auth_user u JOIN u_map m ON u.id = m.old",
        [f"{prefix}-c{k}-", len(prefix) + 2],
    )
    run(
        "CREATE TEMP TABLE a_map AS SELECT a.id AS old, nextval('practice_attempt_id_seq') AS new, m.new AS user_id"
        " FROM practice_attempt a JOIN u_map m ON a.user_id = m.old"
    )
    run(
        f"INSERT INTO practice_attempt (id, user_id, {attempt_columns}) SELECT x.new, x.user_id, {attempt_columns}"
        " FROM practice_attempt a JOIN a_map x ON a.id = x.old"
    )
    run(
        f"INSERT INTO practice_attemptkeypoint (attempt_id, {point_columns}) SELECT x.new, {point_columns}"
        " FROM practice_attemptkeypoint r JOIN a_map x ON r.attempt_id = x.old"
    )
    run(
        f"INSERT INTO practice_reviewcard (user_id, {card_columns}) SELECT m.new, {card_columns}"
        " FROM practice_reviewcard c JOIN u_map m ON c.user_id = m.old"
    )
    run(
        "CREATE TEMP TABLE i_map AS SELECT i.id AS old, nextval('interviews_interview_id_seq') AS new,"
        " m.new AS user_id FROM interviews_interview i JOIN u_map m ON i.user_id = m.old"
    )
    run(
        f"INSERT INTO interviews_interview (id, user_id, {interview_columns}) SELECT x.new, x.user_id, {interview_columns}"
        " FROM interviews_interview i JOIN i_map x ON i.id = x.old"
    )
    run(
        f"INSERT INTO interviews_interviewquestion (interview_id, attempt_id, {item_columns}) SELECT x.new, a.new, {item_columns}"
        " FROM interviews_interviewquestion q JOIN i_map x ON q.interview_id = x.old"
        " LEFT JOIN a_map a ON q.attempt_id = a.old"
    )
    run(
        "INSERT INTO progress_activity (user_id, token, changed_at)"
        " SELECT new, md5(random()::text), now() FROM u_map"
    )
