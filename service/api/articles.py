from flask import jsonify, request
from flask_login import current_user

from ..domain.threads import articles, comments, threads
from ..domain.membership.perks import tiers_for
from ..errors import Unauthorized
from ..limits import comments_per_user
from . import bp, json_body
from .paging import int_arg


@bp.get("/articles")
def article_list():
    return jsonify(
        articles=[
            {"slug": a.slug, "title": a.title, "comments_mode": a.comments_mode, "comment_count": n}
            for a, n in articles.list_articles()
        ]
    )


@bp.get("/articles/<slug>")
def article_detail(slug):
    return jsonify(article=articles.get_article(slug).to_dict())


@bp.get("/articles/<slug>/comments")
def article_comments(slug):
    """A page of the thread: `limit` top-level comments with their replies; `next` continues it."""
    article = articles.get_article(slug)
    page = threads.page(
        article,
        current_user,
        cursor=request.args.get("cursor") or None,
        limit=int_arg("limit", threads.PAGE, 1, threads.MAX_PAGE),
    )
    tiers_for({c.author_id for c in page.comments})  # every author's tier in one query
    return jsonify(comments=[c.to_dict(current_user) for c in page.comments], next=page.next)


@bp.post("/articles/<slug>/comments")
@comments_per_user
def post_comment(slug):
    article = articles.get_article(slug)
    if not current_user.is_authenticated:
        raise Unauthorized("Sign in to leave a comment.")
    data = json_body()
    comment = comments.post_comment(article, current_user, data.get("body"), data.get("parent_id"))
    return jsonify(comment=comment.to_dict(current_user)), 201
