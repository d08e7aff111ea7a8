from sqlalchemy import select

from ...extensions import db
from ...models import Comment


def my_comments(user, limit=200):
    """The user's own comments, newest first, whatever their state."""
    return db.session.scalars(
        select(Comment).where(Comment.author_id == user.id).order_by(Comment.created_at.desc()).limit(limit)
    ).all()
