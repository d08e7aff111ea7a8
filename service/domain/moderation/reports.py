"""Readers reporting comments, and hiding a comment once enough readers have."""

from sqlalchemy.exc import IntegrityError

from ...errors import Conflict, Forbidden
from ...extensions import db
from ...models import Report
from ...schemas.comments import Report as ReportBody
from .open_reports import report_added
from .settings import current as current_settings
from .statuses import change_status

REASONS = ("spam", "abuse or harassment", "hate speech", "threat", "off topic", "misinformation", "other")


def report_comment(comment, reporter, reason):
    """Record one reader's report; at the site's threshold a visible comment is hidden for review."""
    reason = ReportBody.check({"reason": reason}).reason
    if comment.is_deleted:
        raise Forbidden("This comment was deleted.")
    if comment.author_id == reporter.id:
        raise Forbidden("You cannot report your own comment.")
    db.session.add(Report(comment_id=comment.id, reporter_id=reporter.id, reason=reason))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("You have already reported this comment.") from None
    report_added(comment)
    _hide_if_reported_enough(comment)
    db.session.commit()


def _hide_if_reported_enough(comment):
    threshold = current_settings()["report_hide_threshold"]
    # Read after this report's increment, which holds the comment's row lock on PostgreSQL:
    # concurrent reporters each see the ones committed before them, so the threshold is met.
    count = comment.open_reports
    if comment.status in ("published", "review") and count >= threshold:
        change_status(comment, "held", "hide", reason=f"hidden after {count} reports", details={"reports": count})
