from datetime import UTC, datetime

from sqlalchemy.orm import mapped_column

from ..extensions import db


def utcnow():
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def isoformat(value):
    return value.isoformat(timespec="seconds") + "Z" if value else None


def timestamp(*, index=False, onupdate=False):
    """A column holding a moment, never empty: now (naive UTC) when the row is inserted, and with
    `onupdate`, again whenever the row is updated."""
    options = {"index": True} if index else {}
    if onupdate:
        options["onupdate"] = utcnow
    return mapped_column(db.DateTime, default=utcnow, nullable=False, **options)
