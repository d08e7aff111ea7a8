from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import timestamp


class Setting(db.Model):
    """A site setting an admin changed; anything absent falls back to config defaults."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(db.String(64), primary_key=True)
    value = mapped_column(db.JSON, nullable=False)
    updated_at = timestamp(onupdate=True)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
