"""What a membership's fields may hold (service/schemas/grants.py validates them with these), and
who may hold one."""

from datetime import UTC, datetime

from ...errors import Conflict

BANNED_STATUSES = ("banned", "deleted")
ADMIN_SOURCES = ("admin_grant", "manual_payment")
RECURRENCES = ("none", "monthly", "yearly")


def read_when(value):
    """An ISO 8601 date or date-time, as naive UTC; empty gives None. Raises ValueError with the
    words a client is shown."""
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("An ISO 8601 date, e.g. 2026-01-31.") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 2000 <= parsed.year <= 2200:
        raise ValueError("A date between the years 2000 and 2200.")
    return parsed


def parse_when(value, field, errors):
    """read_when(value), its refusal put in errors[field] (and None given)."""
    try:
        return read_when(value)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def check_member(user):
    if user.status in BANNED_STATUSES:
        raise Conflict(f"{user.username} is {user.status}; memberships cannot be granted to this account.")
