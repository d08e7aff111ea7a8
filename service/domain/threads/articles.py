"""Creating, editing and listing articles."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...errors import Conflict, NotFound
from ...extensions import db
from ...models import Article, Comment
from ...models.comment import PUBLIC_STATUSES
from ...schemas.articles import ArticleFields


def get_article(slug):
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        raise NotFound("No such article.")
    return article


def list_articles(include_unlisted=False):
    """Articles, newest first, with their count of publicly visible comments. Readers see the
    listed ones (the front page, the API); admins see all."""
    counts = (
        select(Comment.article_id, func.count().label("n"))
        .where(Comment.status.in_(PUBLIC_STATUSES))
        .group_by(Comment.article_id)
        .subquery()
    )
    query = (
        select(Article, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.article_id == Article.id)
        .order_by(Article.published_at.desc(), Article.id.desc())
    )
    if not include_unlisted:
        query = query.where(Article.listed.is_(True))
    rows = db.session.execute(query)
    return [(article, count) for article, count in rows]


def choices():
    """(slug, title) of every article, newest first, for filter menus: two columns, not whole
    articles with their bodies, on every queue page."""
    return db.session.execute(
        select(Article.slug, Article.title).order_by(Article.published_at.desc(), Article.id.desc())
    ).all()


def clean_fields(data):
    """Validate article fields; returns the cleaned values or raises ValidationError.

    The admin's form and API use it, and so does the widget for articles it creates
    (domain/embed/sites.py); the rules are service/schemas/articles.py's, which the API documents."""
    return ArticleFields.check(data).changes()


def save_article(data, article=None):
    """Create an article, or update the given one, from a dict of fields."""
    clean = clean_fields(data)
    article = article or Article()
    for field, value in clean.items():
        setattr(article, field, value)
    db.session.add(article)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("An article with that slug exists.", {"slug": "Already used."}) from None
    return article
