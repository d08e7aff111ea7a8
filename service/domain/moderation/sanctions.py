"""What moderators can do to a commenter: warn, suspend, ban, pre-moderate, release, reinstate."""

from datetime import timedelta

from ...errors import Forbidden, NotFound
from ...extensions import db
from ...models import ModerationAction, User
from ...models.base import utcnow
from ...schemas.acts import Sanction
from ..embed import tokens
from ..mail.compose import send


def _target(user_id, moderator):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    if user.is_deleted:
        raise Forbidden("This account was deleted; there is no one to sanction.")
    if user.id == moderator.id:
        raise Forbidden("You cannot sanction yourself.")
    if user.is_moderator and not moderator.is_admin:
        raise Forbidden("Only an admin can sanction a moderator.")
    return user


def apply_sanction(user_id, moderator, action, reason=None, days=None):
    """Apply one sanction and record it; the user is told by mail."""
    sanction = Sanction.check({"action": action, "reason": reason, "days": days})
    action, reason = sanction.action, sanction.reason
    user = _target(user_id, moderator)
    details = {}
    if action == "suspend":
        until = utcnow() + timedelta(days=sanction.days)
        user.status, user.suspended_until = "suspended", until
        details["until"] = until.isoformat(timespec="minutes")
    elif action == "ban":
        user.status, user.suspended_until = "banned", None
        # Cookie sessions end through the user loader; widget sign-ins are revoked for good,
        # so reinstating the account later does not bring old tokens back to life.
        tokens.revoke_all(user)
    elif action == "reinstate":
        user.status, user.suspended_until = "active", None
    elif action == "premoderate":
        user.premoderated = True
    elif action == "release":
        user.premoderated = user.auto_premoderated = False
    db.session.add(
        ModerationAction(user_id=user.id, actor_id=moderator.id, action=action, reason=reason, details=details or None)
    )
    send(user, "About your account", "sanction", action=action, reason=reason)
    db.session.commit()
    return user
