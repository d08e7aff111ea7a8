"""Membership: tiers (with their perks), members' records, the audit trail and Stripe's events.

Money is always an integer count of the currency's minor units (cents) with an ISO 4217 code.
Whether a membership is active is never stored: service.domain.membership.perks derives it from
the dates whenever it is read, so nothing has to run at midnight to expire anyone.
"""

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import isoformat, timestamp

INTERVALS = ("none", "monthly", "yearly")
KINDS = ("free", "subscription", "sponsorship")
SOURCES = ("admin_grant", "manual_payment", "stripe")
# A manual request waits as `requested` until an admin confirms the payment (or declines it).
STATES = ("requested", "confirmed", "declined")
PERKS = ("members_comments", "trusted_commenter", "badge", "rate_limit_multiplier")


class Tier(db.Model):
    __tablename__ = "tiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The slug is what the API calls the tier's name; it never changes, the display name may.
    slug: Mapped[str] = mapped_column(db.String(40), unique=True)
    name: Mapped[str] = mapped_column(db.String(80))
    description: Mapped[str] = mapped_column(db.Text, default="")
    kind: Mapped[str] = mapped_column(db.String(16), default="subscription")
    price_minor: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(db.String(3), default="EUR")
    interval: Mapped[str] = mapped_column(db.String(8), default="monthly")
    # Higher rank wins when a member holds several active memberships at once.
    rank: Mapped[int] = mapped_column(default=0)
    members_comments: Mapped[bool] = mapped_column(default=False)
    trusted_commenter: Mapped[bool] = mapped_column(default=False)
    badge: Mapped[str | None] = mapped_column(db.String(40))
    rate_limit_multiplier: Mapped[int] = mapped_column(default=1)
    retired: Mapped[bool] = mapped_column(default=False)
    created_at = timestamp()
    updated_at = timestamp(onupdate=True)

    def to_dict(self):
        return {
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            "kind": self.kind,
            "price": self.price_minor,
            "currency": self.currency,
            "interval": self.interval,
            "rank": self.rank,
            "perks": {
                "members_comments": self.members_comments,
                "trusted_commenter": self.trusted_commenter,
                "badge": self.badge,
                "rate_limit_multiplier": self.rate_limit_multiplier,
            },
            "retired": self.retired,
        }

    def __repr__(self):
        return f"<Tier {self.slug}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (db.Index("ix_memberships_user_state", "user_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=False)
    tier_id: Mapped[int] = mapped_column(db.ForeignKey("tiers.id"), index=True)
    state: Mapped[str] = mapped_column(db.String(16), default="confirmed")
    starts_at = mapped_column(db.DateTime, nullable=False)
    ends_at = mapped_column(db.DateTime, nullable=True)  # None: open-ended
    amount_minor: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(db.String(3))
    recurrence: Mapped[str] = mapped_column(db.String(8), default="none")
    source: Mapped[str] = mapped_column(db.String(16))
    payment_reference: Mapped[str | None] = mapped_column(db.String(200))
    # The provider's handle (a Stripe subscription or checkout session id) for webhooks to find it by.
    external_id: Mapped[str | None] = mapped_column(db.String(255), index=True)
    note: Mapped[str | None] = mapped_column(db.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    # Cancelling stops renewal (and the grace period); the membership runs to ends_at.
    cancelled_at = mapped_column(db.DateTime, nullable=True)
    refunded_at = mapped_column(db.DateTime, nullable=True)
    refund_note: Mapped[str | None] = mapped_column(db.Text)
    # The public sponsors page: opt-in, the name to show, and the admin's chosen order.
    public: Mapped[bool] = mapped_column(default=False)
    display_name: Mapped[str | None] = mapped_column(db.String(80))
    public_order: Mapped[int] = mapped_column(default=0)
    created_at = timestamp()
    updated_at = timestamp(onupdate=True)

    user = relationship("User", foreign_keys=[user_id])
    tier = relationship("Tier")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    def snapshot(self):
        """The stored fields, as the audit trail keeps them before and after a change."""
        return {
            "user_id": self.user_id,
            "tier": self.tier.slug if self.tier else None,
            "state": self.state,
            "starts_at": isoformat(self.starts_at),
            "ends_at": isoformat(self.ends_at),
            "amount": self.amount_minor,
            "currency": self.currency,
            "recurrence": self.recurrence,
            "source": self.source,
            "payment_reference": self.payment_reference,
            "note": self.note,
            "cancelled_at": isoformat(self.cancelled_at),
            "refunded_at": isoformat(self.refunded_at),
            "refund_note": self.refund_note,
            "public": self.public,
            "display_name": self.display_name,
            "public_order": self.public_order,
        }

    def __repr__(self):
        return f"<Membership {self.id} user={self.user_id} tier={self.tier_id}>"


class MembershipAudit(db.Model):
    """Every change to a tier or a membership: who (None for the payment provider), what, when,
    and the record before and after."""

    __tablename__ = "membership_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(db.String(32))
    # The member concerned (None for tier changes), kept so a member's history is one query.
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    membership_id: Mapped[int | None] = mapped_column(db.ForeignKey("memberships.id"), index=True)
    tier_id: Mapped[int | None] = mapped_column(db.ForeignKey("tiers.id"), index=True)
    before = mapped_column(db.JSON, nullable=True)
    after = mapped_column(db.JSON, nullable=True)
    created_at = timestamp(index=True)

    actor = relationship("User", foreign_keys=[actor_id])

    def to_dict(self):
        return {
            "id": self.id,
            "actor": self.actor.username if self.actor else "system",
            "action": self.action,
            "user_id": self.user_id,
            "membership_id": self.membership_id,
            "tier_id": self.tier_id,
            "before": self.before,
            "after": self.after,
            "created_at": isoformat(self.created_at),
        }


class PaymentEvent(db.Model):
    """A provider event already applied; its id as primary key makes a replay a no-op."""

    __tablename__ = "payment_events"

    id: Mapped[str] = mapped_column(db.String(255), primary_key=True)
    provider: Mapped[str] = mapped_column(db.String(16))
    type: Mapped[str] = mapped_column(db.String(80))
    outcome: Mapped[str] = mapped_column(db.String(200))
    received_at = timestamp()
