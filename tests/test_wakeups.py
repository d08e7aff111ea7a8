"""Worker wake-ups (service/background/wakeups.py) against a real PostgreSQL: LISTEN/NOTIFY, a
notification only once its transaction commits, and the listener finding its way back after
its connection is killed or the server cannot be reached (polling meanwhile)."""

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from service.background import wakeups

URL = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"), reason="LISTEN/NOTIFY needs PostgreSQL (TEST_DATABASE_URL)"
)
SHORT = 0.05  # seconds a wait may block when nothing is expected


@pytest.fixture
def engine():
    engine = create_engine(URL)
    yield engine
    engine.dispose()


@pytest.fixture
def listener(engine):
    listener = wakeups.make_listener(engine)
    assert listener is not None
    yield listener
    listener.close()


def notify(engine, commit=True):
    with Session(engine) as session:
        wakeups.notify_in_transaction(session)
        session.commit() if commit else session.rollback()


def kill(engine, listener):
    """End the listener's server process, as a PostgreSQL restart does."""
    pid = listener.conn.info.backend_pid
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_committed_notify_wakes_the_listener_and_a_rolled_back_one_does_not(engine, listener):
    assert listener.wait(SHORT) is False
    notify(engine, commit=False)
    assert listener.wait(SHORT) is False
    notify(engine)
    assert listener.wait(5) is True
    assert listener.wait(SHORT) is False  # one notification, one wake-up


def test_a_killed_connection_is_replaced_and_the_return_counts_as_a_wake_up(engine, listener):
    kill(engine, listener)
    assert listener.wait(5) is False and listener.conn is None  # lost: the worker polls
    assert listener.wait(SHORT) is True  # listening again: look at the queue now
    notify(engine)
    assert listener.wait(5) is True


def test_while_the_server_cannot_be_reached_the_listener_keeps_trying(engine, listener):
    real = listener.url
    kill(engine, listener)
    assert listener.wait(5) is False
    listener.url = engine.url.set(drivername="postgresql", port=1).render_as_string(hide_password=False)
    assert listener.wait(SHORT) is False and listener.conn is None
    assert listener.wait(SHORT) is False and listener.conn is None
    listener.url = real
    assert listener.wait(SHORT) is True
    notify(engine)
    assert listener.wait(5) is True


def test_no_listener_without_a_reachable_postgresql(engine):
    assert wakeups.make_listener(create_engine("sqlite://")) is None
    assert wakeups.make_listener(create_engine(engine.url.set(port=1))) is None
