"""A user's own comments, newest first, whatever their state: their profile page and the
moderators' author page read the same list."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Comment


def comments_by(user_id, limit=200):
    return db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user_id)
        .options(selectinload(Comment.article))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
