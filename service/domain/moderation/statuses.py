"""A comment's status, and the one way it changes: every change is a row in the moderation
history (a ModerationAction), in the caller's transaction.

The one mapping, outcome -> status -> recorded action (ARCHITECTURE.md points here):
  the policy's Verdict   publish -> published, review -> review, hold -> held, reject -> rejected;
                         recorded with the outcome as its action ("publish", "review", ...)
  a moderator's act      approve -> published, feature -> published, reject -> rejected,
                         unfeature -> unchanged; recorded with the act as its action
  the author             edit -> pending (re-scored), delete -> deleted
  readers' reports       hide -> held, at the report threshold
"""

from ...extensions import db
from ...models import ModerationAction

# The policy's outcome -> the status a comment takes.
OUTCOME_STATUS = {"publish": "published", "review": "review", "hold": "held", "reject": "rejected"}
# A moderator's acts on a comment (domain/moderation/moderator_actions.py).
ACTIONS = ("approve", "reject", "feature", "unfeature")
# A moderator's act -> the status it leaves the comment in (un-featuring leaves it as it is).
ACTION_STATUS = {"approve": "published", "reject": "rejected", "feature": "published"}
# The statuses an author's rejection rate counts (automatic pre-moderation).
DECIDED_STATUSES = ("published", "review", "rejected")


def change_status(comment, to_status, action, actor=None, reason=None, details=None):
    """Move a comment to a new status and record who did it and why, in the caller's transaction."""
    db.session.add(
        ModerationAction(
            comment_id=comment.id,
            user_id=comment.author_id,
            actor_id=actor.id if actor is not None else None,
            action=action,
            from_status=comment.status,
            to_status=to_status,
            reason=reason,
            details=details,
        )
    )
    comment.status = to_status
    comment.reason = reason
