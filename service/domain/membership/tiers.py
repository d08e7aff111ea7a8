"""Admins add, rename, price and retire tiers and set their perks; every change is audited."""

import re

from sqlalchemy import select

from ...errors import Conflict, NotFound, ValidationError
from ...extensions import db
from ...models import Tier
from ...models.membership import INTERVALS, KINDS
from ...numbers import whole_number
from ..threads.clean import is_blank, multi_line, single_line
from . import money
from .perks import BASE_TIER, audit, forget_cached_tiers

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FLAGS = ("members_comments", "trusted_commenter", "retired")


def get_tier_by_slug(slug):
    tier = db.session.scalar(select(Tier).where(Tier.slug == slug))
    if tier is None:
        raise NotFound("No such tier.")
    return tier


def _flag(value, field, errors):
    if value in (True, False):
        return value
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("", "off", "false", "0", "no", None):
        return False
    errors[field] = "true or false."
    return False


def _bounded_int(value, field, low, high, errors):
    if isinstance(value, str):
        value = whole_number(value, low, high)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = f"A whole number from {low} to {high}."
        return None
    return value


def _string(value, field, limit, errors, required):
    if not isinstance(value, str) or len(value) > limit or (required and is_blank(value)):
        errors[field] = f"{'1' if required else '0'}–{limit} characters."
        return None
    return multi_line(value).strip() if field == "description" else single_line(value)


def _price(data, currency, errors):
    if data.get("price_major") not in (None, ""):
        try:
            return money.parse_major(data["price_major"], currency)
        except ValueError as exc:
            errors["price_major"] = str(exc)
            return None
    problem = money.check_minor(data.get("price"))
    if problem:
        errors["price"] = problem
        return None
    return data["price"]


def _clean(data, tier):
    """Validate the fields present in `data` (all of them for a new tier)."""
    errors, clean = {}, {}
    present = (lambda field: True) if tier is None else (lambda field: field in data)
    if tier is None:
        slug = data.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 40:
            errors["slug"] = "Lowercase letters, digits and single dashes (at most 40)."
        clean["slug"] = slug
    if present("name"):
        clean["name"] = _string(data.get("name"), "name", 80, errors, required=True)
    if "description" in data:
        clean["description"] = _string(data.get("description") or "", "description", 2000, errors, required=False)
    if "badge" in data:
        clean["badge"] = _string(data.get("badge") or "", "badge", 40, errors, required=False) or None
    for field, allowed, default in (("kind", KINDS, "subscription"), ("interval", INTERVALS, "monthly")):
        if field in data or tier is None:
            clean[field] = data.get(field) or default
            if clean[field] not in allowed:
                errors[field] = f"One of {', '.join(allowed)}."
    if "currency" in data or tier is None:
        clean["currency"] = money.clean_currency(data.get("currency") or "EUR")
        if clean["currency"] is None:
            errors["currency"] = "An ISO 4217 currency code such as EUR or USD."
    if any(f in data for f in ("price", "price_major")) or tier is None:
        clean["price_minor"] = _price(
            {"price": 0, **data}, clean.get("currency") or (tier.currency if tier else "EUR"), errors
        )
    for field, low, high, default in (("rank", 0, 1000, 5), ("rate_limit_multiplier", 1, 100, 1)):
        if field in data or tier is None:
            clean[field] = _bounded_int(data.get(field, default), field, low, high, errors)
    for field in FLAGS:
        if field in data:
            clean[field] = _flag(data[field], field, errors)
    if errors:
        raise ValidationError(errors)
    return clean


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
