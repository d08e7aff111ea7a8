from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import isoformat, utcnow


class ModerationAction(db.Model):
    """One row per state change of a comment: who (a user, or None for the system), what, why, when."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(db.ForeignKey("comments.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(db.String(32))
    from_status: Mapped[str | None] = mapped_column(db.String(16))
    to_status: Mapped[str | None] = mapped_column(db.String(16))
    reason: Mapped[str | None] = mapped_column(db.Text)
    created_at = mapped_column(db.DateTime, default=utcnow, nullable=False, index=True)

    actor = relationship("User", foreign_keys=[actor_id])

    def to_dict(self):
        return {
            "id": self.id,
            "comment_id": self.comment_id,
            "actor": self.actor.username if self.actor else "system",
            "action": self.action,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "reason": self.reason,
            "created_at": isoformat(self.created_at),
        }
