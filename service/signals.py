"""Waking scoring workers when a comment arrives, so none waits for its next poll.

In one process a threading.Event does it. Across processes and hosts on PostgreSQL, a
NOTIFY sent in the transaction that stores the comment reaches every worker LISTENing,
and only once that transaction commits. Polling stays as the fallback either way.
"""
import logging
import threading

from sqlalchemy import text

log = logging.getLogger(__name__)
CHANNEL = "parley_pending"

# The in-process worker waits on this between polls.
pending = threading.Event()


def notify_in_transaction(session):
    """Queue a NOTIFY with the caller's transaction (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def wake_workers():
    """Called after a pending comment is committed."""
    pending.set()


class Listener:
    """A dedicated PostgreSQL connection LISTENing for new pending comments."""

    def __init__(self, url):
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout):
        """Block until a notification or the timeout; True if woken."""
        for _ in self.conn.notifies(timeout=timeout, stop_after=1):
            return True
        return False

    def close(self):
        self.conn.close()


def make_listener(engine):
    """A Listener for PostgreSQL engines, None elsewhere (or if it cannot connect)."""
    if engine.dialect.name != "postgresql":
        return None
    try:
        return Listener(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    except Exception as exc:  # polling still works without it
        log.warning("LISTEN unavailable, polling only: %s", exc)
        return None
