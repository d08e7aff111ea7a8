"""Form posts from the article page. Success answers with a redirect back to the thread; a
refusal answers with the article page itself, the text put back in its form and the reason
beside it (a redirect would lose what the reader wrote)."""

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests

from ..articles.views import thread_page
from ..domain.moderation import reports
from ..domain.threads import articles, comments, reactions
from ..errors import DomainError
from ..limits import comments_per_user, reports_per_user
from ..numbers import parse_id
from . import bp
from .wording import say_why


@dataclass
class Draft:
    """A comment form that was refused: which form, what was in it, and what to do about it."""

    kind: str  # "comment", "reply" or "edit"
    target: int | None  # the parent (reply) or the comment (edit)
    body: str
    error: str
    inline: bool = True  # False when its own form is not on the page; it is shown on its own then


def _back_to(comment_or_article, anchor=None):
    """The thread again, on the page and in the order the form was posted from."""
    slug = comment_or_article.slug if hasattr(comment_or_article, "slug") else comment_or_article.article.slug
    where = {k: request.form[k] for k in ("cursor", "sort") if request.form.get(k)}
    return redirect(url_for("articles.article", slug=slug, _anchor=anchor or "comments", **where))


def _parent_id(value):
    # A non-number goes through as text so the domain says what is wrong with it (422).
    number = parse_id(value)
    return number if number is not None else (value or None)


def _body():
    return request.form.get("body", "")


def _draft_from_form(error):
    """The refused form's text and where it goes, read from the request."""
    body = _body()
    if request.endpoint == "comments.edit":
        return Draft("edit", request.view_args.get("comment_id"), body, error)
    parent = _parent_id(request.form.get("parent_id"))
    if isinstance(parent, int):
        return Draft("reply", parent, body, error)
    return Draft("comment", None, body, error)


def _article_of_request():
    if request.endpoint == "comments.post":
        return articles.get_article(request.view_args["slug"])
    return comments.get_comment(request.view_args["comment_id"], current_user).article


def _refused(status, error):
    """The article page again, with the draft where it was written and `error` beside it."""
    article = _article_of_request()
    draft = _draft_from_form(error)
    if draft.kind == "edit":
        draft.inline = comments.can_edit(comments.get_comment(draft.target, current_user), current_user)
    else:
        draft.inline = comments.can_comment(current_user, article) is None
    return thread_page(article, draft, status)


def _refused_by(exc):
    """A post or edit the domain refused: the page again, saying why beside the draft."""
    return _refused(exc.status, say_why(_body(), exc.status, exc.message, exc.errors))


@bp.errorhandler(TooManyRequests)
def too_fast(exc):
    if request.endpoint not in ("comments.post", "comments.edit"):
        return exc
    return _refused(429, say_why(_body(), 429))


@bp.errorhandler(CSRFError)
def stale_form(exc):
    if request.endpoint not in ("comments.post", "comments.edit"):
        return exc
    return _refused(400, say_why(_body(), 400))


@bp.post("/articles/<slug>/comments")
@login_required
@comments_per_user
def post(slug):
    article = articles.get_article(slug)
    parent_id = _parent_id(request.form.get("parent_id"))
    return _written(
        lambda: comments.post_comment(article, current_user, _body(), parent_id),
        "Thanks — your comment is posted. Others see it once it has been checked, usually within seconds.",
    )


@bp.post("/comments/<int:comment_id>/edit")
@login_required
@comments_per_user
def edit(comment_id):
    comment = comments.get_comment(comment_id, current_user)
    return _written(lambda: comments.edit_comment(comment, current_user, _body()), "Your comment is updated.")


def _written(write, done):
    """A post or an edit: `write` it (the domain validates the form's fields with the API's
    schema) and go back to it in the thread saying `done`; refused, the page again with the draft."""
    try:
        comment = write()
    except DomainError as exc:
        return _refused_by(exc)
    flash(done)
    return _back_to(comment, f"comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id):
    comment = comments.get_comment(comment_id, current_user)
    _attempt(lambda: comments.delete_comment(comment, current_user), "Your comment is deleted.")
    return _back_to(comment, f"comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/report")
@login_required
@reports_per_user
def report(comment_id):
    comment = comments.get_comment(comment_id, current_user)
    parts = (request.form.get("reason", ""), " ".join((request.form.get("detail") or "").split()))
    reason = ": ".join(p for p in parts if p.strip())
    _attempt(
        lambda: reports.report_comment(comment, current_user, reason),
        "Thank you — a moderator will look at this comment.",
    )
    return _back_to(comment, f"comment-{comment.id}")


def _attempt(act, done):
    """Do `act` and say `done`; where the domain refuses, say its reason instead."""
    try:
        act()
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(done)


@bp.post("/comments/<int:comment_id>/respect")
@login_required
def respect(comment_id):
    try:
        if request.form.get("respect") == "take":
            comment = reactions.take_back(comment_id, current_user)
        else:
            comment = reactions.give(comment_id, current_user)
    except DomainError as exc:
        flash(exc.message, "error")
        comment = comments.get_comment(comment_id, current_user)
    return _back_to(comment, f"comment-{comment.id}")
