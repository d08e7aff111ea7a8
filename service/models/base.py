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


def include_object(dialect):
    """Alembic's `include_object` for a database of `dialect`: an index made only on another
    database (`Index.ddl_if(dialect=...)`, such as the score indexes, each database its own)
    is not expected in this one's schema."""

    def include(obj, name, type_, reflected, compare_to):
        only_on = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return type_ != "index" or only_on is None or only_on == dialect

    return include
