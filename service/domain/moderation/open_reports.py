"""The count of a comment's open reports, kept on the comment (`comments.open_reports`).

The reports table stays the record; the counter exists so that "comments with open reports"
is an index range (ix_comments_reported) rather than a join over every open report. Each
change goes through here, in the transaction that changes the reports, so the two never
disagree.

Both updates are single SQL statements on the comment's row: on PostgreSQL the row lock
orders concurrent reporters (each adds one to what the one before committed), and a
resolution that sets the count to zero resolved every report committed before it; a report
that commits after it adds its one on top.
"""

from sqlalchemy import update

from ...extensions import db
from ...models import Comment, Report
from ...models.base import utcnow


def report_added(comment):
    """One more open report of `comment` (its Report row is already in the session)."""
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(open_reports=Comment.open_reports + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(comment, ["open_reports"])  # the next read sees the count as stored


def resolve_all(comment):
    """A moderator decided `comment`: every open report of it is resolved."""
    db.session.execute(
        update(Report)
        .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(open_reports=0)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(comment, ["open_reports"])
