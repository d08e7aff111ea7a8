"""The moderators' payloads: queues, decisions, sanctions, history, settings."""

from typing import Literal

from pydantic import Field

from moderation.labels import LABELS

from ..domain.moderation.capped import CAP
from ..domain.moderation.history import HISTORY_ACTIONS
from ..domain.moderation.queues import SORTS
from . import Answer, Cursor, Query
from .common import Comment, User
from .settings import Settings


class QueueQuery(Query):
    sort: Literal[SORTS] = None
    article: str = None
    author: str = None
    attribute: Literal[LABELS] = None
    limit: int = Field(None, ge=1, le=200)
    cursor: Cursor = None
    offset: int = Field(None, ge=0)


class Queue(Answer):
    """The queue, with each comment's scores, reason, reports and decision."""

    comments: list[Comment]
    counts: dict[str, int] = Field(
        description=f"comments waiting in each queue, counted up to {CAP:,}: a queue with more shows {CAP} "
        "and true in counts_capped"
    )
    counts_capped: dict[str, bool] = Field(
        description="per queue: true when it holds more comments than its count says"
    )
    next: str | None


class Sanctioned(Answer):
    user: User


class HistoryQuery(Query):
    comment_id: int = Field(None, ge=1)
    user_id: int = Field(None, ge=1)
    action: Literal[HISTORY_ACTIONS] = None
    limit: int = Field(None, ge=1, le=1000)
    offset: int = Field(None, ge=0)


class HistoryEntry(Answer):
    id: int
    comment_id: int | None = None
    actor: str
    user: str | None = None
    action: str
    from_status: str | None = Field(None, description="the comment's status before the action")
    to_status: str | None = Field(None, description="and after it")
    reason: str | None = None
    details: dict | None = None
    created_at: str


class History(Answer):
    actions: list[HistoryEntry]


class SettingsAnswer(Answer):
    settings: Settings
