"""Tiers, memberships and perks.

Whether a membership is active is derived from its dates each time it is read:
  - only confirmed records count (a manual request waits for an admin);
  - it is active from starts_at up to ends_at (open-ended when ends_at is empty);
  - a recurring one that was not cancelled keeps a grace period past ends_at, because a
    renewal (a Stripe invoice, an admin's extension) may arrive a little late.
A member's tier is the highest-ranked tier among their active memberships, so overlapping,
back-dated and future records need no special handling. Everyone is at least a reader.
"""

import calendar
import operator
from datetime import timedelta

from flask import current_app, g, has_app_context
from sqlalchemy import DateTime, and_, bindparam, not_, or_, select

from ...errors import ValidationError
from ...extensions import db
from ...models import Membership, MembershipAudit, Tier
from ...models.base import utcnow
from ..ids import among
from ..statements import once

BASE_TIER = "reader"
# The refusal on members-only articles; pages add a link to Support us after it.
MEMBERS_ONLY = "Comments on this article are open to members only."
DEFAULT_TIERS = (
    {
        "slug": "reader",
        "name": "Reader",
        "description": "Free with every account: read everything and comment on open articles.",
        "kind": "free",
        "price_minor": 0,
        "interval": "none",
        "rank": 0,
    },
    {
        "slug": "subscriber",
        "name": "Subscriber",
        "description": "Support the newsroom every month and join the members' discussions.",
        "kind": "subscription",
        "price_minor": 500,
        "interval": "monthly",
        "rank": 10,
        "members_comments": True,
        "badge": "Subscriber",
        "rate_limit_multiplier": 2,
    },
    {
        "slug": "sponsor",
        "name": "Sponsor",
        "description": "A yearly contribution that keeps the reporting free for everyone, "
        "with your name on our sponsors page if you like.",
        "kind": "sponsorship",
        "price_minor": 5000,
        "interval": "yearly",
        "rank": 20,
        "members_comments": True,
        "trusted_commenter": True,
        "badge": "Sponsor",
        "rate_limit_multiplier": 3,
    },
)


# --- dates -------------------------------------------------------------------------------


def add_months(when, months):
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def period_end(start, recurrence):
    """Where one paid period that began at `start` ends; None for one without a period."""
    if recurrence == "monthly":
        return add_months(start, 1)
    if recurrence == "yearly":
        return add_months(start, 12)
    return None


def grace():
    return timedelta(days=current_app.config["MEMBERSHIP_GRACE_DAYS"])


def effective_end(membership, grace_period):
    """The moment the membership stops counting, or None while it is open-ended."""
    if membership.ends_at is None:
        return None
    if membership.recurrence != "none" and membership.cancelled_at is None:
        return membership.ends_at + grace_period
    return membership.ends_at


def is_active(membership, now, grace_period):
    if membership.state != "confirmed" or membership.starts_at > now:
        return False
    end = effective_end(membership, grace_period)
    return end is None or now < end


def _effective_end_sql(compare, when, period):
    """effective_end(m, period) `compare` `when` as an SQL condition, for a set ends_at: an
    open renewal's effective end is its ends_at plus the grace period."""
    renewing = and_(Membership.recurrence != "none", Membership.cancelled_at.is_(None))
    return or_(
        and_(renewing, compare(Membership.ends_at, when - period)),
        and_(not_(renewing), compare(Membership.ends_at, when)),
    )


def active_sql(now, period):
    """is_active as an SQL condition, for lists that page in the database: confirmed,
    started, and not past its effective end."""
    return and_(
        Membership.state == "confirmed",
        Membership.starts_at <= now,
        or_(Membership.ends_at.is_(None), _effective_end_sql(operator.gt, now, period)),
    )


def ending_by_sql(when, period):
    """An SQL condition: the effective end (effective_end) is set and at or before `when`."""
    return and_(Membership.ends_at.is_not(None), _effective_end_sql(operator.le, when, period))


def highest_tier(memberships, now, grace_period):
    """The best tier among the active memberships, or None when none is active."""
    active = [m.tier for m in memberships if is_active(m, now, grace_period)]
    # Ties in rank fall to the lower id, so the answer never depends on row order.
    return max(active, key=lambda t: (t.rank, -t.id), default=None)


# --- tier lookup (batched, cached per request) --------------------------------------------


def base_tier():
    """The free tier everyone holds; an unsaved stand-in if an operator deleted its row."""
    cache = _cache()
    if "_base" not in cache:
        cache["_base"] = db.session.scalar(select(Tier).where(Tier.slug == BASE_TIER)) or _stand_in()
    return cache["_base"]


def _stand_in():
    return Tier(
        slug=BASE_TIER,
        name="Reader",
        kind="free",
        rank=0,
        members_comments=False,
        trusted_commenter=False,
        badge=None,
        rate_limit_multiplier=1,
        retired=False,
    )


def _cache():
    # flask.g lives as long as the app context: one request, or one CLI command.
    if not has_app_context():
        return {}
    if "membership_tiers" not in g:
        g.membership_tiers = {}
    return g.membership_tiers


def forget_cached_tiers():
    """Drop cached lookups after a membership or tier changes in this context."""
    if has_app_context():
        g.pop("membership_tiers", None)


