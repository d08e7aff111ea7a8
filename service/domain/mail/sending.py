"""Outgoing mail: always written to the outbox table, and sent over SMTP when configured."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from ...extensions import db
from ...models import OutboxMessage
from ...models.base import utcnow

log = logging.getLogger(__name__)


def send_mail(user, subject, body, about=None, to=None):
    """Queue a message to `user` in the caller's transaction; SMTP delivery is best effort.

    `about`: the reader whose words the message quotes, if another (a reply notice).
    `to`: another address of theirs (confirming a new one), instead of the account's."""
    message = OutboxMessage(
        recipient=to or user.email, user_id=user.id, about_user_id=about.id if about is not None else None,
        subject=subject, body=body,
    )
    db.session.add(message)
    log.info("mail to user %s: %s", user.id, subject)
    if current_app.config["SMTP_HOST"]:
        _deliver(message)
    return message


def _deliver(message):
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
        message.sent_at = utcnow()
    except (OSError, smtplib.SMTPException) as exc:
        # The outbox keeps the message; a failed send never fails the request.
        message.error = str(exc)
        log.warning("SMTP delivery to %s failed: %s", message.recipient, exc)
