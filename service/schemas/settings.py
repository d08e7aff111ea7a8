"""The moderation settings an admin changes, through the API (JSON) and the settings page
(service/review/forms.py turns its text fields into the same payload)."""

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema

from moderation.policy import LANGUAGE_ACTIONS

from ..domain.threads.clean import multi_line
from . import Body

# What happens to a deleted account's comments (see service.domain.accounts.deletion).
DELETED_ACCOUNT_COMMENTS = ("anonymise", "delete")
PAYMENT_INSTRUCTIONS_MAX = 2000


def _policy(schema):
    """A policy setting: documented here, checked by moderation.policy (its one home, free of
    Flask), whose messages name the setting."""
    return Annotated[Any, WithJsonSchema(schema)]


def _threshold(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ValueError("A whole number from 1 to 1000.")
    return value


def _instructions(value):
    if not isinstance(value, str) or len(value) > PAYMENT_INSTRUCTIONS_MAX:
        raise ValueError(f"Text of at most {PAYMENT_INSTRUCTIONS_MAX:,} characters.")
    return multi_line(value).strip()


UNIT = {"type": "number", "minimum": 0, "maximum": 1}
BANDS = {"type": "object", "additionalProperties": UNIT, "description": "per attribute, from 0 to 1"}
WORDS = {"type": "array", "items": {"type": "string"}}
AT_LEAST_ONE = {"type": "integer", "minimum": 1}


class Settings(Body):
    """The moderation settings; a change sends only the ones it changes (all or nothing)."""

    model_config = ConfigDict(extra="forbid")

    review: _policy(BANDS) = None
    hold: _policy(BANDS) = None
    banned_words: _policy(WORDS) = None
    suspect_words: _policy(WORDS) = None
    auto_reject: _policy({"type": "boolean"}) = None
    reject_threshold: _policy(UNIT) = None
    premoderation_rate: _policy(UNIT) = None
    rate_window: _policy(AT_LEAST_ONE) = None
    rate_min_decided: _policy(AT_LEAST_ONE) = None
    language_action: _policy({"type": "string", "enum": list(LANGUAGE_ACTIONS)}) = None
    report_hide_threshold: Annotated[int, BeforeValidator(_threshold), Field(ge=1, le=1000)] = None
    deleted_account_comments: Literal[DELETED_ACCOUNT_COMMENTS] = None
    embed_create_articles: StrictBool = None
    payment_instructions: Annotated[
        str,
        BeforeValidator(_instructions),
        Field(
            max_length=PAYMENT_INSTRUCTIONS_MAX,
            description="how readers pay a manual request (bank details): shown with the reference and mailed",
        ),
    ] = None

    REFUSALS = {
        "extra_forbidden": "Not a setting.",
        "deleted_account_comments": "Either anonymise (keep them, by a deleted user) or delete.",
        "embed_create_articles": "true or false.",
    }

    def changes(self):
        return self.model_dump(include=self.model_fields_set)
