"""Payloads shared by several route groups: errors, people, comments, articles, health."""

from typing import Literal

from pydantic import Field

from ..domain.threads.threads import SORTS
from ..models.article import COMMENTS_MODES
from ..models.comment import STATUSES
from ..models.user import ROLES
from . import Answer, Cursor, Query


class Error(Answer):
    """Every refusal: a message, and per field what was wrong when a field was."""

    error: str
    errors: dict[str, str] | None = None


class User(Answer):
    id: int
    username: str
    role: Literal[ROLES]
    tier: str


class UserAnswer(Answer):
    user: User


class Author(Answer):
    username: str | None = None
    tier: str | None = None


class Comment(Answer):
    id: int
    article: str
    parent_id: int | None
    author: Author | None
    body: str
    status: Literal[STATUSES]
    created_at: str
    edited_at: str | None = None
    featured: bool | None = Field(None, description="An editors' pick")
    respect: int | None = Field(None, description="How many readers gave it their respect")
    respected: bool | None = Field(None, description="Whether you did (signed-in callers only)")
    scores: dict[str, float] | None = None
    reason: str | None = None


class CommentAnswer(Answer):
    comment: Comment


class ArticleSummary(Answer):
    slug: str
    title: str
    comments_mode: Literal[COMMENTS_MODES]
    comment_count: int


class Article(Answer):
    slug: str
    title: str
    summary: str
    body: str
    comments_mode: Literal[COMMENTS_MODES]
    published_at: str


class ArticleAnswer(Answer):
    article: Article


class Articles(Answer):
    """A page of articles, newest first; `next` continues the list (null on the last page)."""

    articles: list[ArticleSummary]
    next: str | None


class ArticlesQuery(Query):
    cursor: Cursor = None
    limit: int = Field(None, ge=1, le=200)


class ThreadPage(Answer):
    """A page of a thread: `limit` top-level comments with all their replies; `next` continues it."""

    comments: list[Comment]
    next: str | None
    sort: str | None = None
    picks: int | None = Field(
        None, description="How many top-level comments at the start are editors' picks (featured)"
    )


class ThreadQuery(Query):
    cursor: Cursor = None
    limit: int = Field(None, ge=1, le=200)
    sort: Literal[tuple(SORTS)] = Field(
        None,
        description="featured (default: editors' picks lead the first page, then oldest first), oldest, newest, "
        "or respect (most respected first); each top-level comment is followed by its replies, oldest first",
    )


class Respect(Answer):
    respect: int
    respected: bool


class Health(Answer):
    status: str
    db: str
    model: str
    pending: int | None
    backlog: Literal["none", "some", "large"]
    model_error: str | None = None


class Reported(Answer):
    status: str
