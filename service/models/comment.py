from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from .base import isoformat, timestamp

STATUSES = ("pending", "published", "review", "held", "rejected", "deleted")
# The toxicity score, worst first, as PostgreSQL spells the expression back (so the migration
# check compares like with like); a query's CAST(scores ->> 'toxicity' AS FLOAT) is the same.
TOXICITY_DESC = "((scores ->> 'toxicity'::text)::double precision) DESC NULLS LAST"
# The same on SQLite, as queues.py writes it there (its NULLs sort last in a descending order).
SQLITE_TOXICITY_DESC = "CAST(json_extract(scores, '$.toxicity') AS FLOAT) DESC"


def _sqlite_toxicity_index(name, where):
    """A queue's comments worst toxicity first, on SQLite: one partial index per condition a
    queue's query states literally (SQLite uses a partial index only when the query's WHERE
    holds its WHERE term for term, so `status = 'review'` cannot use one on `status IN (…)`)."""
    return db.Index(name, text(SQLITE_TOXICITY_DESC), "id", sqlite_where=text(where)).ddl_if(dialect="sqlite")


# What readers other than the author may see.
PUBLIC_STATUSES = ("published", "review")


class CommentFacts:
    """What a comment's status and author say about who sees it: shared by the mapped Comment
    and the plain rows an article page reads (domain.threads.threads.ShownComment)."""

    __slots__ = ()

    @property
    def is_deleted(self):
        return self.status == "deleted"

    def visible_to(self, user):
        """Others see published and review-state comments; authors and moderators see everything."""
        if self.status in PUBLIC_STATUSES or self.is_deleted:
            return True
        if user is None or not user.is_authenticated:
            return False
        return user.id == self.author_id or user.is_moderator


class Comment(CommentFacts, db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        db.Index("ix_comments_article_status_created", "article_id", "status", "created_at"),
        # A page of an article's top-level comments, in order, from a keyset cursor.
        db.Index("ix_comments_article_parent_created", "article_id", "parent_id", "created_at", "id"),
        # The same, most respected first (the thread's "Most respected" sort).
        db.Index("ix_comments_article_parent_respect", "article_id", "parent_id", "respect_count", "created_at", "id"),
        # A page of a queue (one status at a time), newest or oldest first, from a keyset cursor.
        db.Index("ix_comments_status_created", "status", "created_at", "id"),
        # The reported queue, in order, reads only the comments with open reports (a few
        # thousand among millions), never every report. The query must say `open_reports > 0`
        # literally (not as a bound parameter) for the planner to pick this index.
        db.Index(
            "ix_comments_reported",
            "created_at",
            "id",
            postgresql_where=text("open_reports > 0"),
            sqlite_where=text("open_reports > 0"),
        ),
        # The queues worst toxicity first (the default score sort), on PostgreSQL: per status
        # for the pending and review queues, and the reported comments on their own. Queries
        # write the score key, the statuses and `open_reports > 0` as literals to match them
        # (see queues.py). SQLite reads scores with json_extract() and would never use them.
        db.Index(
            "ix_comments_queue_toxicity",
            "status",
            text(TOXICITY_DESC),
            "id",
            postgresql_where=text("status IN ('pending', 'held', 'review')"),
        ).ddl_if(dialect="postgresql"),
        db.Index(
            "ix_comments_reported_toxicity",
            text(TOXICITY_DESC),
            "id",
            postgresql_where=text("open_reports > 0"),
        ).ddl_if(dialect="postgresql"),
        # SQLite's: without them the score sort read and sorted a whole queue (the review queue
        # at 200,000 comments: 25-31 ms a page, 14 with them). The reported queue is a few
        # hundred comments read through ix_comments_reported, which SQLite prefers anyway.
        _sqlite_toxicity_index("ix_comments_pending_toxicity", "status = 'pending'"),
        _sqlite_toxicity_index("ix_comments_held_toxicity", "status = 'held'"),
        _sqlite_toxicity_index("ix_comments_review_toxicity", "status = 'review'"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(db.ForeignKey("articles.id"), index=False)
    parent_id: Mapped[int | None] = mapped_column(db.ForeignKey("comments.id"), index=True)
    # The top-level comment of this one's thread (itself for a top-level comment), so the
    # replies of a page of threads load in one indexed query. Set on insert (see below).
    root_id: Mapped[int | None] = mapped_column(db.ForeignKey("comments.id"), index=True)
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    depth: Mapped[int] = mapped_column(default=0)
    body: Mapped[str] = mapped_column(db.Text)
    status: Mapped[str] = mapped_column(db.String(16), default="pending")
    scores = mapped_column(db.JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(db.Text)
    # Bumped by every edit: a decision is for one revision, and a stale one is never applied.
    revision: Mapped[int] = mapped_column(default=0)
    featured: Mapped[bool] = mapped_column(default=False)
    # Scoring attempts of the current revision; failures back off, then hold for a human.
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at = mapped_column(db.DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(db.Text)
    created_at = timestamp()
    edited_at = mapped_column(db.DateTime, nullable=True)
    deleted_at = mapped_column(db.DateTime, nullable=True)
    # How many readers' reports of this comment are still open: kept by
    # service/domain/moderation/open_reports.py in the same transaction as each report and resolution,
    # so the reported queue is an index range instead of a join over every report.
    open_reports: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    # How many readers gave this comment their "Respect" (the reactions table), kept by
    # service/domain/reactions.py in the same transaction as each reaction.
    respect_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    article = relationship("Article")
    author = relationship("User")
    parent = relationship("Comment", remote_side=[id], foreign_keys=[parent_id])
    decisions = relationship("ScoringDecision", back_populates="comment", order_by="ScoringDecision.id")

    def to_dict(self, viewer=None):
        """The row's fields; `domain.threads.comments.comment_view` adds the author's tier."""
        deleted = self.is_deleted
        data = {
            "id": self.id,
            "article": self.article.slug,
            "parent_id": self.parent_id,
            "author": None if deleted else {"username": self.author.username},
            "body": "" if deleted else self.body,
            "status": self.status,
            "created_at": isoformat(self.created_at),
            "edited_at": isoformat(self.edited_at),
            "featured": self.featured,
            "respect": 0 if deleted else self.respect_count,
        }
        if viewer is not None and viewer.is_authenticated and (viewer.id == self.author_id or viewer.is_moderator):
            data["scores"] = self.scores
            data["reason"] = self.reason
        return data


@event.listens_for(Comment, "before_insert")
def _reply_root(mapper, connection, comment):
    """A reply belongs to its parent's thread."""
    if comment.root_id is not None or comment.parent_id is None:
        return
    parent = comment.__dict__.get("parent")  # only if already loaded: no lazy load inside a flush
    if parent is not None and parent.root_id is not None:
        comment.root_id = parent.root_id
    else:
        comment.root_id = connection.scalar(select(Comment.root_id).where(Comment.id == comment.parent_id))


@event.listens_for(Comment, "after_insert")
def _own_root(mapper, connection, comment):
    """A top-level comment is its own thread's root; its id exists only once it is inserted."""
    if comment.root_id is None and comment.parent_id is None:
        connection.execute(update(Comment).where(Comment.id == comment.id).values(root_id=comment.id))
        # Tell the session without marking the object dirty (no second UPDATE at flush).
        set_committed_value(comment, "root_id", comment.id)
