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
        return decision_dict(self)


def decision_dict(d):
    """A decision as the API and the cards show it: `d` is a ScoringDecision, or a row of the
    table's columns (queues read a page's decisions as rows: no objects to build)."""
    return {
        "revision": d.revision,
        "outcome": d.outcome,
        "rule": d.rule,
        "reason": d.reason,
        "scores": d.scores,
        "spans": d.spans,
        "model": d.model_name,
        "model_version": d.model_version,
        "language": d.language,
        "created_at": isoformat(d.created_at),
    }