def tiers_for(user_ids, now=None):
    """{user_id: Tier} for many users in one query, kept for the rest of the request."""
    now = now or utcnow()
    wanted = {uid for uid in user_ids if uid is not None}
    cache = _cache()
    missing = wanted - cache.keys()
    if missing:
        found = _lookup(missing, now, cache)
        base = base_tier()
        for uid in missing:
            cache[uid] = found.get(uid) or base
    return {uid: cache[uid] for uid in wanted}


def prefetch_tiers(user_ids, now=None):
    """Look up many users' current tiers in one query and keep them for this request (or CLI
    command): call it before showing a page of authors, so each tier or badge costs no query."""
    tiers_for(user_ids, now)


def _lookup(user_ids, now, cache):
    """{user_id: highest active tier} of those who hold one; the base tier is read in the same
    statement when the request has not read it yet (a statement costs a page more CPU than
    the row)."""
    period = grace()
    with_base = "_base" not in cache
    statement = once(("tiers of users", with_base), lambda: _lookup_statement(with_base))
    rows = db.session.execute(statement, {"user_ids": sorted(user_ids), "now": now, "held_since": now - period}).all()
    by_user = {}
    for tier, membership in rows:
        if tier.slug == BASE_TIER:
            cache["_base"] = tier
        if membership is not None:
            by_user.setdefault(membership.user_id, []).append(membership)
    cache.setdefault("_base", _stand_in())
    return {uid: highest_tier(items, now, period) for uid, items in by_user.items() if highest_tier(items, now, period)}


def _lookup_statement(with_base):
    """Every tier held by one of parameter `user_ids` (confirmed, started by `now`, not ended
    before `held_since`) with its membership; and the base tier, membership or none, when
    `with_base`. The SQL filter is a superset (it ignores cancellation); is_active() makes
    the exact call."""
    held = and_(
        Membership.tier_id == Tier.id,
        among(Membership.user_id, name="user_ids"),
        Membership.state == "confirmed",
        Membership.starts_at <= bindparam("now", type_=DateTime),
        or_(Membership.ends_at.is_(None), Membership.ends_at > bindparam("held_since", type_=DateTime)),
    )
    wanted = Membership.id.is_not(None)
    if with_base:
        wanted = or_(wanted, Tier.slug == BASE_TIER)
    return select(Tier, Membership).outerjoin(Membership, held).where(wanted)


def tier_of(user):
    """The Tier a user holds now; the reader tier for anyone signed out."""
    if user is None or not getattr(user, "is_authenticated", False) or user.id is None:
        return base_tier()
    cached = _cache().get(user.id)  # a page of authors asks once each, after prefetch_tiers
    return cached if cached is not None else tiers_for([user.id])[user.id]


def has_perk(user, perk):
    """Whether the user's current tier grants `perk`: "members_comments",
    "trusted_commenter", "badge" (has one) or "rate_limit_multiplier" (above 1).

    The moderation policy calls this for trusted commenters; keep the name and signature.
    """
    if perk not in ("members_comments", "trusted_commenter", "badge", "rate_limit_multiplier"):
        raise ValueError(f"unknown perk {perk!r}")
    value = getattr(tier_of(user), perk)
    return bool(value > 1) if perk == "rate_limit_multiplier" else bool(value)


def rate_limit_multiplier(user):
    return max(1, tier_of(user).rate_limit_multiplier or 1)


# --- tiers --------------------------------------------------------------------------------


def list_tiers(include_retired=False):
    query = select(Tier).order_by(Tier.rank, Tier.id)
    if not include_retired:
        query = query.where(Tier.retired.is_(False))
    return db.session.scalars(query).all()


def get_tier(slug, for_new_membership=True):
    """The tier called `slug`; a 422 when there is none, or when it is retired and a new
    membership would use it."""
    tier = db.session.scalar(select(Tier).where(Tier.slug == slug)) if isinstance(slug, str) else None
    if tier is None:
        raise ValidationError({"tier": "No such tier."})
    if for_new_membership and tier.retired:
        raise ValidationError({"tier": f"The {tier.name} tier is retired; choose another."})
    return tier


def ensure_default_tiers():
    """Create reader, subscriber and sponsor where missing; existing tiers are left alone."""
    created = []
    for spec in DEFAULT_TIERS:
        if db.session.scalar(select(Tier).where(Tier.slug == spec["slug"])) is None:
            tier = Tier(currency=current_app.config["MEMBERSHIP_CURRENCY"], **spec)
            db.session.add(tier)
            db.session.flush()
            audit("tier.create", None, tier=tier, after=tier.to_dict())
            created.append(tier)
    db.session.commit()
    forget_cached_tiers()
    return created


def audit(action, actor, membership=None, tier=None, before=None, after=None):
    """Record a change in the caller's transaction."""
    db.session.add(
        MembershipAudit(
            actor_id=actor.id if actor is not None else None,
            action=action,
            user_id=membership.user_id if membership is not None else None,
            membership_id=membership.id if membership is not None else None,
            tier_id=tier.id if tier is not None else (membership.tier_id if membership is not None else None),
            before=before,
            after=after,
        )
    )


def member_history(user_id):
    """The audit trail of one member, newest first."""
    return db.session.scalars(
        select(MembershipAudit).where(MembershipAudit.user_id == user_id).order_by(MembershipAudit.id.desc())
    ).all()


def tier_history(tier):
    return db.session.scalars(
        select(MembershipAudit)
        .where(MembershipAudit.tier_id == tier.id, MembershipAudit.membership_id.is_(None))
        .order_by(MembershipAudit.id.desc())
    ).all()
