"""What a moderator does: an act on a comment (a decision) and a sanction on an account, as the
API sends them (JSON) and the moderators' pages post them; the domain validates both with these
(domain/moderation/moderator_actions.py, sanctions.py)."""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from ..domain.moderation.statuses import ACTIONS
from ..models.comment import STATUSES
from ..models.user import SANCTIONS
from . import Body


def _one_of(names, word):
    """The operation named, or a refusal naming the choices (a 400: see Body.OPERATION)."""

    def check(value):
        if value not in names:
            raise ValueError(f"Unknown {word} {value!r}; use one of: {', '.join(names)}.")
        return value

    return BeforeValidator(check)


def _at_most(value):
    if value is not None and (not isinstance(value, str) or len(value) > 1000):
        raise ValueError("Text of at most 1,000 characters.")
    return value


Reason = Annotated[str | None, Field(max_length=1000), BeforeValidator(_at_most)]


class Decision(Body):
    """A moderator's act on a comment."""

    action: Annotated[Literal[ACTIONS], _one_of(ACTIONS, "action")]
    reason: Reason = None
    expected_status: Literal[STATUSES] | None = Field(
        None, description="the status the moderator saw; a mismatch is a 409"
    )

    OPERATION = "action"
    REFUSALS = {"expected_status": "A comment status."}


class Sanction(Body):
    action: Annotated[Literal[SANCTIONS], _one_of(SANCTIONS, "sanction")]
    reason: Reason = None
    days: int | None = Field(None, ge=1, le=3650, validate_default=True, description="how long a suspension lasts")

    OPERATION = "action"

    @field_validator("days", mode="before")
    @classmethod
    def _suspension(cls, value, info: ValidationInfo):
        """Read only for a suspension, which needs it."""
        if info.data.get("action") != "suspend":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
            raise ValueError("A whole number of days from 1 to 3650.")
        return value
