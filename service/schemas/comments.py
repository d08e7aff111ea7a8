"""A comment's text and a reader's report, as the API sends them (JSON) and the article page's
forms post them: one model validates both and documents the API's body."""

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from ..domain.threads.clean import is_blank, multi_line, single_line
from ..numbers import MAX_ID, is_id
from . import Body

COMMENT_MAX_LENGTH = 5000  # the default of the setting of that name (service/config.py)


class CommentBody(Body):
    """A comment's text; the context's `limit` is the site's COMMENT_MAX_LENGTH."""

    body: str = Field(
        min_length=1,
        json_schema_extra={"maxLength": COMMENT_MAX_LENGTH},  # the limit itself is the context's
        description="at most the site's COMMENT_MAX_LENGTH characters",
    )

    REFUSALS = {"body": "Write something first."}

    @field_validator("body", mode="before")
    @classmethod
    def _text(cls, value, info: ValidationInfo):
        """Control characters removed; not blank, and within the limit."""
        limit = info.context.get("limit", COMMENT_MAX_LENGTH)
        body = multi_line(value)
        if not isinstance(body, str) or is_blank(body):
            raise ValueError("Write something first.")
        if len(body) > limit:
            raise ValueError(f"Keep it to {limit} characters (this is {len(body)}).")
        return body


class NewComment(CommentBody):
    parent_id: Annotated[int | None, Field(ge=1, le=MAX_ID, description="the comment this replies to")] = None

    @field_validator("parent_id", mode="before")
    @classmethod
    def _id(cls, value):
        if value is not None and not is_id(value):
            raise ValueError("Must be a comment id.")
        return value


class Report(Body):
    reason: str = Field(min_length=1, max_length=500)

    REFUSALS = {"reason": "Say why, in at most 500 characters."}

    @field_validator("reason", mode="before")
    @classmethod
    def _said(cls, value):
        reason = single_line(value)
        if not isinstance(reason, str) or not reason or len(reason) > 500:
            raise ValueError("Say why, in at most 500 characters.")
        return reason
