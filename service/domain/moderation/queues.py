"""The moderators' queues, as moderators name them, and the cards they work from."""

from dataclasses import dataclass

from sqlalchemy import (
    DateTime,
    Float,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from moderation.policy import ATTRIBUTES

from ...errors import NotFound, ValidationError
from ...extensions import db
from ...models import Article, Comment, ModerationAction, Report, ScoringDecision, User
from ...models.comment import CommentFacts
from ...models.decision import decision_dict
from ...models.report import report_dict
from ..accounts.credentials import username_key
from ..ids import among
from ..membership.perks import prefetch_tiers
from ..statements import constant, once
from ..threads import cursors
from ..threads.comments import comment_view
from .capped import CAP, capped_counts
from .reports import REASONS as REPORT_REASONS

QUEUES = ("pending", "reported", "review")
# What a card reads of a comment, its author, its article and its parent, as plain rows: the
# rest of those rows (an article's body, a parent's scores, an author's password hash) would
# be fetched and decoded fifty times a page for nothing, and fifty mapped comments with their
# relations cost a page more CPU to build and track than the SQL that reads them.
CARD_COMMENT = (
    Comment.id,
    Comment.article_id,
    Comment.parent_id,
    Comment.author_id,
    Comment.body,
    Comment.status,
    Comment.scores,
    Comment.reason,
    Comment.featured,
    Comment.created_at,
    Comment.edited_at,
    Comment.respect_count,
)
CARD_AUTHOR = (User.username, User.role, User.status, User.premoderated, User.auto_premoderated)
CARD_ARTICLE = (Article.slug, Article.title)
_parent = aliased(Comment, name="parent")
CARD_PARENT = (_parent.body, _parent.status)
SORTS = ("age", "oldest", "score")
PAGE = 50


_open_report = Comment.open_reports > literal_column("0")
CONDITIONS = {
    # Held by the system (or not yet scored): hidden until a moderator decides.
    "pending": Comment.status.in_(constant(("pending", "held"))),
    # Reported by readers and not yet looked at; still visible unless enough reports hid it.
    "reported": and_(_open_report, Comment.status.in_(constant(("published", "review", "held")))),
    # Published, but the scores fell in a review band.
    "review": Comment.status == constant("review"),
}
# The queues that are a plain set of statuses (the reported one depends on reports too).
QUEUE_STATUSES = {"pending": ("pending", "held"), "review": ("review",)}


def _conditions():
    """CONDITIONS as this database is best asked them. SQLite's planner reads the reported
    queue through ix_comments_status_created (every published comment, checking each for
    reports: 80 ms for the count at 200,000 comments, the worst-score sort likewise) rather
    than the partial index of reported comments; `status || ''` is no column to it, so it
    takes ix_comments_reported (4 ms). PostgreSQL chooses the partial index by itself."""
    if db.session.get_bind().dialect.name != "sqlite":
        return CONDITIONS
    status = Comment.status + constant("")
    return {**CONDITIONS, "reported": and_(_open_report, status.in_(constant(("published", "review", "held"))))}


def _filter_values(article=None, author=None, attribute=None):
    """{filter: its parameter} of the filters that are on."""
    values = {}
    if article:
        values["article"] = article
    if author:
        values["author"] = username_key(author.strip())  # folded, as sign-in and the history fold it
    if attribute:
        if attribute not in ATTRIBUTES:
            raise ValidationError({"attribute": f"One of {', '.join(ATTRIBUTES)}."})
        values["attribute"] = attribute
    return values


def _filters(values):
    """The WHERE conditions of the filters in `values`, each reading its named parameter."""
    where = []
    if "article" in values:
        article_id = select(Article.id).where(Article.slug == bindparam("article")).scalar_subquery()
        where.append(Comment.article_id == article_id)
    if "author" in values:
        author_id = select(User.id).where(User.username_key == bindparam("author")).scalar_subquery()
        where.append(Comment.author_id == author_id)
    if "attribute" in values:  # a handful of attributes: each its own statement
        where.append(Comment.scores[values["attribute"]].as_float() >= 0.5)
    return where


@dataclass
class QueuePage:
    comments: list
    next: str | None  # the cursor of the following page, None on the last one


class _Order:
    """One sort of a queue: its ORDER BY, the keyset condition "after this cursor" (reading
    the parameters after_first and after_id), and the cursor of a comment."""

    def __init__(self, sort, attribute):
        self.sort = sort
        self.attribute = attribute or "toxicity"
        self.kinds = ("score", "id") if sort == "score" else ("time", "id")

    def by(self, c=Comment):
        return self.by_keys(self.first(c), c.id)

    def first(self, c=Comment):
        """The first sort key: the score, or the time."""
        return self._score(c) if self.sort == "score" else c.created_at

    def by_keys(self, first, last_id):
        if self.sort == "score":
            return (first.desc().nulls_last(), last_id)
        if self.sort == "oldest":
            return (first, last_id)
        return (first.desc(), last_id.desc())

    def _score(self, c):
        # The key written into the SQL, so that the expression is the one the score indexes
        # are on: ix_comments_queue_toxicity on PostgreSQL, ix_comments_*_toxicity on SQLite
        # (where SQLAlchemy would bind the JSON path, which no index matches).
        if db.session.get_bind().dialect.name == "postgresql":
            return c.scores[constant(self.attribute)].as_float()
        return cast(func.json_extract(c.scores, constant(f"$.{self.attribute}")), Float)

    @staticmethod
    def after_values(after):
        """The parameters of the condition "after this cursor", and whether its first key is
        a missing score (a condition of its own)."""
        if after is None:
            return {}, None
        first, last_id = after
        if first is None:
            return {"after_id": last_id}, "no score"
        return {"after_first": first, "after_id": last_id}, "value"

    def after(self, shape, c=Comment):
        last_id = bindparam("after_id", type_=Integer)
        if self.sort == "score":
            score = self._score(c)
            if shape == "no score":  # scoreless comments come last, by id
                return and_(score.is_(None), c.id > last_id)
            first = bindparam("after_first", type_=Float)
            return or_(score < first, and_(score == first, c.id > last_id), score.is_(None))
        first = bindparam("after_first", type_=DateTime)
        if self.sort == "oldest":
            return tuple_(c.created_at, c.id) > tuple_(first, last_id)
        return tuple_(c.created_at, c.id) < tuple_(first, last_id)

    def key(self, comment):
        if self.sort == "score":
            value = (comment.scores or {}).get(self.attribute)
            return [float(value) if isinstance(value, (int, float)) else None, comment.id]
        return [comment.created_at, comment.id]


def _ranked_page(name, order, where, after, skips):
    """A subquery of one page's ids (parameter `limit` of them), each with its `rank` on the
    page (1 first), after the cursor of shape `after` (None: from the start) or skipping
    parameter `offset` rows. The pending queue spans two statuses: each is read in order
    from its index (ix_comments_status_created, or ix_comments_queue_toxicity on PostgreSQL)
    and the two short lists merged, so a page never sorts the whole queue."""
    if after is not None:
        where = [*where, order.after(after)]
    limit = bindparam("limit", type_=Integer)
    statuses = QUEUE_STATUSES.get(name)
    if statuses is None or skips:  # one read of the whole condition (an offset skips across both)
        conditions = [_conditions()[name]]
    else:
        conditions = [Comment.status == constant(status) for status in statuses]
    parts = []
    for condition in conditions:
        part = select(Comment.id, order.first().label("first")).where(condition, *where)
        part = part.order_by(*order.by()).limit(limit)
        if skips:
            part = part.offset(bindparam("offset", type_=Integer))
        parts.append(select(part.subquery()))
    merged = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    keys = order.by_keys(merged.c.first, merged.c.id)
    page = select(merged.c.id, func.row_number().over(order_by=keys).label("rank")).order_by(*keys).limit(limit)
    return page.subquery()


def _page_statement(name, order, filters, after, skips):
    """The comments of a page with what a card reads of their authors, articles and parents,
    in the page's order: one statement (each statement costs the page more CPU than the rows
    it returns)."""
    page = _ranked_page(name, order, _filters(filters), after, skips)
    return (
        select(*CARD_COMMENT, *CARD_AUTHOR, *CARD_ARTICLE, *CARD_PARENT)
        .join(page, page.c.id == Comment.id)
        .join(User, User.id == Comment.author_id)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(_parent, _parent.id == Comment.parent_id)
        .order_by(page.c.rank)
    )


class CardAuthor:
    """A queued comment's author as a card reads it. Signed up, so `is_authenticated` (what
    membership.perks.tier_of asks before it looks a tier up)."""

    __slots__ = ("id", "username", "role", "status", "premoderated", "auto_premoderated")
    is_authenticated = True

    def __init__(self, user_id, username, role, status, premoderated, auto_premoderated):
        self.id, self.username, self.role, self.status = user_id, username, role, status
        self.premoderated, self.auto_premoderated = premoderated, auto_premoderated

    @property
    def on_premoderation(self):
        return self.premoderated or self.auto_premoderated


class CardArticle:
    __slots__ = ("id", "slug", "title")

    def __init__(self, article_id, slug, title):
        self.id, self.slug, self.title = article_id, slug, title


class CardParent(CommentFacts):
    __slots__ = ("id", "body", "status")

    def __init__(self, parent_id, body, status):
        self.id, self.body, self.status = parent_id, body, status


CARD_COMMENT_NAMES = tuple(column.key for column in CARD_COMMENT)


class QueuedComment(CommentFacts):
    """A comment as a queue page shows it: the CARD_COMMENT columns of its row, with its
    author, article and parent (CardAuthor, CardArticle, CardParent or None), for reading
    only; a decision loads the mapped Comment by id. Built from the page statement's row."""

    __slots__ = CARD_COMMENT_NAMES + ("author", "article", "parent")

    def __init__(self, row):
        for name, value in zip(CARD_COMMENT_NAMES, row):
            setattr(self, name, value)
        username, role, status, premoderated, auto, slug, title, parent_body, parent_status = row[
            len(CARD_COMMENT_NAMES) :
        ]
        self.author = CardAuthor(self.author_id, username, role, status, premoderated, auto)
        self.article = CardArticle(self.article_id, slug, title)
        self.parent = None if self.parent_id is None else CardParent(self.parent_id, parent_body, parent_status)

    # The API's view of a comment, from the same attributes the mapped Comment has.
    to_dict = Comment.to_dict


def queue(name, sort="age", article=None, author=None, attribute=None, limit=PAGE, cursor=None, offset=0):
    """A page of a queue, with filters; `sort` is newest first, oldest first or worst score
    first. `cursor` (from the previous page's `next`) continues it; `offset` is the older way."""
    if name not in QUEUES:
        raise NotFound(f"No queue {name!r}; the queues are {', '.join(QUEUES)}.")
    if sort not in SORTS:
        raise ValidationError({"sort": f"One of {', '.join(SORTS)}."})
    if cursor is not None and offset:
        raise ValidationError({"offset": "Use either a cursor or an offset, not both."})
    order = _Order(sort, attribute)
    filters = _filter_values(article, author, attribute)
    after, shape = order.after_values(cursors.decode(cursor, order.kinds) if cursor is not None else None)
    on = (tuple(sorted(filters)), filters.get("attribute"))
    statement = once(
        ("queue", name, sort, order.attribute, on, shape, bool(offset)),
        lambda: _page_statement(name, order, filters, shape, bool(offset)),
    )
    values = {key: value for key, value in filters.items() if key != "attribute"}
    rows = db.session.execute(statement, {**values, **after, "limit": limit + 1, "offset": offset}).all()
    comments = [QueuedComment(row) for row in rows]
    more = len(comments) > limit
    comments = comments[:limit]
    return QueuePage(comments, cursors.encode(order.key(comments[-1])) if more else None)


def counts(cap=CAP):
    """How many comments wait in each queue (the tab badges), each counted no further than
    `cap` + 1 through the index its queue is read from: "1,000+" costs what 1,001 does."""
    return capped_counts(_conditions(), Comment, ("queue counts", cap), cap)


def author_records(user_ids):
    """{user_id: {"approved": n, "rejected": n}} from moderators' decisions, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(once("author records", _author_records_statement), {"ids": sorted(user_ids)})
    records = {uid: {"approved": 0, "rejected": 0} for uid in user_ids}
    for uid, approved, rejected in rows:
        records[uid] = {"approved": int(approved or 0), "rejected": int(rejected or 0)}
    return records


def _author_records_statement():
    return (
        select(
            ModerationAction.user_id,
            func.sum(case((ModerationAction.action == "approve", 1), else_=0)),
            func.sum(case((ModerationAction.action == "reject", 1), else_=0)),
        )
        .where(among(ModerationAction.user_id, name="ids"), ModerationAction.actor_id.is_not(None))
        .group_by(ModerationAction.user_id)
    )


def latest_decisions(comment_ids):
    """{comment_id: the API's view of its newest system decision}, read as rows: a page of
    cards needs the values, not fifty objects to build and track."""
    if not comment_ids:
        return {}
    rows = db.session.execute(once("latest decisions", _latest_decisions_statement), {"ids": sorted(comment_ids)})
    return {row.comment_id: decision_dict(row) for row in rows}


def _latest_decisions_statement():
    newest = (
        select(func.max(ScoringDecision.id).label("id"))
        .where(among(ScoringDecision.comment_id, name="ids"))
        .group_by(ScoringDecision.comment_id)
        .subquery()
    )
    table = ScoringDecision.__table__
    return select(table).join(newest, newest.c.id == table.c.id)


def open_reports(comment_ids):
    """{comment_id: [the API's view of each open report]}, oldest first, each with its
    reporter's name: one query, read as rows."""
    if not comment_ids:
        return {}
    rows = db.session.execute(once("open reports", _open_reports_statement), {"ids": sorted(comment_ids)})
    reports = {}
    for row in rows:
        reports.setdefault(row.comment_id, []).append(report_dict(row, row.reporter_name))
    return reports


def _open_reports_statement():
    table = Report.__table__
    return (
        select(table, User.username.label("reporter_name"))
        .join(User, User.id == table.c.reporter_id)
        .where(among(table.c.comment_id, name="ids"), table.c.resolved_at.is_(None))
        .order_by(table.c.id)
    )


def _category(reason):
    """The listed reason a report starts with ("off topic: not about the story" is off
    topic), or its own words when it names none (the API takes any text)."""
    head = reason.split(":", 1)[0].strip()
    return head if head in REPORT_REASONS else reason


def report_reasons(reports):
    """[{"reason", "count", "listed"}] of a comment's open reports by reason, the most given
    first (ties in the order they came): what the card says the comment is here for; the
    listed ones (but "other") are the reject reasons it offers first."""
    counts = {}
    for report in reports:
        reason = _category(report["reason"])
        counts[reason] = counts.get(reason, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return [{"reason": r, "count": n, "listed": r in REPORT_REASONS and r != "other"} for r, n in ranked]


def cards(comments, moderator):
    """What a moderator sees of each comment: the comment, its context, the author's record,
    the reports, and the decision with its scores and highlighted spans."""
    ids = [c.id for c in comments]
    # The signed-in moderator itself, not flask-login's proxy to it: each card asks who views it.
    moderator = getattr(moderator, "_get_current_object", lambda: moderator)()
    prefetch_tiers({c.author_id for c in comments})  # every author's tier in one query, not one each
    records = author_records({c.author_id for c in comments})
    decisions = latest_decisions(ids)
    reports = open_reports(ids)
    out = []
    for comment in comments:
        decision = decisions.get(comment.id)
        author = comment.author
        out.append(
            {
                "comment": comment,
                "data": {
                    **comment_view(comment, moderator),
                    "article_title": comment.article.title,
                    "parent": comment.parent.body[:300] if comment.parent and not comment.parent.is_deleted else None,
                    "author_record": {
                        **records.get(author.id, {}),
                        "status": author.status,
                        "premoderated": author.on_premoderation,
                        "user_id": author.id,
                    },
                    "reports": reports.get(comment.id, []),
                    "report_reasons": report_reasons(reports.get(comment.id, [])),
                    "decision": decision,
                },
            }
        )
    return out
