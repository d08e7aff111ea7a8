from flask import jsonify, request
from flask_login import current_user

from ..domain.membership.perks import prefetch_tiers
from ..domain.threads import articles, comments, reactions, threads
from ..errors import Unauthorized
from ..limits import comments_per_user
from ..schemas.comments import NewComment
from ..schemas.common import ArticleAnswer, Articles, ArticlesQuery, CommentAnswer, ThreadPage, ThreadQuery
from . import bp, json_body
from .paging import int_arg
from .spec import documented


@bp.get("/articles")
@documented("articles", {200: (Articles, "Articles")}, query=ArticlesQuery)
def article_list():
    """Articles, newest first, a page at a time (default 50); `next` continues the list"""
    page = articles.list_articles(
        limit=int_arg("limit", articles.PAGE, 1, 200), cursor=request.args.get("cursor") or None
    )
    return jsonify(
        articles=[
            {"slug": a.slug, "title": a.title, "comments_mode": a.comments_mode, "comment_count": n}
            for a, n in page.rows
        ],
        next=page.next,
    )


@bp.get("/articles/<slug>")
@documented("articles", {200: (ArticleAnswer, "Article")})
def article_detail(slug):
    """One article"""
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
@documented("comments", {200: (ThreadPage, "Comments")}, query=ThreadQuery)
def article_comments(slug):
    """The comments this viewer may see, a page of threads (default 50) in `sort` order

    `limit` top-level comments with their replies (the editors' picks lead the default order's
    first page); `next` continues it. Signed out, the answer may come from the server's thread
    cache (X-Cache: hit), up to THREAD_CACHE_SECONDS (2) old; signed-in and Bearer requests
    always bypass it (X-Cache: bypass)."""
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
@documented("comments", {201: (CommentAnswer, "Stored")}, body=NewComment)
def post_comment(slug):
    """Post a comment or a reply"""
    article = articles.get_article(slug)
    if not current_user.is_authenticated:
        raise Unauthorized("Sign in to leave a comment.")
    data = json_body()
    comment = comments.post_comment(article, current_user, data.get("body"), data.get("parent_id"))
    return jsonify(comment=comments.comment_view(comment, current_user)), 201
