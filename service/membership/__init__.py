from flask import Blueprint

from ..domain.membership.money import format_money, to_major
from ..domain.membership.perks import MEMBERS_ONLY, tier_of

bp = Blueprint("membership", __name__)


@bp.app_template_filter("money")
def money_filter(minor, currency):
    return format_money(minor or 0, currency or "EUR")


@bp.app_template_filter("major")
def major_filter(minor, currency):
    """The amount as a form shows it: 1250 EUR -> 12.50."""
    return to_major(minor or 0, currency or "EUR")


@bp.app_template_global("tier_slug")
def tier_slug(user):
    """The slug of the tier a user holds now ("reader" at least), for pages that name it."""
    return tier_of(user).slug


@bp.app_template_global("paid_tier")
def paid_tier(user):
    """The tier a signed-in member pays for (or was granted), or None for readers and visitors:
    members are thanked where others are asked to support us."""
    tier = tier_of(user)
    return tier if tier.kind != "free" else None


@bp.app_context_processor
def membership_globals():
    return {"MEMBERS_ONLY": MEMBERS_ONLY}


from . import views  # noqa: E402,F401
