"""An article's thread, a page at a time: top-level comments in the reader's chosen order
(editors' picks first, oldest, newest or most respected), each with all of its replies,
continued from a keyset cursor on the order's key.

A page is two indexed queries whatever the size of the article: the next top-level comments
(ix_comments_article_parent_created, or _respect for the most respected) and every comment of
their threads (ix_comments_root_id); the default order's first page reads its picks in the
same statement as its top-level comments.
"""

from collections import namedtuple
from dataclasses import dataclass

from sqlalchemy import DateTime, Integer, and_, bindparam, exists, func, not_, or_, select, tuple_, union_all
from sqlalchemy.orm import aliased, load_only
from sqlalchemy.orm.attributes import set_committed_value

from ...errors import ValidationError
from ...extensions import db
from ...models import Comment, User
from ...models.comment import PUBLIC_STATUSES, CommentFacts
from ..ids import among
from ..statements import constant, once
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
# The columns a thread page shows or its controls read (threads.page's scores=False).
SHOWN = (
    Comment.id,
    Comment.article_id,
    Comment.parent_id,
    Comment.root_id,
    Comment.author_id,
    Comment.depth,
    Comment.body,
    Comment.status,
    Comment.featured,
    Comment.created_at,
    Comment.edited_at,
    Comment.respect_count,
)
SHOWN_NAMES = tuple(column.key for column in SHOWN)
MAX_PICKS = MAX_PAGE  # bounds the first page's work; editors feature a handful per article
CURSORS = {"featured": CURSOR, "oldest": CURSOR, "newest": CURSOR, "respect": ("count",) + CURSOR}


@dataclass
class ThreadPage:
    comments: list  # in thread order: each top-level comment, then its replies oldest first
    next: str | None  # the cursor of the following page, None on the last one
    picks: int = 0  # how many top-level comments at the start are the editors' picks


def _kind(viewer):
    """Which statements a viewer gets: moderators see every comment, readers also their own."""
    if viewer is None or not viewer.is_authenticated:
        return "anonymous"
    return "moderator" if viewer.is_moderator else "reader"


def _values(article, viewer):
    """The parameters every thread statement reads: the article, and a reader's own id."""
    return {"article_id": article.id, "viewer_id": viewer.id if _kind(viewer) == "reader" else None}


def _visible(kind, comment=Comment):
    """SQL for Comment.visible_to(viewer), less deleted comments (they show only as
    placeholders), for a kind of viewer; a reader's own comments by parameter viewer_id."""
    if kind == "moderator":
        return comment.status != "deleted"
    public = comment.status.in_(PUBLIC_STATUSES)
    if kind == "anonymous":
        return public
    own = comment.author_id == bindparam("viewer_id", type_=Integer)
    return or_(public, and_(own, comment.status != "deleted"))


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


ShownAuthor = namedtuple("ShownAuthor", "id username")


class ShownComment(CommentFacts):
    """A comment as an article page shows it: the SHOWN columns of its row, its article and its
    author (id and username), for reading, and nothing else (another column raises). Built
    from plain rows rather than mapped objects: the 190 mapped comments of a moderator's page
    cost 2.6 ms of CPU to build, their rows 0.6 ms."""

    __slots__ = SHOWN_NAMES + ("article", "author")

    def __init__(self, row, article, author):
        for name, value in zip(SHOWN_NAMES, row):
            setattr(self, name, value)
        self.article, self.author = article, author


def _root_query(kind):
    """Top-level comments of parameter article_id that have something this kind of viewer
    sees: the comment itself, or (deleted or hidden) a visible reply below it."""
    has_visible_reply = exists().where(
        _reply.root_id == Comment.id, _reply.parent_id.is_not(None), _visible(kind, _reply)
    )
    return select(Comment.id).where(
        Comment.article_id == bindparam("article_id", type_=Integer),
        Comment.parent_id.is_(None),
        or_(_visible(kind), has_visible_reply),
    )


def _after(sort):
    """The keyset condition for rows after the cursor's row (parameters after_count,
    after_time, after_id), in `sort` order."""
    row = tuple_(Comment.created_at, Comment.id)
    at = tuple_(bindparam("after_time", type_=DateTime), bindparam("after_id", type_=Integer))
    if sort == "newest":
        return row < at
    if sort == "respect":
        count = bindparam("after_count", type_=Integer)
        return or_(Comment.respect_count < count, and_(Comment.respect_count == count, row > at))
    return row > at


def _after_values(after):
    """The parameters of `_after` from a decoded cursor: (count,) time, id."""
    if after is None:
        return {}
    values = {"after_time": after[-2], "after_id": after[-1]}
    if len(after) == 3:
        values["after_count"] = after[0]
    return values


ORDER = {
    "featured": (Comment.created_at, Comment.id),
    "oldest": (Comment.created_at, Comment.id),
    "newest": (Comment.created_at.desc(), Comment.id.desc()),
    "respect": (Comment.respect_count.desc(), Comment.created_at, Comment.id),
}


def _roots_statement(kind, sort, continued):
    query = _root_query(kind)
    if sort == "featured":
        query = query.where(not_(_is_pick(kind)))
    if continued:
        query = query.where(_after(sort))
    return query.order_by(*ORDER[sort]).limit(bindparam("limit", type_=Integer))


