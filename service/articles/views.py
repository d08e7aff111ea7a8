from flask import current_app, render_template
from flask_login import current_user

from ..domain import articles, comments
from ..domain.membership import tiers_for
from . import bp


@bp.get("/")
def index():
    return render_template("articles/index.html", articles=articles.list_articles())


@bp.get("/articles/<slug>")
def article(slug):
    item = articles.get_article(slug)
    visible = comments.thread(item, current_user)
    tiers_for({c.author_id for c in visible})  # every author's tier and badge in one query
    return render_template(
        "articles/article.html",
        article=item,
        tree=comments.as_tree(visible),
        comment_count=sum(1 for c in visible if not c.is_deleted),
        refusal=comments.can_comment(current_user, item),
        can_edit=lambda c: comments.can_edit(c, current_user),
        max_depth=current_app.config["COMMENT_MAX_DEPTH"],
    )
