"""SQLAlchemy models, one module per domain."""

from .article import Article
from .comment import Comment
from .decision import ScoringDecision
from .embed import EmbedOrigin, EmbedPage, EmbedToken
from .export import ExportJob
from .history import ModerationAction
from .membership import Membership, MembershipAudit, PaymentEvent, Tier
from .outbox import OutboxMessage
from .reaction import Reaction
from .report import Report
from .setting import Setting
from .user import User
from .worker import WorkerHeartbeat

__all__ = [
    "Article",
    "Comment",
    "ScoringDecision",
    "EmbedOrigin",
    "EmbedPage",
    "EmbedToken",
    "ExportJob",
    "Membership",
    "MembershipAudit",
    "ModerationAction",
    "OutboxMessage",
    "PaymentEvent",
    "Reaction",
    "Report",
    "Setting",
    "Tier",
    "User",
    "WorkerHeartbeat",
]
