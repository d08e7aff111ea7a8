"""A reader's own data, the admins' list of people, and the comment widget's tokens."""

from typing import Literal

from pydantic import Field

from ..models.export import STATES as EXPORT_STATES
from ..models.user import ROLES
from ..models.user import STATUSES as USER_STATUSES
from . import Answer, Body, Query
from .common import User


class Export(Answer):
    id: int
    status: Literal[EXPORT_STATES]
    requested_at: str
    finished_at: str | None = None
    expires_at: str | None = None
    size: int | None = Field(None, description="bytes of the JSON document")
    error: str | None = None
    download_url: str | None = Field(
        description="where the owner downloads the JSON file (Content-Disposition: attachment) while it is ready"
    )


class ExportAnswer(Answer):
    export: Export


class MaybeExport(Answer):
    export: Export | None


class Password(Body):
    password: str


class AdminUser(Answer):
    id: int
    username: str
    email: str
    role: Literal[ROLES]
    tier: str
    status: Literal[USER_STATUSES]
    suspended_until: str | None = None
    premoderated: bool | None = None
    created_at: str
    last_login_at: str | None = None


class People(Answer):
    users: list[AdminUser]
    next_page: int | None


class PeopleQuery(Query):
    q: str = Field(None, description="part of a username or an email address, any case")
    role: Literal[ROLES] = Field(None, description="reader, moderator or admin")
    status: str = Field(None, description="active, suspended, banned or deleted")
    tier: str = Field(None, description="a tier's slug: who holds it now (the base tier: who holds no other)")
    joined_after: str = Field(None, description="an ISO 8601 date: joined on or after it")
    joined_before: str = Field(None, description="an ISO 8601 date: joined on or before it")
    page: int = Field(None, ge=1, description="from 1")


class RoleChange(Body):
    role: Literal[ROLES]
    reason: str | None = Field(None, max_length=500)


class RoleChanged(Answer):
    """The account; changed is false when it already had the role."""

    user: AdminUser
    changed: bool


class Session(Answer):
    user: User | None
    csrf_token: str


class EmbedConfig(Answer):
    origin: str
    allowed: bool
    create_articles: bool


class EmbedToken(Answer):
    token: str
    expires_at: str
    user: User


class TokenRequest(Body):
    origin: str | None = Field(None, max_length=255)
