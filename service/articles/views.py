from flask import current_app, render_template, request
from flask_login import current_user

from ..domain import articles, comments, threads
from ..domain.membership import tiers_for
from . import bp


@bp.get("/")
def index():
    return render_template("articles/index.html", articles=articles.list_articles())


@bp.get("/articles/<slug>")
def article(slug):
    item = articles.get_article(slug)
    cursor = request.args.get("cursor") or None
    page = threads.page(item, current_user, cursor=cursor)
    tiers_for({c.author_id for c in page.comments})  # every author's tier and badge in one query
    return render_template(
        "articles/article.html",
        article=item,
        tree=comments.as_tree(page.comments),
        next_cursor=page.next,
        first_page=cursor is None,
        comment_count=threads.comment_count(item, current_user),
        refusal=comments.can_comment(current_user, item),
        can_edit=lambda c: comments.can_edit(c, current_user),
        max_depth=current_app.config["COMMENT_MAX_DEPTH"],
    )
