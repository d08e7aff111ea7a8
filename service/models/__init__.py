"""SQLAlchemy models, one module per domain."""
from .article import Article
from .comment import Comment
from .history import ModerationAction
from .membership import Membership, MembershipAudit, PaymentEvent, Tier
from .outbox import OutboxMessage
from .user import User

__all__ = ["Article", "Comment", "Membership", "MembershipAudit", "ModerationAction", "OutboxMessage", "PaymentEvent", "Tier", "User"]
