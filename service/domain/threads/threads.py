"""An article's thread, a page at a time: top-level comments oldest first, each with all of
its replies, continued from a keyset cursor on (created_at, id).

A page is two indexed queries whatever the size of the article: the next top-level comments
(ix_comments_article_parent_created) and every comment of their threads (ix_comments_root_id).
"""
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased, selectinload

from ...errors import ValidationError
from ...extensions import db
from ...models import Comment
from ...models.comment import PUBLIC_STATUSES
from . import cursors

PAGE = 50
MAX_PAGE = 200
CURSOR = ("time", "id")
# The replies side of the roots query, made once: an alias per request is garbage with weakref
# callbacks for the collector (and a new cache key for SQLAlchemy's statement cache).
_reply = aliased(Comment, name="reply")


@dataclass
class ThreadPage:
    comments: list  # oldest first, replies among them; as_tree nests them
    next: str | None  # the cursor of the following page, None on the last one


def visible(viewer, comment=Comment):
    """SQL for Comment.visible_to(viewer), less deleted comments (they show only as placeholders)."""
    if viewer is not None and viewer.is_authenticated and viewer.is_moderator:
        return comment.status != "deleted"
    public = comment.status.in_(PUBLIC_STATUSES)
    if viewer is None or not viewer.is_authenticated:
        return public
    return or_(public, and_(comment.author_id == viewer.id, comment.status != "deleted"))


def shown(comments, viewer):
    """What of an ordered list of comments a viewer sees: the visible ones, and deleted ones
    kept as placeholders only where visible replies hang below them."""
    by_id = {c.id: c for c in comments}
    keep = {c.id for c in comments if c.visible_to(viewer) and not c.is_deleted}
    for comment_id in list(keep):
        parent = by_id.get(by_id[comment_id].parent_id)
        while parent is not None and parent.is_deleted and parent.id not in keep:
            keep.add(parent.id)
            parent = by_id.get(parent.parent_id)
    return [c for c in comments if c.id in keep]


def _roots(article, viewer, after, limit):
    """The ids of the next top-level comments that have something this viewer sees: the
    comment itself, or (deleted or hidden) a visible reply below it."""
    has_visible_reply = exists().where(
        _reply.root_id == Comment.id, _reply.parent_id.is_not(None), visible(viewer, _reply)
    )
    query = select(Comment.id).where(
        Comment.article_id == article.id,
        Comment.parent_id.is_(None),
        or_(visible(viewer), has_visible_reply),
    )
    if after is not None:
        query = query.where(tuple_(Comment.created_at, Comment.id) > tuple_(*after))
    return db.session.scalars(query.order_by(Comment.created_at, Comment.id).limit(limit)).all()


def page(article, viewer, cursor=None, limit=PAGE):
    """One page of the thread: up to `limit` top-level comments with all of their replies."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError({"limit": f"A whole number from 1 to {MAX_PAGE}."})
    after = cursors.decode(cursor, CURSOR) if cursor is not None else None
    root_ids = _roots(article, viewer, after, limit + 1)
    more = len(root_ids) > limit
    root_ids = root_ids[:limit]
    if not root_ids:
        return ThreadPage([], None)
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.root_id.in_(root_ids))
        .order_by(Comment.created_at, Comment.id)
        .options(selectinload(Comment.author))
    ).all()
    last = next(c for c in comments if c.id == root_ids[-1])
    return ThreadPage(shown(comments, viewer), cursors.encode([last.created_at, last.id]) if more else None)


def comment_count(article, viewer):
    """How many of the article's comments this viewer sees (placeholders not counted)."""
    return db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.article_id == article.id, visible(viewer))
    )
