"""A new account, a reader's own data, the admins' list of people and their roles, and the
comment widget's tokens."""

import unicodedata
from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from ..domain.accounts.credentials import normalise_email, password_problem, username_problem
from ..domain.threads.clean import single_line
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


def _email(value):
    email = normalise_email(value)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError("Enter a valid email address.") from None
    return email


def _username(value):
    raw = value.strip() if isinstance(value, str) else ""
    problem = username_problem(raw)
    if problem:
        raise ValueError(problem)
    return unicodedata.normalize("NFKC", raw)


class Registration(Body):
    """A new account (the API's and the sign-up form's): every field's problem named at once."""

    email: Annotated[str, BeforeValidator(_email), Field(description="stored lower-cased")]
    username: Annotated[str, BeforeValidator(_username), Field(json_schema_extra={"pattern": "^[A-Za-z0-9_.-]{3,30}$"})]
    # What the password may not be: the name and address as sent, valid or not (set below).
    guessable: SkipJsonSchema[tuple[str, ...]] = ()
    password: str = Field(description="at least the site's PASSWORD_MIN_LENGTH characters, at most 256")

    @model_validator(mode="before")
    @classmethod
    def _guessable(cls, data):
        if not isinstance(data, dict):
            return data
        raw = data.get("username").strip() if isinstance(data.get("username"), str) else ""
        email = normalise_email(data.get("email"))
        return {**data, "guessable": (raw, unicodedata.normalize("NFKC", raw), email, email.split("@")[0])}

    @field_validator("password", mode="before")
    @classmethod
    def _strong(cls, value, info: ValidationInfo):
        problem = password_problem(value, info.data.get("guessable", ()))
        if problem:
            raise ValueError(problem)
        return value


def _text_or_none(value):
    """Anything but text reads as nothing."""
    return value if isinstance(value, str) else None


Text = Annotated[str | None, BeforeValidator(_text_or_none), WithJsonSchema({"type": "string"})]


class SignIn(Body):
    """The API's and the sign-in form's. Never refused field by field: whatever does not name an
    account and its password (text missing, or not text) is the same 401 as a wrong password, so
    the answer tells a guesser nothing."""

    login: Text = Field(description="an email address or a username")
    password: Text
    remember: Annotated[bool, BeforeValidator(bool)] = False

    @model_validator(mode="before")
    @classmethod
    def _absent_is_nothing(cls, data):
        return {"login": None, "password": None, **data} if isinstance(data, dict) else data


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


def _role_reason(value):
    if value is not None and (not isinstance(value, str) or len(value) > 500):
        raise ValueError("Text of at most 500 characters.")
    return (single_line(value).strip() or None) if value else None


class RoleChange(Body):
    role: Literal[ROLES]
    reason: Annotated[str | None, Field(max_length=500), BeforeValidator(_role_reason)] = None

    REFUSALS = {"role": f"One of {', '.join(ROLES)}."}


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
    """Never refused: a token is bound to the embedding site's origin where that is a registered
    one (or Parley's own), and to none otherwise."""

    origin: Annotated[str | None, BeforeValidator(_text_or_none), Field(json_schema_extra={"maxLength": 255})] = None
