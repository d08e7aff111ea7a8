"""Password resets (issue 14, item 4): limited per address and per client, the same work
whether or not the address has an account, and mail that leaves the request.

Before: 40 resets to one address in 2.2 s, and with SMTP configured a registered address
answered in 1.5 s (mail was sent inside the request) and an unknown one in 0.01 s. Now the
request writes one outbox row either way; the worker composes it (or drops it) and delivers
it, retrying with a growing wait and recording each failure.
"""

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import delete, event, select, update

from service.extensions import db
from service.models import OutboxMessage
from service.models.base import utcnow

from ..conftest import deliver_mail, nothing_changes
from .conftest import from_address


def test_resets_are_limited_per_address(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_LIMIT_PER_ADDRESS", "2 per hour")
    before = queued(app)  # the scene's own mail
    statuses = [
        from_address(app, f"10.2.0.{i}").form("/forgot", {"email": "rita@example.com"}).status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert (
        from_address(app, "10.2.0.9").form("/forgot", {"email": " RITA@example.com "}).status_code == 429
    )  # one inbox
    assert from_address(app, "10.2.0.9").form("/forgot", {"email": "otto@example.com"}).status_code == 302
    resets = sorted(before + ["otto@example.com", "rita@example.com", "rita@example.com"])
    assert queued(app) == resets  # none for the refused ones


def queued(app):
    """Who the outbox holds a reset for, once the worker has composed the queued requests."""
    deliver_mail(app)
    with app.app_context():
        return sorted(db.session.scalars(select(OutboxMessage.recipient)))


def test_resets_are_limited_per_client(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_LIMIT_PER_IP", "3 per hour")
    api = from_address(app, "10.3.0.1")
    statuses = [api.form("/forgot", {"email": f"probe{i}@example.com"}).status_code for i in range(3)]
    with nothing_changes(app):
        refused = api.form("/forgot", {"email": "rita@example.com"})  # a real account: it would get mail
    assert statuses == [302, 302, 302] and refused.status_code == 429


class FakeSMTP:
    """smtplib.SMTP standing in for a mail server: records what it is given; fails while `down`."""

    sent, down = [], False

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.down:
            raise ConnectionRefusedError("mail server down")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message["To"])


@pytest.fixture
def smtp(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "smtp.example.com")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent, FakeSMTP.down = [], False
    with app.app_context():  # the scene's own notices: not what these tests count
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
    return FakeSMTP


def statements_of(app, request):
    """The SQL a request runs (text only): equal lists mean the same path."""
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = request()
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    return response, seen


def test_a_reset_takes_the_same_path_for_known_and_unknown_addresses(app, world, smtp):
    api = from_address(app, "10.4.0.1")
    api.token()
    known, known_sql = statements_of(app, lambda: api.form("/forgot", {"email": "rita@example.com"}))
    unknown, unknown_sql = statements_of(app, lambda: api.form("/forgot", {"email": "nobody@example.com"}))
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert known_sql == unknown_sql and any("INSERT INTO outbox" in s for s in known_sql)
    assert smtp.sent == []  # nothing left inside the request
    deliver_mail(app)
    assert smtp.sent == ["rita@example.com"]  # the worker sent the one with an account
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage.recipient)).all() == ["rita@example.com"]


def test_the_worker_retries_failed_delivery_and_records_each_failure(app, world, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    from_address(app, "10.5.0.1").form("/forgot", {"email": "rita@example.com"})
    smtp.down = True
    deliver_mail(app)
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert (message.attempts, message.sent_at) == (1, None) and "mail server down" in message.error
        assert message.next_attempt_at > utcnow()
    assert deliver_mail(app) == 0  # not before its next try

    def due_now():
        with app.app_context():
            db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
            db.session.commit()

    due_now()
    assert deliver_mail(app) == 1
    smtp.down = False
    due_now()
    deliver_mail(app)
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.attempts == 3 and message.sent_at is not None and message.error is None
    assert smtp.sent == ["rita@example.com"]


def test_delivery_gives_up_after_the_last_attempt(app, world, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    from_address(app, "10.6.0.1").form("/forgot", {"email": "rita@example.com"})
    smtp.down = True
    for _ in range(4):
        deliver_mail(app)
        with app.app_context():
            db.session.execute(update(OutboxMessage).values(next_attempt_at=None))
            db.session.commit()
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.attempts == 2 and message.sent_at is None and "attempt 2" in message.error
