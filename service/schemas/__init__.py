"""One pydantic model per JSON payload of /api/v1: each both validates what comes in (through
service/api/spec.py) and writes its part of the OpenAPI document. Enums are the code's own
constants; `REFUSALS` says, per field, what a client is told when the field is wrong.

Nothing here imports Flask or a blueprint, so the domain and the HTML forms can use the same
rules as the API."""

from typing import Annotated, ClassVar

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from ..errors import DomainError, ValidationError

# A paginated call's `cursor`: the `next` of the page before.
Cursor = Annotated[str, Field(description="The `next` of the previous page (opaque); a bad one is a 400")]


class Answer(BaseModel):
    """What the API sends back; a field with a default may be left out."""

    model_config = ConfigDict(extra="allow")


class Body(BaseModel):
    """A JSON object a client sends (or a form's fields, where a form takes the same payload).
    Unknown fields are ignored, as they always were.

    `check(data)` is how the domain validates with it: every wrong field is named at once, in a
    ValidationError (422, `{"error", "errors"}`), with the refusal its validator raised
    (`ValueError("…")`) or else the model's REFUSALS[field] (or REFUSALS[pydantic's error type])."""

    model_config = ConfigDict(extra="ignore")
    REFUSALS: ClassVar[dict[str, str]] = {}
    # The field that names what to do (a moderator's act, a sanction): a value naming nothing
    # is a 400 with its refusal as the message, where no other field is wrong.
    OPERATION: ClassVar[str | None] = None

    @classmethod
    def check(cls, data, **context):
        try:
            return cls.model_validate(data, context=context)
        except pydantic.ValidationError as exc:
            errors = cls.refusals(exc)
        unknown = errors.pop(cls.OPERATION, None)
        if unknown and not errors:
            raise DomainError(unknown)
        raise ValidationError(errors)

    @classmethod
    def refusals(cls, exc):
        errors = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            cause = error.get("ctx", {}).get("error")
            said = cls.REFUSALS.get(field) or cls.REFUSALS.get(error["type"]) or error["msg"] + "."
            message = str(cause) if isinstance(cause, ValueError) else said
            errors.setdefault(field, message)
        return errors


class Query(Body):
    """A query string's arguments."""
