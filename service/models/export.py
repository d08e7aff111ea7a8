"""A reader's request for a copy of their data, and the JSON document built for it.

The document is stored in the row itself rather than in a file: in scaled-out mode the
worker that builds it and the web process that serves it may be on different hosts, and
the database is the one thing they share.
"""

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import isoformat, timestamp, utcnow

STATES = ("queued", "running", "ready", "failed")


class ExportJob(db.Model):
    __tablename__ = "export_jobs"
    __table_args__ = (db.Index("ix_export_jobs_status_requested", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(db.String(16), default="queued")
    requested_at = timestamp()
    started_at = mapped_column(db.DateTime, nullable=True)
    finished_at = mapped_column(db.DateTime, nullable=True)
    # After this the document is purged; the reader asks for a fresh one.
    expires_at = mapped_column(db.DateTime, nullable=True)
    document: Mapped[str | None] = mapped_column(db.Text)  # the JSON text, as downloaded
    size: Mapped[int | None] = mapped_column()  # bytes of the UTF-8 document
    error: Mapped[str | None] = mapped_column(db.Text)

    user = relationship("User")

    @property
    def is_pending(self):
        return self.status in ("queued", "running")

    def is_downloadable(self, now=None):
        return (
            self.status == "ready" and self.document is not None and (self.expires_at or utcnow()) > (now or utcnow())
        )

    def to_dict(self):
        return {
            "id": self.id,
            "status": self.status,
            "requested_at": isoformat(self.requested_at),
            "finished_at": isoformat(self.finished_at),
            "expires_at": isoformat(self.expires_at),
            "size": self.size,
            "error": self.error,
        }
