"""Form posts from the article page; each answers with a redirect back to the thread."""
from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..domain import articles, comments, reports
from ..errors import DomainError
from ..limits import comments_per_user, reports_per_user
from . import bp


def _back_to(comment_or_article, anchor=None):
    slug = comment_or_article.slug if hasattr(comment_or_article, "slug") else comment_or_article.article.slug
    return redirect(url_for("articles.article", slug=slug, _anchor=anchor or "comments"))


def _parent_id(value):
    return int(value) if value and value.isdigit() else (None if not value else value)


@bp.post("/articles/<slug>/comments")
@login_required
@comments_per_user
def post(slug):
    article = articles.get_article(slug)
    try:
        comment = comments.post_comment(
            article, current_user, request.form.get("body", ""), _parent_id(request.form.get("parent_id"))
        )
    except DomainError as exc:
        flash(exc.message, "error")
        return _back_to(article, "comment-form")
    flash("Thanks — your comment is posted. Others see it once it has been checked, usually within seconds.")
    return _back_to(article, f"comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/edit")
@login_required
def edit(comment_id):
    comment = comments.get_comment(comment_id, current_user)
    try:
        comments.edit_comment(comment, current_user, request.form.get("body", ""))
        flash("Your comment is updated.")
    except DomainError as exc:
        flash(exc.message, "error")
    return _back_to(comment, f"comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id):
    comment = comments.get_comment(comment_id, current_user)
    try:
        comments.delete_comment(comment, current_user)
        flash("Your comment is deleted.")
    except DomainError as exc:
        flash(exc.message, "error")
    return _back_to(comment, f"comment-{comment.id}")


@bp.post("/comments/<int:comment_id>/report")
@login_required
@reports_per_user
def report(comment_id):
    comment = comments.get_comment(comment_id, current_user)
    parts = (request.form.get("reason", ""), " ".join((request.form.get("detail") or "").split()))
    reason = ": ".join(p for p in parts if p.strip())
    try:
        reports.report_comment(comment, current_user, reason)
        flash("Thank you — a moderator will look at this comment.")
    except DomainError as exc:
        flash(exc.message, "error")
    return _back_to(comment, f"comment-{comment.id}")
