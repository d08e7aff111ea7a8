"""A membership's fields from a form or a JSON body: each checked and cleaned, every problem
collected under its field name, so a grant or request validates everything before writing."""

from datetime import UTC, datetime

from ...errors import Conflict, ValidationError
from ...models.base import utcnow
from ...numbers import whole_number
from ..threads.clean import multi_line, single_line
from . import money
from .perks import get_tier

BANNED_STATUSES = ("banned", "deleted")
ADMIN_SOURCES = ("admin_grant", "manual_payment")
RECURRENCES = ("none", "monthly", "yearly")


def parse_when(value, field, errors):
    """An ISO 8601 date or date-time, as naive UTC; empty gives None."""
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        errors[field] = "An ISO 8601 date, e.g. 2026-01-31."
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 2000 <= parsed.year <= 2200:
        errors[field] = "A date between the years 2000 and 2200."
        return None
    return parsed


def text_field(data, field, limit, errors, required=False):
    value = data.get(field)
    if value is None or value == "":
        if required:
            errors[field] = "Required."
        return None
    if not isinstance(value, str) or len(value) > limit:
        errors[field] = f"Text of at most {limit} characters."
        return None
    # Notes may run to several lines; names and references are one line (see domain/threads/clean.py).
    value = multi_line(value) if field.endswith("note") else single_line(value)
    return value.strip() or None


def flag(value):
    return value in (True, "on", "true", "1", "yes")


def _int_field(data, field, errors, default=0):
    value = data.get(field, default)
    if isinstance(value, str):
        text = value.strip()
        magnitude = whole_number(text.removeprefix("-"), 0, 10**9)
        value = value if magnitude is None else (-magnitude if text.startswith("-") else magnitude)
    if value in (None, ""):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 1_000_000:
        errors[field] = "A whole number."
        return default
    return value


def _currency(data, errors, default):
    value = data.get("currency")
    if value in (None, ""):
        return default
    code = money.clean_currency(value)
    if code is None:
        errors["currency"] = "An ISO 4217 currency code such as EUR or USD."
    return code


def amount_field(data, errors, currency):
    """Minor units from `amount` (an integer, as the API sends it) or `amount_major`
    (a decimal string such as "12.50", as forms send it)."""
    if data.get("amount_major") not in (None, ""):
        try:
            return money.parse_major(data["amount_major"], currency)
        except ValueError as exc:
            errors["amount_major"] = str(exc)
            return 0
    value = data.get("amount", 0)
    problem = money.check_minor(value)
    if problem:
        errors["amount"] = problem
        return 0
    return value


def _choice(data, field, allowed, errors, default):
    value = data.get(field)
    if value in (None, ""):
        return default
    if value not in allowed:
        errors[field] = f"One of {', '.join(allowed)}."
    return value


def check_member(user):
    if user.status in BANNED_STATUSES:
        raise Conflict(f"{user.username} is {user.status}; memberships cannot be granted to this account.")


def listing_fields(data, errors, by_admin=True):
    """How the sponsors page shows the membership. A reader asking for one consents to being
    listed and names themselves; where they stand in the list is the admins' call."""
    listing = {"public": flag(data.get("public")), "display_name": text_field(data, "display_name", 80, errors)}
    if by_admin:
        listing["public_order"] = _int_field(data, "public_order", errors)
    return listing


def clean_grant(data):
    """Validated fields of a new membership; raises ValidationError listing every problem."""
    errors = {}
    try:
        tier = get_tier(data.get("tier"))
    except ValidationError as exc:
        errors.update(exc.errors)
        tier = None
    currency = _currency(data, errors, tier.currency if tier else "EUR")
    clean = {
        "tier": tier,
        "starts_at": parse_when(data.get("starts_at"), "starts_at", errors) or utcnow(),
        "ends_at": parse_when(data.get("ends_at"), "ends_at", errors),
        "currency": currency,
        "amount_minor": amount_field(data, errors, currency or "EUR"),
        "recurrence": _choice(data, "recurrence", RECURRENCES, errors, "none"),
        "source": _choice(data, "source", ADMIN_SOURCES, errors, "admin_grant"),
        "payment_reference": text_field(data, "payment_reference", 200, errors),
        "note": text_field(data, "note", 2000, errors),
        **listing_fields(data, errors),
    }
    if clean["ends_at"] is not None and "starts_at" not in errors and clean["ends_at"] <= clean["starts_at"]:
        errors["ends_at"] = "The end must come after the start."
    if errors:
        raise ValidationError(errors)
    return clean
