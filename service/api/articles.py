from flask import jsonify, request
from flask_login import current_user

from ..domain.membership.perks import prefetch_tiers
from ..domain.threads import articles, comments, reactions, threads
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


def thread_dicts(comments_, viewer):
    """Comments as the API gives them, each saying whether this viewer has respected it."""
    respected = reactions.respected_by(viewer, {c.id for c in comments_})
    out = []
    for comment in comments_:
        data = comments.comment_view(comment, viewer)
        if viewer.is_authenticated:
            data["respected"] = comment.id in respected
        out.append(data)
    return out


@bp.get("/articles/<slug>/comments")
def article_comments(slug):
    """A page of the thread: `limit` top-level comments with their replies, in `sort` order
    (the editors' picks lead the default order's first page); `next` continues it."""
    article = articles.get_article(slug)
    sort = request.args.get("sort") or threads.DEFAULT_SORT
    page = threads.page(
        article,
        current_user,
        cursor=request.args.get("cursor") or None,
        limit=int_arg("limit", threads.PAGE, 1, threads.MAX_PAGE),
        sort=sort,
    )
    prefetch_tiers({c.author_id for c in page.comments})  # every author's tier in one query
    return jsonify(comments=thread_dicts(page.comments, current_user), next=page.next, sort=sort, picks=page.picks)


@bp.post("/articles/<slug>/comments")
@comments_per_user
def post_comment(slug):
    article = articles.get_article(slug)
    if not current_user.is_authenticated:
        raise Unauthorized("Sign in to leave a comment.")
    data = json_body()
    comment = comments.post_comment(article, current_user, data.get("body"), data.get("parent_id"))
    return jsonify(comment=comments.comment_view(comment, current_user)), 201
