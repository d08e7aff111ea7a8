"""Writing memberships: grants, requests and their confirmation, extension, cancellation,
refund notes and sponsors-page listings. Each change is audited in the same transaction,
and each validates its payload (service/schemas/grants.py) before writing anything."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, not_, or_, select

from ...errors import Conflict, Forbidden, NotFound, ValidationError
from ...extensions import db
from ...models import Membership, Tier
from ...models.base import utcnow
from ...schemas.grants import Confirm, Decline, Extend, Grant, Listing, Refund, RequestTerms
from ..threads import cursors
from . import notices
from .fields import check_member
from .perks import (
    active_sql,
    audit,
    effective_end,
    ending_by_sql,
    forget_cached_tiers,
    grace,
    is_active,
    period_end,
)
from .words import WITHDRAWN_NOTE

LAPSING_DAYS = 30


# --- reading ------------------------------------------------------------------------------


def get_membership(membership_id):
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        raise NotFound("No such membership.")
    return membership


def pending_requests(user):
    """{tier slug: Membership} of a signed-in reader's requests awaiting payment; {} otherwise."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id, Membership.state == "requested"))
    return {m.tier.slug: m for m in rows}


def memberships_of(user_id):
    """A member's records, newest first, requests and lapsed ones included."""
    return db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user_id)
        .order_by(Membership.starts_at.desc(), Membership.id.desc())
    ).all()


# What admins write about a membership for each other: the member's own views (the page and
# the API alike) leave them out.
ADMIN_ONLY_FIELDS = ("note", "refund_note", "recorded_by")


def describe_for_member(membership, now=None):
    """The membership as its member sees it: what `describe` gives, less the admins' notes."""
    data = describe(membership, now)
    for field in ADMIN_ONLY_FIELDS:
        data.pop(field, None)
    return data


def describe(membership, now=None):
    """The membership as the admin API shows it, with its derived state."""
    now = now or utcnow()
    data = {"id": membership.id, **membership.snapshot(), "tier_name": membership.tier.name}
    data["user"] = membership.user.username
    data["active"] = is_active(membership, now, grace())
    end = effective_end(membership, grace())
    data["active_until"] = end.isoformat(timespec="seconds") + "Z" if end else None
    data["recorded_by"] = membership.recorded_by.username if membership.recorded_by else None
    return data


PAGE = 100  # memberships on one page of the admins' list


def _filtered(tier=None, active=None, lapsing=False, source=None, state=None, now=None):
    """The admin's filters as one query, newest first. `active` and `lapsing` (active, and
    stopping within 30 days) are derived from dates and the grace period; they are written
    in SQL, so a page of the list reads only its own rows."""
    now, period = now or utcnow(), grace()
    query = (
        select(Membership)
        .join(Membership.tier)
        .join(Membership.user)
        .order_by(Membership.starts_at.desc(), Membership.id.desc())
    )
    if tier:
        query = query.where(Tier.slug == tier)
    if source:
        query = query.where(Membership.source == source)
    if state:
        query = query.where(Membership.state == state)
    if active is not None:
        query = query.where(active_sql(now, period) if active else not_(active_sql(now, period)))
    if lapsing:
        query = query.where(active_sql(now, period), ending_by_sql(now + timedelta(days=LAPSING_DAYS), period))
    return query


def requests_waiting():
    """How many requests await payment (the admin's link to them says)."""
    return db.session.scalar(select(func.count()).select_from(Membership).where(Membership.state == "requested"))


def list_memberships(**filters):
    """Every membership matching the admin's filters, newest first (the API and the CSV)."""
    return db.session.scalars(_filtered(**filters)).all()


@dataclass(frozen=True)
class MembershipPage:
    rows: list
    next: str = None  # the cursor of the following page; None on the last


def page_memberships(limit=PAGE, cursor=None, **filters):
    """One page of list_memberships, continued by `cursor` (keyset on start and id)."""
    query = _filtered(**filters)
    if cursor:
        starts_at, membership_id = cursors.decode(cursor, ("time", "id"))
        query = query.where(
            or_(
                Membership.starts_at < starts_at,
                and_(Membership.starts_at == starts_at, Membership.id < membership_id),
            )
        )
    rows = db.session.scalars(query.limit(limit + 1)).all()
    if len(rows) <= limit:
        return MembershipPage(rows)
    rows = rows[:limit]
    return MembershipPage(rows, cursors.encode([rows[-1].starts_at, rows[-1].id]))


# --- admin writes -------------------------------------------------------------------------


def grant(user, data, actor):
    """Record a membership an admin grants or a payment they received (a sponsorship too)."""
    check_member(user)
    clean = Grant.check(data).columns()
    membership = Membership(user=user, state="confirmed", recorded_by=actor, **clean)
    db.session.add(membership)
    db.session.flush()
    audit("membership.grant", actor, membership=membership, after=membership.snapshot())
    return _commit(membership)


def _commit(membership):
    db.session.commit()
    forget_cached_tiers()
    return membership


def _change(membership, actor, action, apply):
    """Apply a change to a membership and audit it with before and after."""
    before = membership.snapshot()
    apply()
    audit(action, actor, membership=membership, before=before, after=membership.snapshot())
    return _commit(membership)


