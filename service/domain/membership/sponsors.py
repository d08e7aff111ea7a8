"""The public sponsors page: members who opted in, with the name they chose and since when."""

from sqlalchemy import select

from ...extensions import db
from ...models import Membership
from ...models.base import utcnow
from .perks import active_sql, grace


def public_sponsors(now=None):
    """One entry per person with an active, opted-in membership, in the admin's order
    (lower public_order first), then longest-standing first."""
    now = now or utcnow()
    # Only the active ones are read: lapsed listings stay in the table for the record.
    rows = db.session.scalars(select(Membership).where(Membership.public.is_(True), active_sql(now, grace()))).all()
    people = {}
    for membership in rows:
        entry = people.setdefault(
            membership.user_id,
            {"name": None, "since": membership.starts_at, "order": membership.public_order, "tier": membership.tier},
        )
        entry["name"] = entry["name"] or membership.display_name
        entry["since"] = min(entry["since"], membership.starts_at)
        entry["order"] = min(entry["order"], membership.public_order)
        if membership.tier.rank > entry["tier"].rank:
            entry["tier"] = membership.tier
    for user_id, entry in people.items():
        entry["name"] = entry["name"] or next(m.user.username for m in rows if m.user_id == user_id)
    return sorted(people.values(), key=lambda e: (e["order"], e["since"], e["name"].casefold()))
