from datetime import datetime, timezone


def utcnow():
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def isoformat(value):
    return value.isoformat(timespec="seconds") + "Z" if value else None
