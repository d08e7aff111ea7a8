from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class OutboxMessage(db.Model):
    """Every email Parley sends is written here first; SMTP delivery is optional."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(db.String(254), index=True)
    subject: Mapped[str] = mapped_column(db.String(300))
    body: Mapped[str] = mapped_column(db.Text)
    created_at = mapped_column(db.DateTime, default=utcnow, nullable=False, index=True)
    sent_at = mapped_column(db.DateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(db.Text)
