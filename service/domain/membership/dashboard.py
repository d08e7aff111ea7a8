"""What the membership dashboard and the CSV export show. Everything is derived from the
memberships' dates at read time, the same way a member's tier is."""

import csv
import io
from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Membership
from ...models.base import isoformat, utcnow
from .money import to_major
from .perks import add_months, effective_end, grace, highest_tier, is_active, list_tiers


def month_starts(now, count):
    """The first instants of the last `count` months, oldest first, this month included."""
    this_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return [add_months(this_month, -back) for back in range(count - 1, -1, -1)]


def _confirmed():
    return db.session.scalars(
        select(Membership).where(Membership.state == "confirmed").options(selectinload(Membership.tier))
    ).all()


def active_per_tier(memberships, points, period):
    """{tier slug: [members holding it as their tier at each point]}."""
    by_user = defaultdict(list)
    for membership in memberships:
        by_user[membership.user_id].append(membership)
    counts = []
    for point in points:
        tiers = (highest_tier(items, point, period) for items in by_user.values())
        counts.append(Counter(t.slug for t in tiers if t is not None and t.kind != "free"))
    slugs = sorted({slug for c in counts for slug in c})
    return {slug: [c.get(slug, 0) for c in counts] for slug in slugs}


def _month_index(when, starts):
    """Which of the months beginning at `starts` contains `when`, or None if none does."""
    first = starts[0]
    index = (when.year - first.year) * 12 + when.month - first.month
    return index if 0 <= index < len(starts) else None


def new_and_lapsed(memberships, starts, now, period):
    """Per month: memberships that began, and memberships that stopped counting."""
    new, lapsed = [0] * len(starts), [0] * len(starts)
    for membership in memberships:
        if membership.tier.kind == "free":
            continue
        index = _month_index(membership.starts_at, starts)
        if index is not None and membership.starts_at <= now:
            new[index] += 1
        end = effective_end(membership, period)
        index = _month_index(end, starts) if end is not None and end <= now else None
        if index is not None:
            lapsed[index] += 1
    return new, lapsed


def monthly_value(membership):
    """What a recurring membership brings in per month, in minor units (yearly / 12, rounded)."""
    if membership.recurrence == "monthly":
        return membership.amount_minor
    if membership.recurrence == "yearly":
        return round(membership.amount_minor / 12)
    return 0


def mrr(memberships, points, period):
    """{currency: [monthly recurring revenue at each point]}, in minor units."""
    series = defaultdict(lambda: [0] * len(points))
    for index, point in enumerate(points):
        for membership in memberships:
            if membership.recurrence != "none" and is_active(membership, point, period):
                series[membership.currency][index] += monthly_value(membership)
    return dict(series)


def sponsorship_totals(memberships, starts, now):
    """{currency: [sponsorship money received per month]} and all-time totals per currency."""
    per_month = defaultdict(lambda: [0] * len(starts))
    all_time = Counter()
    for membership in memberships:
        if membership.tier.kind != "sponsorship" or membership.starts_at > now:
            continue
        all_time[membership.currency] += membership.amount_minor
        index = _month_index(membership.starts_at, starts)
        if index is not None:
            per_month[membership.currency][index] += membership.amount_minor
    return dict(per_month), dict(all_time)


def dashboard(now=None, months=12):
    now = now or utcnow()
    starts = month_starts(now, months)
    # Each month is measured at its end (or now, for the month that is running).
    points = [min(add_months(start, 1), now) for start in starts]
    memberships = _confirmed()
    period = grace()
    new, lapsed = new_and_lapsed(memberships, starts, now, period)
    sponsorships, sponsorship_all_time = sponsorship_totals(memberships, starts, now)
    return {
        "labels": [start.strftime("%b %Y") for start in starts],
        "tiers": {t.slug: t.name for t in list_tiers(include_retired=True)},
        "active": active_per_tier(memberships, points, period),
        "new": new,
        "lapsed": lapsed,
        "mrr": mrr(memberships, points, period),
        "sponsorships": sponsorships,
        "sponsorship_all_time": sponsorship_all_time,
    }


CSV_COLUMNS = (
    "membership_id",
    "username",
    "email",
    "tier",
    "state",
    "active",
    "starts_at",
    "ends_at",
    "amount",
    "amount_minor",
    "currency",
    "recurrence",
    "source",
    "payment_reference",
    "cancelled_at",
    "refunded_at",
    "refund_note",
    "note",
    "public",
    "display_name",
)


def _safe(value):
    """Spreadsheets run cells that start with = + - @ as formulas; quote those as text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def members_csv(memberships, now=None):
    now = now or utcnow()
    period = grace()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for m in memberships:
        row = (
            m.id,
            m.user.username,
            m.user.email,
            m.tier.slug,
            m.state,
            "yes" if is_active(m, now, period) else "no",
            isoformat(m.starts_at),
            isoformat(m.ends_at),
            to_major(m.amount_minor, m.currency),
            m.amount_minor,
            m.currency,
            m.recurrence,
            m.source,
            m.payment_reference,
            isoformat(m.cancelled_at),
            isoformat(m.refunded_at),
            m.refund_note,
            m.note,
            "yes" if m.public else "no",
            m.display_name,
        )
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()
