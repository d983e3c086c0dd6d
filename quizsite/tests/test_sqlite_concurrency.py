"""The embedded default: SQLite waits for a lock instead of failing with "database is locked".

A deferred transaction that has read and then writes cannot wait (SQLite answers SQLITE_BUSY at
once, since waiting could deadlock), so two requests that each read then write made one a 500.
With immediate transactions the second waits at BEGIN for the busy timeout; WAL lets readers on.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.utils import ConnectionHandler


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    # These tests open their own SQLite files, not the test database.
    with django_db_blocker.unblock():
        yield


def sqlite_connections(path):
    """Two independent connections to one SQLite file, configured as the site configures SQLite."""
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": getattr(settings, "SQLITE_OPTIONS", {})}
    return ConnectionHandler({"default": database, "first": database, "second": database})


def read_then_write(handler, alias: str, started: threading.Event, pause: float, errors: list) -> None:
    """One request's transaction, begun as Django's atomic() begins it on SQLite."""
    connection = handler[alias]  # opened in this thread, as each server thread opens its own
    try:
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (n,) = cursor.fetchone()
            started.set()
            time.sleep(pause)
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
        connection.commit()
    except OperationalError as exc:
        errors.append(exc)
    finally:
        started.set()
        connection.close()


def test_two_transactions_that_read_then_write_both_succeed(tmp_path):
    handler = sqlite_connections(tmp_path / "site.sqlite3")
    with handler["first"].cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    handler["first"].close()
    errors: list = []
    started = threading.Event()
    slow = threading.Thread(target=read_then_write, args=(handler, "first", started, 0.3, errors))
    slow.start()
    started.wait(5)
    fast = threading.Thread(target=read_then_write, args=(handler, "second", threading.Event(), 0, errors))
    fast.start()
    slow.join()
    fast.join()
    assert errors == []
    with handler["first"].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (2,)  # neither increment was lost
    handler["first"].close()


def test_the_file_is_in_wal_mode(tmp_path):
    handler = sqlite_connections(tmp_path / "site.sqlite3")
    with handler["first"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
    handler["first"].close()
