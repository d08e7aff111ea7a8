"""Readers reporting comments, and hiding a comment once enough readers have."""
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, Forbidden, ValidationError
from ..extensions import db
from ..models import Report
from .clean import single_line
from .decisions import change_status
from .settings import current as current_settings

REASONS = ("spam", "abuse or harassment", "hate speech", "threat", "off topic", "misinformation", "other")


def report_comment(comment, reporter, reason):
    """Record one reader's report; at the site's threshold a visible comment is hidden for review."""
    reason = single_line(reason)
    if not isinstance(reason, str) or not reason or len(reason) > 500:
        raise ValidationError({"reason": "Say why, in at most 500 characters."})
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
    _hide_if_reported_enough(comment)
    db.session.commit()


def open_report_count(comment):
    return db.session.scalar(
        select(func.count()).select_from(Report).where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
    )


def _hide_if_reported_enough(comment):
    threshold = current_settings()["report_hide_threshold"]
    count = open_report_count(comment)
    if comment.status in ("published", "review") and count >= threshold:
        change_status(comment, "held", "hide", reason=f"hidden after {count} reports", details={"reports": count})
