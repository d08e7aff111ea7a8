"""Creating, editing and listing articles."""

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.exc import IntegrityError

from ...errors import Conflict, NotFound
from ...extensions import db
from ...models import Article, Comment
from ...models.comment import PUBLIC_STATUSES
from ...schemas.articles import ArticleFields
from ..statements import once
from . import cursors


def get_article(slug):
    statement = once("article by slug", lambda: select(Article).where(Article.slug == bindparam("slug")))
    article = db.session.scalar(statement, {"slug": slug})
    if article is None:
        raise NotFound("No such article.")
    return article


NEWEST_FIRST = (Article.published_at.desc(), Article.id.desc())  # ix_articles_published, backwards
PAGE = 50  # articles on a page of the front page, the admins' list and the API's


@dataclass
class ArticlePage:
    rows: list  # (Article, count of its publicly visible comments), newest first
    next: str | None  # the cursor of the following page, None on the last one


def list_articles(include_unlisted=False, limit=PAGE, cursor=None):
    """A page of articles, newest first, each with its count of publicly visible comments.
    Readers see the listed ones (the front page, the API); admins see all. Only the page's
    own articles are counted (ix_comments_article_status_created), so a page costs what its
    articles' comments do, not the whole archive's (counting every comment cost about 20 ms
    per 100,000 comments on each front page)."""
    query = select(Article).order_by(*NEWEST_FIRST)
    if not include_unlisted:
        query = query.where(Article.listed.is_(True))
    if cursor is not None:
        published_at, last_id = cursors.decode(cursor, ("time", "id"))
        query = query.where(tuple_(Article.published_at, Article.id) < tuple_(published_at, last_id))
    found = db.session.scalars(query.limit(limit + 1)).all()
    page = found[:limit]
    counts = _public_counts([a.id for a in page])
    after = cursors.encode([page[-1].published_at, page[-1].id]) if len(found) > limit else None
    return ArticlePage([(article, counts.get(article.id, 0)) for article in page], after)


def _public_counts(article_ids):
    if not article_ids:
        return {}
    rows = db.session.execute(
        select(Comment.article_id, func.count())
        .where(Comment.article_id.in_(article_ids), Comment.status.in_(PUBLIC_STATUSES))
        .group_by(Comment.article_id)
    )
    return dict(rows.all())


MENU = 100  # articles a filter menu offers: the newest, where moderators' work is


def choices(keep=None):
    """(slug, title) of the newest MENU articles for filter menus, and of the article `keep`
    names when it is older, so that a filter that is on stays on the menu. Two columns, not
    whole articles with their bodies; a menu of every article grew with the archive (a
    thousand options were a fifth of a queue page's HTML and its rendering time)."""
    newest = once("article menu", lambda: select(Article.slug, Article.title).order_by(*NEWEST_FIRST).limit(MENU))
    rows = db.session.execute(newest).all()
    if keep and keep not in {row.slug for row in rows}:
        rows += db.session.execute(select(Article.slug, Article.title).where(Article.slug == keep)).all()
    return rows


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