def _roots(values, kind, sort, after, limit):
    """The ids of the next top-level comments in `sort` order (featured: the rest of them,
    the picks being read on their own by _picks)."""
    statement = once(
        ("thread roots", kind, sort, after is not None), lambda: _roots_statement(kind, sort, after is not None)
    )
    return db.session.scalars(statement, {**values, **_after_values(after), "limit": limit}).all()


def _is_pick(kind):
    """Featured and visible to this kind of viewer (a featured comment rejected later is no
    pick, but its visible replies still belong in the thread)."""
    return and_(Comment.featured.is_(True), _visible(kind))


def _picks_and_roots(values, kind, limit):
    """The default order's first page: the picks, oldest first, and the first `limit` of the
    rest, in one statement (a statement costs a page more CPU than its rows)."""
    rows = db.session.execute(
        once(("thread picks and roots", kind), lambda: _picks_and_roots_statement(kind)), {**values, "limit": limit}
    )
    picks, roots = [], []
    for comment_id, pick in rows:
        (picks if pick else roots).append(comment_id)
    return picks, roots


def _picks_and_roots_statement(kind):
    picks = _root_query(kind).where(_is_pick(kind)).order_by(Comment.created_at, Comment.id).limit(MAX_PICKS)
    rest = _roots_statement(kind, "featured", continued=False)
    # Each part keeps its own order and limit inside a subquery (SQLite takes neither in a
    # compound statement's parts); the whole is ordered picks first, then by time.
    parts = [
        select(part.add_columns(Comment.created_at, constant(pick).label("pick")).subquery())
        for part, pick in ((picks, 1), (rest, 0))
    ]
    both = union_all(*parts).subquery()
    return select(both.c.id, both.c.pick).order_by(both.c.pick.desc(), both.c.created_at, both.c.id)


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


def page(article, viewer, cursor=None, limit=PAGE, sort=DEFAULT_SORT, scores=True):
    """One page of the thread: up to `limit` top-level comments with all of their replies,
    in `sort` order; the first page of the default sort leads with the editors' picks.
    `scores=False` gives ShownComments, what a thread page shows (SHOWN): not the scores,
    their reason or the scoring bookkeeping, which a page never reads (reading them raises)."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ValidationError({"limit": f"A whole number from 1 to {MAX_PAGE}."})
    check_sort(sort)
    after = cursors.decode(cursor, CURSORS[sort]) if cursor is not None else None
    kind, values = _kind(viewer), _values(article, viewer)
    if sort == "featured" and after is None:
        picks, root_ids = _picks_and_roots(values, kind, limit + 1)
    else:
        picks, root_ids = [], _roots(values, kind, sort, after, limit + 1)
    more = len(root_ids) > limit
    root_ids = picks + root_ids[:limit]
    if not root_ids:
        return ThreadPage([], None)
    values = {"root_ids": sorted(root_ids)}
    comments = _comments(values) if scores else _shown_comments(values, article)
    last = next(c for c in comments if c.id == root_ids[-1])
    ordered = _in_thread_order(shown(comments, viewer), root_ids)
    return ThreadPage(ordered, _cursor(sort, last) if more else None, len(picks))


def _comments(values):
    """Every comment of the threads of values["root_ids"], mapped, each with its `author`."""
    comments = db.session.scalars(once("thread comments", lambda: _thread_statement(select(Comment))), values).all()
    _load_authors(comments)
    return comments


def _shown_comments(values, article):
    """The same comments (of `article`) as ShownComments, their authors' names read in one statement."""
    rows = db.session.execute(once("thread rows", lambda: _thread_statement(select(*SHOWN))), values).all()
    ids = sorted({row.author_id for row in rows})
    names = db.session.execute(once("thread author names", _author_names_statement), {"ids": ids})
    authors = {author_id: ShownAuthor(author_id, username) for author_id, username in names}
    return [ShownComment(row, article, authors.get(row.author_id)) for row in rows]


def _thread_statement(statement):
    """Every comment of the threads of parameter root_ids, oldest first."""
    return statement.where(among(Comment.root_id, name="root_ids")).order_by(Comment.created_at, Comment.id)


def _load_authors(comments):
    """Each comment's `author`, all in one statement. (A join let PostgreSQL hash the whole
    users table for a page's 150 authors, 20 ms; selectinload's IN list cost the page 5 ms of
    CPU to write.)"""
    statement = once("thread authors", _authors_statement)
    authors = {u.id: u for u in db.session.scalars(statement, {"ids": sorted({c.author_id for c in comments})})}
    for comment in comments:
        set_committed_value(comment, "author", authors.get(comment.author_id))


def _author_names_statement():
    return select(User.id, User.username).where(among(User.id, name="ids"))


def _authors_statement():
    """The users of parameter ids, with what a thread shows of them (not their password
    hashes and e-mail addresses: 150 authors a page)."""
    shown = (User.id, User.username, User.role, User.status)
    return select(User).where(among(User.id, name="ids")).options(load_only(*shown))


def comment_count(article, viewer):
    """How many of the article's comments this viewer sees (placeholders not counted)."""
    kind = _kind(viewer)

    def build():
        where = (Comment.article_id == bindparam("article_id", type_=Integer), _visible(kind))
        return select(func.count()).select_from(Comment).where(*where)

    return db.session.scalar(once(("comment count", kind), build), _values(article, viewer))
