from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import isoformat, timestamp


class ScoringDecision(db.Model):
    """The system's decision on one revision of a comment: scores, model, outcome and why.

    The unique (comment_id, revision) pair is what makes "exactly one system decision per
    comment" a rule of the schema rather than of the workers' good behaviour.
    """

    __tablename__ = "decisions"
    __table_args__ = (db.UniqueConstraint("comment_id", "revision", name="uq_decisions_comment_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(db.ForeignKey("comments.id"))
    revision: Mapped[int] = mapped_column()
    outcome: Mapped[str] = mapped_column(db.String(16))
    rule: Mapped[str] = mapped_column(db.String(32))
    reason: Mapped[str] = mapped_column(db.Text)
    scores = mapped_column(db.JSON, nullable=True)
    # Character spans that drove the toxicity score, for highlighting in the queue.
    spans = mapped_column(db.JSON, nullable=True)
    model_name: Mapped[str | None] = mapped_column(db.String(100))
    model_version: Mapped[str | None] = mapped_column(db.String(100))
    # The comment's language as moderation.language detected it ("de", "en", "unsure");
    # NULL for decisions made before it was detected.
    language: Mapped[str | None] = mapped_column(db.String(16))
    created_at = timestamp(index=True)

    comment = relationship("Comment", back_populates="decisions")

    def to_dict(self):
        return {
            "revision": self.revision,
            "outcome": self.outcome,
            "rule": self.rule,
            "reason": self.reason,
            "scores": self.scores,
            "spans": self.spans,
            "model": self.model_name,
            "model_version": self.model_version,
            "language": self.language,
            "created_at": isoformat(self.created_at),
        }
