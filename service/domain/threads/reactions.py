"""Respect: one reaction per reader per comment, with a count on the comment.

Giving it twice changes nothing, and neither does taking back what was not given, so a
double click or a retried request cannot skew a count. The count moves in the same
transaction as the reaction row, by an UPDATE relative to the stored value, so readers
reacting at once on two processes never overwrite each other's increment.
"""

from sqlalchemy import Integer, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from ...errors import Forbidden, NotFound
from ...extensions import db
from ...models import Comment, Reaction
from ...models.comment import PUBLIC_STATUSES
from ..ids import among
from ..statements import once


def _reactable(comment_id, user):
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.visible_to(user) or comment.is_deleted:
        raise NotFound("No such comment.")
    if comment.status not in PUBLIC_STATUSES:
        raise Forbidden("Only published comments can be given respect.")
    if comment.author_id == user.id:
        raise Forbidden("You cannot give respect to your own comment.")
    return comment


def _move_count(comment, by):
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(respect_count=Comment.respect_count + by)
        .execution_options(synchronize_session=False)
    )


def give(comment_id, user):
    """`user` respects the comment; returns it with its new count."""
    comment = _reactable(comment_id, user)
    if _has(comment.id, user) is None:
        db.session.add(Reaction(comment_id=comment.id, user_id=user.id))
        try:
            db.session.flush()
        except IntegrityError:  # the same reader's other request got there first
            db.session.rollback()
            return db.session.get(Comment, comment_id)
        _move_count(comment, 1)
    db.session.commit()
    db.session.refresh(comment)
    return comment


def take_back(comment_id, user):
    """`user` takes their respect back; returns the comment with its new count."""
    comment = _reactable(comment_id, user)
    gone = db.session.execute(
        delete(Reaction).where(Reaction.comment_id == comment.id, Reaction.user_id == user.id)
    ).rowcount
    if gone:
        _move_count(comment, -gone)
    db.session.commit()
    db.session.refresh(comment)
    return comment


def _has(comment_id, user):
    return db.session.scalar(select(Reaction.id).where(Reaction.comment_id == comment_id, Reaction.user_id == user.id))


def respected_by(user, comment_ids):
    """Which of these comments `user` has respected: one query for a page of a thread."""
    if user is None or not user.is_authenticated or not comment_ids:
        return set()
    statement = once("respected by", _respected_statement)
    return set(db.session.scalars(statement, {"user_id": user.id, "ids": sorted(comment_ids)}))


def _respected_statement():
    mine = Reaction.user_id == bindparam("user_id", type_=Integer)
    return select(Reaction.comment_id).where(mine, among(Reaction.comment_id, name="ids"))
