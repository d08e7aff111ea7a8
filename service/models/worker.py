from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import isoformat, timestamp


class WorkerHeartbeat(db.Model):
    """What each scoring worker last said about itself, so /healthz can speak for all of them."""

    __tablename__ = "worker_heartbeats"

    id: Mapped[str] = mapped_column(db.String(120), primary_key=True)  # host:pid:thread
    model_name: Mapped[str | None] = mapped_column(db.String(100))
    model_version: Mapped[str | None] = mapped_column(db.String(100))
    # 'starting', 'ok' or 'error'; the error says why the model could not load.
    state: Mapped[str] = mapped_column(db.String(16), default="starting")
    error: Mapped[str | None] = mapped_column(db.Text)
    started_at = timestamp()
    last_seen = timestamp(index=True)

    def to_dict(self):
        return {
            "id": self.id,
            "model": self.model_name,
            "model_version": self.model_version,
            "state": self.state,
            "error": self.error,
            "last_seen": isoformat(self.last_seen),
        }
