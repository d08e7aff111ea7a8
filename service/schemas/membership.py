"""Tiers, memberships and their audit entries."""

from typing import Literal

from pydantic import Field

from ..domain.membership.fields import RECURRENCES
from ..models.membership import INTERVALS, KINDS, SOURCES, STATES
from . import Answer, Body, Cursor, Query

MINOR = {"ge": 0, "le": 100_000_000, "description": "minor units (cents)"}
CURRENCY = {"pattern": "^[A-Za-z]{3}$", "description": "ISO 4217 code"}


class Perks(Answer):
    members_comments: bool | None = Field(None, description="may comment on members-only articles")
    trusted_commenter: bool | None = Field(None, description="skips the review band, never the hold band")
    badge: str | None = Field(None, description="shown next to the member's name")
    rate_limit_multiplier: int | None = Field(None, description="times the usual rate limits")


class Tier(Answer):
    slug: str
    name: str
    description: str | None = None
    kind: Literal[KINDS]
    price: int = Field(**MINOR)
    currency: str = Field(**CURRENCY)
    interval: Literal[INTERVALS]
    rank: int
    perks: Perks
    retired: bool


class TierAnswer(Answer):
    tier: Tier


class Tiers(Answer):
    tiers: list[Tier]


class Membership(Answer):
    id: int
    user: str
    user_id: int | None = None
    tier: str
    tier_name: str | None = None
    state: Literal[STATES]
    starts_at: str
    ends_at: str | None
    active_until: str | None = None
    active: bool
    amount: int = Field(**MINOR)
    currency: str = Field(**CURRENCY)
    recurrence: Literal[RECURRENCES]
    source: Literal[SOURCES]
    payment_reference: str | None = None
    note: str | None = None
    recorded_by: str | None = None
    cancelled_at: str | None = None
    refunded_at: str | None = None
    refund_note: str | None = None
    public: bool | None = Field(None, description="listed on the sponsors page")
    display_name: str | None = Field(None, description="the name the sponsors page shows")
    public_order: int | None = Field(None, description="where the sponsors page lists it")


class MembershipAnswer(Answer):
    membership: Membership


class Memberships(Answer):
    """Every match; with `?limit=` a page of them, and `next` to continue (null on the last page)."""

    memberships: list[Membership]
    next: str | None = None


class MyMemberships(Answer):
    tier: str
    memberships: list[Membership]


class AuditEntry(Answer):
    id: int
    actor: str
    action: str
    user_id: int | None = None
    membership_id: int | None = None
    tier_id: int | None = None
    before: dict | None = Field(None, description="the membership or tier before the change; null for a new one")
    after: dict | None = Field(None, description="and after it")
    created_at: str


class MemberHistory(Answer):
    tier: str
    memberships: list[Membership]
    history: list[AuditEntry]


class TierHistory(Answer):
    history: list[AuditEntry]


class MembershipQuery(Query):
    tier: str = None
    active: Literal["yes", "no"] = None
    lapsing: Literal["1"] = Field(None, description="active and ending within 30 days")
    source: Literal[SOURCES] = None
    state: Literal[STATES] = None
    limit: int = Field(None, ge=1, le=500, description="a page of this many, newest first; without it, every match")
    cursor: Cursor = None


class Started(Answer):
    """A request an admin confirms, with the reference to pay with; or a Checkout address."""

    membership: Membership | None = None
    payment_reference: str | None = None
    checkout_url: str | None = None
    payment_instructions: str | None = Field(None, description="how to pay (the admins' text); empty when unset")


class StripeEvent(Body):
    """Stripe's event object, as Stripe signs it."""


class Received(Answer):
    received: bool
    outcome: str | None = None
    duplicate: bool | None = None
