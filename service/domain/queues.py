"""The moderators' queues, as moderators name them, and the cards they work from."""
from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import selectinload

from moderation.policy import ATTRIBUTES

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Article, Comment, Decision, ModerationAction, Report, User

QUEUES = ("pending", "reported", "review")
SORTS = ("age", "oldest", "score")
PAGE = 50

_open_report = exists().where(Report.comment_id == Comment.id, Report.resolved_at.is_(None))
CONDITIONS = {
    # Held by the system (or not yet scored): hidden until a moderator decides.
    "pending": Comment.status.in_(("pending", "held")),
    # Reported by readers and not yet looked at; still visible unless enough reports hid it.
    "reported": and_(_open_report, Comment.status.in_(("published", "review", "held"))),
    # Published, but the scores fell in a review band.
    "review": Comment.status == "review",
}


def _filters(article=None, author=None, attribute=None):
    where = []
    if article:
        where.append(Comment.article.has(Article.slug == article))
    if author:
        where.append(Comment.author.has(User.username == author))
    if attribute:
        if attribute not in ATTRIBUTES:
            raise ValidationError({"attribute": f"One of {', '.join(ATTRIBUTES)}."})
        where.append(Comment.scores[attribute].as_float() >= 0.5)
    return where


def queue(name, sort="age", article=None, author=None, attribute=None, limit=PAGE, offset=0):
    """Comments in a queue, with filters; `sort` is newest first, oldest first or worst score first."""
    if name not in QUEUES:
        raise NotFound(f"No queue {name!r}; the queues are {', '.join(QUEUES)}.")
    if sort not in SORTS:
        raise ValidationError({"sort": f"One of {', '.join(SORTS)}."})
    query = select(Comment).where(CONDITIONS[name], *_filters(article, author, attribute))
    if sort == "score":
        key = Comment.scores[attribute or "toxicity"].as_float()
        query = query.order_by(key.desc().nulls_last(), Comment.id)
    elif sort == "oldest":
        query = query.order_by(Comment.created_at, Comment.id)
    else:
        query = query.order_by(Comment.created_at.desc(), Comment.id.desc())
    query = query.options(selectinload(Comment.author), selectinload(Comment.article), selectinload(Comment.parent))
    return db.session.scalars(query.limit(limit).offset(offset)).all()


def counts():
    """How many comments wait in each queue (the tab badges)."""
    return {name: db.session.scalar(select(func.count()).select_from(Comment).where(condition)) for name, condition in CONDITIONS.items()}


def author_records(user_ids):
    """{user_id: {"approved": n, "rejected": n}} from moderators' decisions, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(
            ModerationAction.user_id,
            func.sum(case((ModerationAction.action == "approve", 1), else_=0)),
            func.sum(case((ModerationAction.action == "reject", 1), else_=0)),
        )
        .where(ModerationAction.user_id.in_(user_ids), ModerationAction.actor_id.is_not(None))
        .group_by(ModerationAction.user_id)
    )
    records = {uid: {"approved": 0, "rejected": 0} for uid in user_ids}
    for uid, approved, rejected in rows:
        records[uid] = {"approved": int(approved or 0), "rejected": int(rejected or 0)}
    return records


def latest_decisions(comment_ids):
    """{comment_id: Decision} for the newest system decision of each comment."""
    if not comment_ids:
        return {}
    newest = (
        select(Decision.comment_id, func.max(Decision.id).label("id"))
        .where(Decision.comment_id.in_(comment_ids))
        .group_by(Decision.comment_id)
        .subquery()
    )
    rows = db.session.scalars(select(Decision).join(newest, newest.c.id == Decision.id))
    return {d.comment_id: d for d in rows}


def open_reports(comment_ids):
    if not comment_ids:
        return {}
    reports = {}
    rows = db.session.scalars(
        select(Report).where(Report.comment_id.in_(comment_ids), Report.resolved_at.is_(None)).order_by(Report.id)
    )
    for report in rows:
        reports.setdefault(report.comment_id, []).append(report)
    return reports


def cards(comments, moderator):
    """What a moderator sees of each comment: the comment, its context, the author's record,
    the reports, and the decision with its scores and highlighted spans."""
    ids = [c.id for c in comments]
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
                    **comment.to_dict(moderator),
                    "article_title": comment.article.title,
                    "parent": comment.parent.body[:300] if comment.parent and not comment.parent.is_deleted else None,
                    "author_record": {
                        **records.get(author.id, {}),
                        "status": author.status,
                        "premoderated": author.on_premoderation,
                        "user_id": author.id,
                    },
                    "reports": [r.to_dict() for r in reports.get(comment.id, [])],
                    "decision": decision.to_dict() if decision else None,
                },
            }
        )
    return out


def history(comment_id=None, user_id=None, limit=200, offset=0):
    """Moderation history, newest first: site-wide, for one comment, or about one user."""
    query = select(ModerationAction).options(selectinload(ModerationAction.actor), selectinload(ModerationAction.user))
    if comment_id is not None:
        query = query.where(ModerationAction.comment_id == comment_id)
    if user_id is not None:
        query = query.where(ModerationAction.user_id == user_id)
    return db.session.scalars(query.order_by(ModerationAction.id.desc()).limit(limit).offset(offset)).all()
