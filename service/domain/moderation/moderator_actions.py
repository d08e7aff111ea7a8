"""A moderator's act on a comment: approve, reject, feature or un-feature it.

The system's verdict on a scored comment lives in verdicts.py; both change the status
through statuses.change_status, so every change is a row in the moderation history.
"""

from sqlalchemy import select, update

from ...errors import Conflict, NotFound
from ...extensions import db
from ...models import Comment, Report
from ...schemas.acts import Decision
from ..mail import notifications
from ..threads.comments import comment_view
from . import open_reports
from .statuses import ACTION_STATUS, change_status
from .verdicts import update_auto_premoderation

# Where each moderator action may start from; anything else is already decided (409).
# A comment with open reports may also be approved or rejected whatever its status, and a
# moderator may take down any published comment by saying they saw it published.
ALLOWED_FROM = {
    "approve": {"pending", "held", "review"},
    "reject": {"pending", "held", "review"},
    "feature": {"pending", "held", "review", "published"},
    "unfeature": {"pending", "held", "review", "published", "rejected"},
}


def _conflict(comment, message, viewer):
    return Conflict(message, extra={"comment": comment_view(comment, viewer)})


def _check_action(comment, action, moderator, expected_status):
    if comment.status == "deleted":
        raise _conflict(comment, "The author deleted this comment.", moderator)
    if expected_status is not None and expected_status != comment.status:
        raise _conflict(comment, f"This comment is now {comment.status}, not {expected_status}.", moderator)
    allowed = comment.status in ALLOWED_FROM[action]
    if action in ("approve", "reject") and comment.status in ("published", "review") and has_open_reports(comment):
        allowed = True
    if action == "reject" and comment.status == "published" and expected_status == "published":
        allowed = True
    flag_already = {"feature": comment.featured, "unfeature": not comment.featured}.get(action, False)
    if flag_already:
        allowed = False
    if not allowed:
        state = ("featured" if comment.featured else "not featured") if flag_already else comment.status
        raise _conflict(comment, f"Already decided: this comment is {state}.", moderator)


PAST = {"approve": "approved", "reject": "rejected", "feature": "featured", "unfeature": "un-featured"}


def _status_after(comment, action):
    """Un-featuring only takes the mark away; the comment stays where it was."""
    return ACTION_STATUS.get(action, comment.status)


def has_open_reports(comment):
    return (
        db.session.scalar(
            select(Report.id).where(Report.comment_id == comment.id, Report.resolved_at.is_(None)).limit(1)
        )
        is not None
    )


def moderate(comment_id, moderator, action, reason=None, expected_status=None):
    """A moderator approves, rejects or features a comment.

    `expected_status` is the status the moderator saw, when the client knows it. The update
    only applies if the comment is still as it was read (same status, revision and feature
    flag), so a second moderator acting at once gets a 409 with the current state instead
    of silently overwriting the first.
    """
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("No such comment.")
    decision = Decision.check({"action": action, "reason": reason, "expected_status": expected_status})
    action, reason, expected_status = decision.action, decision.reason, decision.expected_status
    _check_action(comment, action, moderator, expected_status)
    was_waiting = comment.status in ("pending", "held") and action != "unfeature"
    new_status = _status_after(comment, action)
    featured = (comment.featured or action == "feature") and action != "unfeature"
    claimed = db.session.execute(
        update(Comment)
        .where(
            Comment.id == comment.id,
            Comment.status == comment.status,
            Comment.revision == comment.revision,
            Comment.featured == comment.featured,
        )
        .values(featured=featured)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(comment)
        raise _conflict(comment, f"Another moderator got there first: this comment is now {comment.status}.", moderator)
    comment.featured = featured
    text = reason or f"{PAST[action]} by a moderator"
    change_status(comment, new_status, action, actor=moderator, reason=text)
    if action != "unfeature":  # taking a mark away decides nothing readers reported
        open_reports.resolve_all(comment)
    if was_waiting:
        notifications.comment_decided(comment, action, reason)
    if new_status == "published" and was_waiting:
        notifications.reply_published(comment)
    db.session.flush()
    update_auto_premoderation([comment.author])
    db.session.commit()
    return comment
