"""Outgoing mail: requests only write it to the outbox table, in their own transaction; the
worker loop delivers it over SMTP where configured (`deliver_due`), retrying with a growing
wait and recording each failure on the row.

Sending inside the request made a request as slow as the mail server (1.5 s for a reset to a
registered address, 0.01 s for an unknown one: an oracle for who has an account) and lost
the message when the server was briefly away.
"""

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select

from ...extensions import db
from ...models import OutboxMessage
from ...models.base import utcnow

log = logging.getLogger(__name__)
# Mail older than this is not tried any more: a reset link in it has expired, a notice is
# stale, and mail written before delivery moved to the worker is not sent twice.
STALE_AFTER = timedelta(days=1)
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8 … minutes


def send_mail(user, subject, body, about=None, to=None):
    """Queue a message to `user` in the caller's transaction; the worker delivers it.

    `about`: the reader whose words the message quotes, if another (a reply notice).
    `to`: another address of theirs (confirming a new one), instead of the account's."""
    message = OutboxMessage(
        recipient=to or user.email,
        user_id=user.id,
        about_user_id=about.id if about is not None else None,
        subject=subject,
        body=body,
    )
    db.session.add(message)
    log.info("mail to user %s: %s", user.id, subject)
    return message


def _next_due(now):
    """The oldest message ready to go, locked for this worker until it commits; on PostgreSQL
    one another worker holds is skipped, so no message goes out twice."""
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.kind.is_(None),  # composed (a reset request waits for the worker to write it)
            OutboxMessage.attempts < current_app.config["MAIL_MAX_ATTEMPTS"],
            OutboxMessage.created_at > now - STALE_AFTER,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.session.scalar(query)


def deliver_due(limit=20):
    """Send up to `limit` due messages over SMTP, one transaction each (the row stays locked
    while it is sent). Returns how many were tried; 0 without SMTP_HOST (then the outbox and
    the log are the mail)."""
    if not current_app.config["SMTP_HOST"]:
        return 0
    tried = 0
    while tried < limit:
        message = _next_due(utcnow())
        if message is None:
            break
        _deliver(message)  # sent, or its next try set in the future: not picked again here
        db.session.commit()
        tried += 1
    return tried


def _deliver(message):
    """One try: sent, or the error and when to try again recorded on the row."""
    config = current_app.config
    message.attempts += 1
    try:
        # Built inside the try: a message that cannot be built (a bad header) is a failure
        # recorded on its row like any other, not an error that stalls the queue behind it.
        email = EmailMessage()
        email["From"] = config["MAIL_FROM"]
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            if config["SMTP_STARTTLS"]:
                # Verify the server's certificate and name: without a context smtplib accepts
                # any certificate, and a password sent after STARTTLS would go to whoever answered.
                smtp.starttls(context=ssl.create_default_context(cafile=config["SMTP_CA_FILE"] or None))
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        message.error = f"attempt {message.attempts}: {exc}"[:2000]
        message.next_attempt_at = utcnow() + FIRST_RETRY * 2 ** (message.attempts - 1)
        log.warning("SMTP delivery of message %s failed (attempt %s): %s", message.id, message.attempts, exc)
        return
    message.sent_at, message.error, message.next_attempt_at = utcnow(), None, None
