"""Telling members when a membership lapses. Nothing expires anyone (activity is worked out
from dates when read), so the notice is the one thing that must run: a worker's turn sends
what is due, and an audit row ("membership.lapsed") marks each notice sent, exactly once."""

from datetime import timedelta

from sqlalchemy import and_, exists, or_, select

from ...extensions import db
from ...models import Membership, MembershipAudit
from ...models.base import utcnow
from . import notices
from .perks import audit, grace, is_active, tiers_for

# Older lapses than this are history, not news: a first run on an old site mails nobody about them.
RECENT = timedelta(days=30)


def _due(now, limit):
    """Confirmed memberships that ended lately, past any grace period, not yet noticed."""
    period = grace()
    in_grace = and_(Membership.recurrence != "none", Membership.cancelled_at.is_(None))
    noticed = exists().where(
        MembershipAudit.membership_id == Membership.id, MembershipAudit.action == "membership.lapsed"
    )
    query = (
        select(Membership)
        .where(
            Membership.state == "confirmed",
            Membership.ends_at.is_not(None),
            Membership.ends_at < now,
            or_(~in_grace, Membership.ends_at < now - period),  # as effective_end() has it
            Membership.ends_at > now - RECENT - period,
            ~noticed,
        )
        .order_by(Membership.ends_at, Membership.id)
        .limit(limit)
    )
    # Two workers at once: each takes its own rows, so no member hears twice.
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Membership)
    return db.session.scalars(query).all()


def notify_lapsed(now=None, limit=50):
    """Mail each member whose membership lapsed (unless they hold that tier or a higher one
    through another membership) and record it; returns how many were handled."""
    now = now or utcnow()
    due = [m for m in _due(now, limit) if not is_active(m, now, grace())]  # is_active: the exact call
    holding = tiers_for({m.user_id for m in due}, now)
    for membership in due:
        still = holding.get(membership.user_id)
        told = (still is None or still.rank < membership.tier.rank) and not membership.user.is_deleted
        if told:
            notices.lapsed(membership)
        audit("membership.lapsed", None, membership=membership, after={**membership.snapshot(), "mailed": told})
    db.session.commit()
    return len(due)
