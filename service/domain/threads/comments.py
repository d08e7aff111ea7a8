"""Posting, editing and deleting comments, and what each viewer may see of a thread."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ...background.wakeups import notify_in_transaction, wake_workers
from ...errors import Forbidden, NotFound, ValidationError
from ...extensions import db
from ...models import Comment
from ...models.base import utcnow
from ...schemas.comments import CommentBody, NewComment
from ..membership.perks import MEMBERS_ONLY, has_perk, tier_of
from ..moderation.statuses import change_status
from . import threads


def get_comment(comment_id, viewer=None):
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.visible_to(viewer):
        raise NotFound("No such comment.")
    return comment


def comment_view(comment, viewer=None):
    """A comment as the API shows it to `viewer`, with its author's current tier (prefetch the
    tiers of a page of authors first: `membership.perks.prefetch_tiers`)."""
    data = comment.to_dict(viewer)
    if data["author"] is not None:
        data["author"]["tier"] = tier_of(comment.author).slug
    return data


def _checked(schema, **fields):
    """The payload, validated by its schema (service/schemas/comments.py) at the site's length limit."""
    return schema.check(fields, limit=current_app.config["COMMENT_MAX_LENGTH"])


def can_comment(user, article):
    """Why `user` may not comment on `article`, or None when they may."""
    if article.comments_mode == "closed":
        return "Comments on this article are closed."
    if user is None or not user.is_authenticated:
        return "Sign in to leave a comment."
    if user.status == "banned":
        return "Your account is banned from commenting."
    if user.is_suspended:
        until = f" until {user.suspended_until:%d %B %Y %H:%M} UTC" if user.suspended_until else ""
        return f"Your account is suspended from commenting{until}."
    if article.comments_mode == "members" and not user.is_moderator and not has_perk(user, "members_comments"):
        return MEMBERS_ONLY
    return None


def _parent_for(article, parent_id, viewer):
    if parent_id is None:
        return None
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.article_id != article.id or not parent.visible_to(viewer):
        raise ValidationError({"parent_id": "No such comment on this article."})
    if parent.is_deleted:
        raise ValidationError({"parent_id": "That comment was deleted."})
    if parent.depth >= current_app.config["COMMENT_MAX_DEPTH"]:
        raise ValidationError({"parent_id": "This thread is nested as deep as it goes; reply higher up."})
    return parent


def post_comment(article, author, body, parent_id=None):
    """Store a comment as pending, in the transaction that accepts it; a worker decides it."""
    refusal = can_comment(author, article)
    if refusal:
        raise Forbidden(refusal)
    fields = _checked(NewComment, body=body, parent_id=parent_id)
    parent = _parent_for(article, fields.parent_id, author)
    comment = Comment(
        article=article,
        author=author,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body=fields.body,
        status="pending",
    )
    db.session.add(comment)
    notify_in_transaction(db.session)
    _commit_keeping_loaded()
    wake_workers()
    return comment


def _commit_keeping_loaded():
    """Commit without expiring what this request holds. The answer to a new comment is built
    from the values just written; re-reading the comment, its article, its author and the
    author's tier would cost four more queries on the busiest write path."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _own(comment, user):
    if comment.author_id != user.id:
        raise Forbidden("Only the author can change this comment.")
    if comment.is_deleted:
        raise Forbidden("This comment was deleted.")


def edit_deadline(comment):
    return comment.created_at + timedelta(minutes=current_app.config["COMMENT_EDIT_WINDOW_MINUTES"])


def can_edit(comment, user):
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.id
        and not comment.is_deleted
        and utcnow() <= edit_deadline(comment)
        and can_comment(user, comment.article) is None
    )


def edit_comment(comment, user, body):
    """An edit is a new revision: back to pending and re-scored, as a new comment would be.

    It obeys the posting rules (an edit is posting new text: a suspended author, or a lapsed
    member on a members-only article, may not), and a moderator's feature is for the text
    they read, so an edit of a featured comment clears it; the history says so."""
    # Lock the row and read it afresh: a worker may be deciding the old revision right now
    # (on PostgreSQL it holds this lock), and the edit must land on top of that decision,
    # not be overwritten by it or slip through published without being scored.
    db.session.refresh(comment, with_for_update=True)
    _own(comment, user)
    refusal = can_comment(user, comment.article)
    if refusal:
        raise Forbidden(refusal)
    if utcnow() > edit_deadline(comment):
        minutes = current_app.config["COMMENT_EDIT_WINDOW_MINUTES"]
        raise Forbidden(f"Comments can be edited for {minutes} minutes after posting.")
    comment.body = _checked(CommentBody, body=body).body
    comment.edited_at = utcnow()
    comment.revision += 1
    unfeatured = comment.featured
    comment.featured = False
    change_status(
        comment,
        "pending",
        "edit",
        actor=user,
        reason="edited by author; no longer featured" if unfeatured else "edited by author",
        details={"unfeatured": True} if unfeatured else None,
    )
    comment.attempts, comment.next_attempt_at, comment.last_error = 0, None, None  # the new revision's own tries
    notify_in_transaction(db.session)
    db.session.commit()
    wake_workers()
    return comment


def delete_comment(comment, user):
    """Soft delete: the row stays so replies keep their place in the thread."""
    _own(comment, user)
    comment.deleted_at = utcnow()
    change_status(comment, "deleted", "delete", actor=user, reason="deleted by author")
    db.session.commit()


def thread(article, viewer):
    """Every comment of an article this viewer may see, oldest first (all of it: pages use
    threads.page). Deleted comments are kept as placeholders only where visible replies hang below them.
    """
    comments = db.session.scalars(
        select(Comment).where(Comment.article_id == article.id).order_by(Comment.created_at, Comment.id)
    ).all()
    return threads.shown(comments, viewer)


def as_tree(comments):
    """Nest a flat, ordered list: returns [(comment, children)] for the top level."""
    children = {c.id: [] for c in comments}
    roots = []
    for comment in comments:
        node = (comment, children[comment.id])
        if comment.parent_id in children:
            children[comment.parent_id].append(node)
        else:
            roots.append(node)
    return roots
