"""Waking scoring workers when a comment arrives, so none waits for its next poll.

In one process a threading.Event does it. The embedded default's scoring child is woken
through a pipe from its web process (a waker, background/embedded.py). Across processes and
hosts on PostgreSQL, a NOTIFY sent in the transaction that stores the comment reaches every
worker LISTENing, and only once that transaction commits. Polling stays as the fallback
either way.
"""

import contextlib
import logging
import threading
import time

from sqlalchemy import text

log = logging.getLogger(__name__)
CHANNEL = "parley_pending"

# Set when a comment may be waiting to be scored; the in-process worker waits on it between
# polls. (Named for the wake-up, not the `pending` status or queue.)
wakeup = threading.Event()
# Other workers this process wakes: callables taking no argument, that must not block.
_wakers = []


def notify_in_transaction(session):
    """Queue a NOTIFY with the caller's transaction (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def wake_workers():
    """Called after a pending comment is committed."""
    wakeup.set()
    for wake in _wakers:
        wake()


def add_waker(wake):
    """Call `wake()` on every wake-up from now on (the scoring child's pipe)."""
    _wakers.append(wake)


class Listener:
    """A dedicated PostgreSQL connection LISTENing for new pending comments.

    If the server restarts, the connection is gone for good; the listener reconnects on its
    own (trying at most once per `wait`), so a worker goes back to instant wake-ups instead of
    polling for the rest of its life.
    """

    def __init__(self, url):
        self.url = url
        self.conn = None
        self._connect()

    def _connect(self):
        import psycopg

        self.conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def _reconnect(self, timeout):
        """True once listening again; False (after sleeping `timeout`) while the server is down."""
        try:
            self._connect()
        except Exception as exc:
            self.conn = None
            time.sleep(timeout)
            log.debug("LISTEN reconnect failed: %s", exc)
            return False
        log.info("LISTEN connection restored")
        return True

    def wait(self, timeout):
        """Block until a notification or the timeout; True if woken.

        A restored connection counts as a wake-up: comments stored while nobody listened
        sent their NOTIFY into the void, so the caller should look at the queue now.
        """
        if self.conn is None:
            return self._reconnect(timeout)
        try:
            for _ in self.conn.notifies(timeout=timeout, stop_after=1):
                return True
        except Exception as exc:  # the server went away or restarted
            log.warning("LISTEN connection lost (%s); reconnecting, polling meanwhile", exc.__class__.__name__)
            self.close()
            self.conn = None
            return False
        return False

    def close(self):
        if self.conn is not None:
            with contextlib.suppress(Exception):  # already broken
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
