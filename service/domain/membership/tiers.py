"""Admins add, rename, price and retire tiers and set their perks; every change is audited."""

from sqlalchemy import select

from ...errors import Conflict, NotFound, ValidationError
from ...extensions import db
from ...models import Tier
from ...schemas.tiers import NEW_TIER, NewTier, TierChange
from .perks import BASE_TIER, audit, forget_cached_tiers


def get_tier_by_slug(slug):
    tier = db.session.scalar(select(Tier).where(Tier.slug == slug))
    if tier is None:
        raise NotFound("No such tier.")
    return tier


def _clean(data, tier):
    """The fields of `data` checked and cleaned (all of them for a new tier), by the one model the
    API documents (service/schemas/tiers.py); every wrong field is named at once."""
    if tier is None:
        return NewTier.check({**NEW_TIER, **data}).changes()
    return TierChange.check({k: v for k, v in data.items() if k != "slug"}, currency=tier.currency).changes()


def _check_base(tier, clean):
    if tier is not None and tier.slug == BASE_TIER:
        if clean.get("retired"):
            raise Conflict("The reader tier is everyone's; it cannot be retired.")
        if clean.get("kind", "free") != "free":
            raise ValidationError({"kind": "The reader tier stays free."})


def save_tier(data, actor, tier=None):
    """Create a tier, or change the fields of `tier` that `data` names."""
    clean = _clean(data, tier)
    _check_base(tier, clean)
    if tier is None and db.session.scalar(select(Tier.id).where(Tier.slug == clean["slug"])) is not None:
        raise Conflict("A tier with that slug exists.", {"slug": "Already used."})
    before = tier.to_dict() if tier is not None else None
    tier = tier or Tier()
    for field, value in clean.items():
        setattr(tier, field, value)
    db.session.add(tier)
    db.session.flush()
    audit("tier.create" if before is None else "tier.update", actor, tier=tier, before=before, after=tier.to_dict())
    db.session.commit()
    forget_cached_tiers()
    return tier


def set_retired(tier, actor, retired):
    """Retired tiers take no new members; existing memberships and their history stay."""
    return save_tier({"retired": retired}, actor, tier)
