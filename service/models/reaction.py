from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import timestamp


class Reaction(db.Model):
    """A reader's "Respect" for a comment: one per reader and comment, taken back by deleting it.
    Comment.respect_count keeps the total, in the same transaction (service/domain/reactions.py)."""

    __tablename__ = "reactions"
    __table_args__ = (db.UniqueConstraint("comment_id", "user_id", name="uq_reactions_comment_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(db.ForeignKey("comments.id"), index=False)  # the unique key's first column
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    created_at = timestamp()
