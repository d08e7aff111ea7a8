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
        return report_dict(self, self.reporter.username)


def report_dict(r, reporter):
    """A report as the API and the cards show it: `r` is a Report, or a row of the table's
    columns, and `reporter` the reporter's username."""
    return {
        "id": r.id,
        "comment_id": r.comment_id,
        "reporter": reporter,
        "reason": r.reason,
        "created_at": isoformat(r.created_at),
        "resolved_at": isoformat(r.resolved_at),
    }