def extend(membership, actor, data):
    if membership.state != "confirmed":
        raise Conflict("Only a confirmed membership can be extended; confirm the request first.")
    if membership.ends_at is None:
        raise Conflict("This membership is open-ended already.")
    ends_at = Extend.check(data).ends_at
    if ends_at <= membership.ends_at:
        raise ValidationError({"ends_at": "Extend to a date after the current end."})

    def apply():
        membership.ends_at = ends_at

    return _change(membership, actor, "membership.extend", apply)


def _next_boundary(membership, now):
    """The end of the paid period running at `now` for an open-ended recurring membership."""
    end = membership.starts_at
    while end <= now:
        end = period_end(end, membership.recurrence)
    return end


def cancel(membership, actor, immediately=False):
    """Stop renewal. By default the member keeps the period already paid for (and loses the
    grace period); `immediately` ends it now."""
    if membership.state != "confirmed":
        raise Conflict("Only a confirmed membership can be cancelled; decline a request instead.")
    if membership.cancelled_at is not None and not immediately:
        raise Conflict("This membership is cancelled already.")
    now = utcnow()

    def apply():
        membership.cancelled_at = membership.cancelled_at or now
        if immediately:
            membership.ends_at = max(min(membership.ends_at or now, now), membership.starts_at)
        elif membership.ends_at is None:
            recurring = membership.recurrence != "none"
            membership.ends_at = _next_boundary(membership, now) if recurring else max(now, membership.starts_at)

    return _change(membership, actor, "membership.cancel_now" if immediately else "membership.cancel", apply)


def note_refund(membership, actor, data):
    refund = Refund.check(data)
    note, end_now = refund.refund_note, refund.end_now
    if end_now and membership.state != "confirmed":
        raise Conflict("Only a confirmed membership can be ended.")

    def apply():
        now = utcnow()
        membership.refunded_at = now
        membership.refund_note = note
        if end_now:
            membership.cancelled_at = membership.cancelled_at or now
            membership.ends_at = max(min(membership.ends_at or now, now), membership.starts_at)

    return _change(membership, actor, "membership.refund", apply)


def update_listing(membership, actor, data):
    """The sponsors page entry: opt-in, name shown, and position."""
    listing = Listing.check(data).model_dump()

    def apply():
        for field, value in listing.items():
            setattr(membership, field, value)

    return _change(membership, actor, "membership.listing", apply)


# --- the manual provider: a reader's request, confirmed by an admin -------------------------


def request_checks(user, tier):
    """Whether this user may ask for this tier at all (any provider)."""
    check_member(user)
    if tier.kind == "free" or tier.retired:
        raise ValidationError({"tier": "Choose a paid tier that is on offer."})


def request_membership(user, tier, data):
    """Record what a reader asked for; nothing is active until an admin confirms payment."""
    request_checks(user, tier)
    pending = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.tier_id == tier.id, Membership.state == "requested"
        )
    )
    if pending is not None:
        raise Conflict(f"You already asked for {tier.name}; we will confirm it when your payment arrives.")
    terms = RequestTerms.check(data, tier=tier, amounts=tier.kind == "sponsorship")
    membership = Membership(
        user=user,
        tier=tier,
        state="requested",
        starts_at=utcnow(),
        amount_minor=terms.amount_major or tier.price_minor,
        currency=tier.currency,
        recurrence=tier.interval,
        source="manual_payment",
        public=terms.public,
        display_name=terms.display_name,
    )
    db.session.add(membership)
    db.session.flush()
    audit("membership.request", user, membership=membership, after=membership.snapshot())
    notices.requested(membership, payment_reference_for(membership))
    return _commit(membership)


def payment_reference_for(membership):
    """What the reader writes on their transfer so an admin can match it."""
    return f"PARLEY-{membership.id}"


def confirm(membership, actor, data):
    """The payment arrived: the membership starts now and runs one period (open-ended for
    one-off tiers)."""
    if membership.state != "requested":
        raise Conflict("Only a pending request can be confirmed.")
    reference = Confirm.check(data).payment_reference
    check_member(membership.user)

    def apply():
        now = utcnow()
        membership.state = "confirmed"
        membership.payment_reference = reference
        membership.recorded_by = actor
        membership.starts_at = now
        membership.ends_at = period_end(now, membership.recurrence)
        notices.confirmed(membership)

    return _change(membership, actor, "membership.confirm", apply)


def decline(membership, actor, data):
    if membership.state != "requested":
        raise Conflict("Only a pending request can be declined.")
    note = Decline.check(data).note

    def apply():
        membership.state = "declined"
        membership.note = note or membership.note
        notices.declined(membership)

    return _change(membership, actor, "membership.decline", apply)


def cancel_own(membership, user):
    """A member cancels their own membership; it runs to the end of the period."""
    if membership.user_id != user.id:
        raise Forbidden("That is not your membership.")
    if membership.state == "requested":
        return decline(membership, user, {"note": WITHDRAWN_NOTE})
    return cancel(membership, user)
