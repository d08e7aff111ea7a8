from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..domain.threads import articles
from ..errors import DomainError
from ..extensions import db
from ..models import Article, OutboxMessage
from ..roles import admin_required
from . import bp


@bp.before_request
@admin_required
def only_admins():
    """Every page here is for admins."""


@bp.get("/")
def home():
    return redirect(url_for("admin.article_list"))


@bp.get("/articles")
def article_list():
    cursor = request.args.get("cursor") or None
    page = articles.list_articles(include_unlisted=True, cursor=cursor)
    return render_template("admin/articles.html", page=page, first_page=cursor is None)


@bp.route("/articles/new", methods=["GET", "POST"])
def article_new():
    return _article_form(None)


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
def article_edit(article_id):
    article = db.get_or_404(Article, article_id)
    return _article_form(article)


def _article_form(article):
    errors = {}
    saved_form = {**article.to_dict(), "listed": article.listed} if article else {"comments_mode": "open"}
    form = request.form if request.method == "POST" else saved_form
    if request.method == "POST":
        try:
            saved = articles.save_article(request.form.to_dict(), article)
        except DomainError as exc:
            errors = exc.errors or {"form": exc.message}
        else:
            flash(f"Saved “{saved.title}”.")
            return redirect(url_for("admin.article_list"))
    return render_template("admin/article_form.html", article=article, form=form, errors=errors), (
        422 if errors else 200
    )


@bp.get("/outbox")
def outbox():
    # Messages only: a queued reset request (kind set) is a typed address, maybe of no account,
    # until the worker writes the message or drops it.
    ready = select(OutboxMessage).where(OutboxMessage.kind.is_(None))
    messages = db.session.scalars(ready.order_by(OutboxMessage.id.desc()).limit(200)).all()
    return render_template("admin/outbox.html", messages=messages)
