from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import isoformat, timestamp


class Report(db.Model):
    """A reader's report of a comment; one per reader and comment."""

    __tablename__ = "reports"
    __table_args__ = (db.UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_reporter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(db.ForeignKey("comments.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(db.Text)
    created_at = timestamp()
    # Set when a moderator decides the comment; open reports are those without it.
    resolved_at = mapped_column(db.DateTime, nullable=True, index=True)

    reporter = relationship("User")
    comment = relationship("Comment")

    def to_dict(self):
        return {
            "id": self.id,
            "comment_id": self.comment_id,
            "reporter": self.reporter.username,
            "reason": self.reason,
            "created_at": isoformat(self.created_at),
            "resolved_at": isoformat(self.resolved_at),
        }
