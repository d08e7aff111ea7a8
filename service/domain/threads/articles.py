"""Creating, editing and listing articles."""

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...errors import Conflict, NotFound, ValidationError
from ...extensions import db
from ...models import Article, Comment
from ...models.article import COMMENTS_MODES
from ...models.comment import PUBLIC_STATUSES
from .clean import is_blank, multi_line, single_line

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = ("slug", "title", "summary", "body", "comments_mode", "published_at", "listed")
FLAGS = {True: True, False: False, "on": True, "off": False}  # JSON booleans; the form's checkbox


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

    The admin's form and API use it, and so does the widget for articles it creates (domain/embed/sites.py)."""
    errors, clean = {}, {}
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 120:
        errors["slug"] = "Use lowercase letters, digits and single dashes (at most 120)."
    else:
        clean["slug"] = slug
    title = single_line(data.get("title"))
    if not isinstance(title, str) or is_blank(title) or len(title) > 300:
        errors["title"] = "A title of 1–300 characters is required."
    else:
        clean["title"] = title.strip()
    for field, limit in (("summary", 2000), ("body", 100_000)):
        value = multi_line(data.get(field) or "")
        if not isinstance(value, str) or len(value) > limit:
            errors[field] = f"Text of at most {limit} characters."
        else:
            clean[field] = value
    mode = data.get("comments_mode") or "open"
    if mode not in COMMENTS_MODES:
        errors["comments_mode"] = f"One of {', '.join(COMMENTS_MODES)}."
    else:
        clean["comments_mode"] = mode
    if "listed" in data:  # absent: listed when new, unchanged when edited
        if not isinstance(data["listed"], (bool, str)) or data["listed"] not in FLAGS:
            errors["listed"] = "true or false."
        else:
            clean["listed"] = FLAGS[data["listed"]]
    published = data.get("published_at")
    if published:
        try:
            clean["published_at"] = datetime.fromisoformat(str(published).replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            errors["published_at"] = "An ISO 8601 date and time."
    if errors:
        raise ValidationError(errors)
    return clean


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
