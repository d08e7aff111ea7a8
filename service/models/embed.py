"""The comment widget: origins allowed to embed it, sign-in tokens it uses, pages it created."""

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import timestamp


class EmbedOrigin(db.Model):
    """A site (scheme, host, port) whose pages may frame the widget and call its CORS endpoint."""

    __tablename__ = "embed_origins"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(db.String(255), unique=True)
    created_at = timestamp()
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id", ondelete="SET NULL"))


class EmbedToken(db.Model):
    """A short-lived sign-in for the widget, minted after a first-party sign-in.

    Only a hash is stored: a database reader cannot act as the reader with it.
    """

    __tablename__ = "embed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str | None] = mapped_column(db.String(255))  # the site the widget was on, for the record
    created_at = timestamp()
    expires_at = mapped_column(db.DateTime, nullable=False)
    revoked_at = mapped_column(db.DateTime, nullable=True)

    user = relationship("User")


class EmbedPage(db.Model):
    """An article the widget created on first load, and the page it came from."""

    __tablename__ = "embed_pages"

    article_id: Mapped[int] = mapped_column(db.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    origin: Mapped[str] = mapped_column(db.String(255))
    url: Mapped[str] = mapped_column(db.String(2000))
    created_at = timestamp()

    article = relationship("Article")
