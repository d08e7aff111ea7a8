from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import isoformat, timestamp


class ModerationAction(db.Model):
    """One row per moderation event: a comment's state change, a sanction on a user, a
    settings change. Who (a user, or None for the system), what, why, when."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(db.ForeignKey("comments.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    # The user the event is about: a comment's author, or the subject of a sanction.
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(db.String(32))
    from_status: Mapped[str | None] = mapped_column(db.String(16))
    to_status: Mapped[str | None] = mapped_column(db.String(16))
    reason: Mapped[str | None] = mapped_column(db.Text)
    details = mapped_column(db.JSON, nullable=True)
    created_at = timestamp(index=True)

    actor = relationship("User", foreign_keys=[actor_id])
    user = relationship("User", foreign_keys=[user_id])
    comment = relationship("Comment")

    def to_dict(self):
        return {
            "id": self.id,
            "comment_id": self.comment_id,
            "actor": self.actor.username if self.actor else "system",
            "user": self.user.username if self.user else None,
            "action": self.action,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "reason": self.reason,
            "details": self.details,
            "created_at": isoformat(self.created_at),
        }
