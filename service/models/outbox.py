from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import timestamp


class OutboxMessage(db.Model):
    """Every email Parley sends is written here first, in the transaction that causes it; the
    worker loop delivers it over SMTP where configured (service/domain/mail/sending.py), with retries."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(db.String(254), index=True)
    # The account it is addressed to, and the reader it quotes (a reply notice), by id: what
    # deleting an account removes or scrubs (service/domain/accounts/deletion.py), never by pattern.
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    about_user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    # None: a message ready to deliver. "password_reset": a reset asked for this address, which
    # the worker turns into the message (or drops, when no account has the address), so the
    # request does the same work whether or not the address is registered.
    kind: Mapped[str | None] = mapped_column(db.String(32))
    subject: Mapped[str] = mapped_column(db.String(300))
    body: Mapped[str] = mapped_column(db.Text)
    created_at = timestamp(index=True)
    sent_at = mapped_column(db.DateTime, nullable=True)
    # Delivery by the worker: how many tries so far, when the next may run, the last failure.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at = mapped_column(db.DateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(db.Text)
