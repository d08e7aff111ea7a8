"""An article's thread, a page at a time: top-level comments in the reader's chosen order
(editors' picks first, oldest, newest or most respected), each with all of its replies,
continued from a keyset cursor on the order's key.

A page is two indexed queries whatever the size of the article: the next top-level comments
(ix_comments_article_parent_created, or _respect for the most respected) and every comment of
their threads (ix_comments_root_id); the default order's first page reads its picks too.
"""

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, not_, or_, select, tuple_
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from ...errors import ValidationError
from ...extensions import db
from ...models import Comment, User
from ...models.comment import PUBLIC_STATUSES
from ..ids import among
from . import cursors

PAGE = 50
MAX_PAGE = 200
CURSOR = ("time", "id")
# The replies side of the roots query, made once: an alias per request is garbage with weakref
# callbacks for the collector (and a new cache key for SQLAlchemy's statement cache).
_reply = aliased(Comment, name="reply")


# How a thread's top-level comments are ordered; each keeps its replies, oldest first, below it.
# "featured" (the default) is oldest first with the editors' picks leading the first page.
SORTS = {
    "featured": "Editors' picks first",
    "oldest": "Oldest first",
    "newest": "Newest first",
    "respect": "Most respected",
}
DEFAULT_SORT = "featured"
MAX_PICKS = MAX_PAGE  # bounds the first page's work; editors feature a handful per article
CURSORS = {"featured": CURSOR, "oldest": CURSOR, "newest": CURSOR, "respect": ("count",) + CURSOR}


@dataclass
class ThreadPage:
    comments: list  # in thread order: each top-level comment, then its replies oldest first
    next: str | None  # the cursor of the following page, None on the last one
    picks: int = 0  # how many top-level comments at the start are the editors' picks


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


def _root_query(article, viewer):
    """Top-level comments that have something this viewer sees: the comment itself, or
    (deleted or hidden) a visible reply below it."""
    has_visible_reply = exists().where(
        _reply.root_id == Comment.id, _reply.parent_id.is_not(None), visible(viewer, _reply)
    )
    return select(Comment.id).where(
        Comment.article_id == article.id,
        Comment.parent_id.is_(None),
        or_(visible(viewer), has_visible_reply),
    )


def _after(sort, after):
    """The keyset condition for rows after the cursor's row, in `sort` order."""
    if sort == "newest":
        return tuple_(Comment.created_at, Comment.id) < tuple_(*after)
    later = tuple_(Comment.created_at, Comment.id) > tuple_(*after[-2:])
    if sort == "respect":
        return or_(Comment.respect_count < after[0], and_(Comment.respect_count == after[0], later))
    return later


ORDER = {
    "featured": (Comment.created_at, Comment.id),
    "oldest": (Comment.created_at, Comment.id),
    "newest": (Comment.created_at.desc(), Comment.id.desc()),
    "respect": (Comment.respect_count.desc(), Comment.created_at, Comment.id),
}


def _roots(article, viewer, sort, after, limit):
    """The ids of the next top-level comments in `sort` order (featured: the rest of them,
    the picks being read on their own by _picks)."""
    query = _root_query(article, viewer)
    if sort == "featured":
        query = query.where(not_(_is_pick(viewer)))
    if after is not None:
        query = query.where(_after(sort, after))
    return db.session.scalars(query.order_by(*ORDER[sort]).limit(limit)).all()


def _is_pick(viewer):
    """Featured and visible to this viewer (a featured comment rejected later is no pick, but
    its visible replies still belong in the thread)."""
    return and_(Comment.featured.is_(True), visible(viewer))


def _picks(article, viewer):
    query = _root_query(article, viewer).where(_is_pick(viewer))
    return db.session.scalars(query.order_by(Comment.created_at, Comment.id).limit(MAX_PICKS)).all()


def _in_thread_order(comments, root_ids):
    """Each top-level comment in `root_ids` order followed by its replies (already oldest first)."""
    by_root = {}
    for comment in comments:
        by_root.setdefault(comment.root_id, []).append(comment)
    return [c for root_id in root_ids for c in by_root.get(root_id, [])]


def _cursor(sort, last):
    values = [last.created_at, last.id]
    return cursors.encode(([last.respect_count] if sort == "respect" else []) + values)


def check_sort(sort):
    if sort not in SORTS:
        raise ValidationError({"sort": f"One of: {', '.join(SORTS)}."})
    return sort


def page(article, viewer, cursor=None, limit=PAGE, sort=DEFAULT_SORT):
    """One page of the thread: up to `limit` top-level comments with all of their replies,
    in `sort` order; the first page of the default sort leads with the editors' picks."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError({"limit": f"A whole number from 1 to {MAX_PAGE}."})
    check_sort(sort)
    after = cursors.decode(cursor, CURSORS[sort]) if cursor is not None else None
    picks = _picks(article, viewer) if sort == "featured" and after is None else []
    root_ids = _roots(article, viewer, sort, after, limit + 1)
    more = len(root_ids) > limit
    root_ids = picks + root_ids[:limit]
    if not root_ids:
        return ThreadPage([], None)
    comments = db.session.scalars(
        select(Comment).where(among(Comment.root_id, root_ids)).order_by(Comment.created_at, Comment.id)
    ).all()
    _load_authors(comments)
    last = next(c for c in comments if c.id == root_ids[-1])
    ordered = _in_thread_order(shown(comments, viewer), root_ids)
    return ThreadPage(ordered, _cursor(sort, last) if more else None, len(picks))


def _load_authors(comments):
    """Each comment's `author`, all in one statement. (A join let PostgreSQL hash the whole
    users table for a page's 150 authors, 20 ms; selectinload's IN list cost the page 5 ms of
    CPU to write.)"""
    authors = {u.id: u for u in db.session.scalars(select(User).where(among(User.id, {c.author_id for c in comments})))}
    for comment in comments:
        set_committed_value(comment, "author", authors.get(comment.author_id))


def comment_count(article, viewer):
    """How many of the article's comments this viewer sees (placeholders not counted)."""
    return db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.article_id == article.id, visible(viewer))
    )
