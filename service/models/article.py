from sqlalchemy import true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import isoformat, timestamp

COMMENTS_MODES = ("open", "closed", "members")


class Article(db.Model):
    __tablename__ = "articles"
    # A page of the article lists, newest first, from a keyset cursor (domain/threads/articles.py).
    __table_args__ = (db.Index("ix_articles_published", "published_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    title: Mapped[str] = mapped_column(db.String(300))
    summary: Mapped[str] = mapped_column(db.Text, default="")
    body: Mapped[str] = mapped_column(db.Text, default="")
    published_at = timestamp()
    comments_mode: Mapped[str] = mapped_column(db.String(16), default="open")
    # Every comment here waits for a moderator, whatever its scores.
    premoderated: Mapped[bool] = mapped_column(default=False)
    # On the front page and in the article list. Articles the widget creates start unlisted
    # (anyone who can load a registered page can make one) until an admin lists them.
    listed: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at = timestamp()
    updated_at = timestamp(onupdate=True)

    @property
    def is_open(self):
        return self.comments_mode != "closed"

    def to_dict(self, comment_count=None):
        data = {
            "slug": self.slug,
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "comments_mode": self.comments_mode,
            "premoderated": self.premoderated,
            "published_at": isoformat(self.published_at),
        }
        if comment_count is not None:
            data["comment_count"] = comment_count
        return data
