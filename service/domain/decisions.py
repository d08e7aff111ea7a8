"""Status changes of comments, each recorded in the moderation history.

`decide()` is the seam where scoring plugs in: every new or edited comment is stored as
`pending` and handed to it. Until the scoring pipeline lands it publishes the comment;
it never invents scores.
"""
from ..extensions import db
from ..models import ModerationAction


def change_status(comment, to_status, action, actor=None, reason=None):
    """Move a comment to a new status and record who did it and why, in the caller's transaction."""
    db.session.add(
        ModerationAction(
            comment_id=comment.id,
            actor_id=actor.id if actor is not None else None,
            action=action,
            from_status=comment.status,
            to_status=to_status,
            reason=reason,
        )
    )
    comment.status = to_status
    comment.reason = reason


def decide(comment):
    """Decide the fate of a pending comment. No scorer yet: publish it."""
    change_status(comment, "published", "publish", reason="published without scoring (no scorer configured)")


def scorer_name():
    """The model that scores comments; none until the scoring pipeline lands."""
    return "none"
