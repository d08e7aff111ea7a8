"""A tier's fields, as the admins' API sends them (JSON) and the tier form posts them (text):
one model validates both and documents the API's body."""

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema

from ..domain.membership import money
from ..domain.threads.clean import multi_line, single_line
from ..models.membership import INTERVALS, KINDS
from . import Body
from .rules import flag, or_default, text, whole

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


SLUG_RULE = "Lowercase letters, digits and single dashes (at most 40)."


def _slug(value):
    if not isinstance(value, str) or not re.match(SLUG, value) or len(value) > 40:
        raise ValueError(SLUG_RULE)
    return value


def _currency(value):
    code = money.clean_currency(value or "EUR")
    if code is None:
        raise ValueError("An ISO 4217 currency code such as EUR or USD.")
    return code


def _minor(value):
    problem = money.check_minor(value)
    if problem:
        raise ValueError(problem)
    return value


Flag = Annotated[bool, BeforeValidator(flag)]
MINOR = {"ge": 0, "le": money.MAX_AMOUNT_MINOR, "description": "minor units (cents)"}


class TierChange(Body):
    """The fields sent are the fields changed."""

    name: Annotated[str, Field(min_length=1, max_length=80), text(80, required=True)] = None
    description: Annotated[str, Field(max_length=2000), text(2000, clean=lambda v: multi_line(v).strip())] = None
    badge: Annotated[str | None, Field(max_length=40), text(40, clean=lambda v: single_line(v) or None)] = None
    kind: Annotated[Literal[KINDS], or_default("subscription")] = None
    interval: Annotated[Literal[INTERVALS], or_default("monthly")] = None
    currency: Annotated[
        str, Field(pattern="^[A-Za-z]{3}$", description="ISO 4217 code"), BeforeValidator(_currency)
    ] = None
    price: Annotated[int, Field(**MINOR), BeforeValidator(_minor)] = None
    price_major: SkipJsonSchema[int | None] = None  # the form's price, 12.50: in minor units once checked
    rank: Annotated[int, Field(ge=0, le=1000), whole(0, 1000)] = None
    members_comments: Flag = None
    trusted_commenter: Flag = None
    rate_limit_multiplier: Annotated[int, Field(ge=1, le=100), whole(1, 100)] = None
    retired: Flag = None

    REFUSALS = {"kind": f"One of {', '.join(KINDS)}.", "interval": f"One of {', '.join(INTERVALS)}."}

    @field_validator("price_major", mode="before")
    @classmethod
    def _major(cls, value, info: ValidationInfo):
        """In minor units, in the currency sent (or the tier's); empty means `price` says it."""
        if value in (None, ""):
            return None
        currency = info.data.get("currency") or info.context.get("currency", "EUR")
        return money.parse_major(value, currency)

    def changes(self):
        """{column: value} of the fields sent."""
        sent = self.model_fields_set
        clean = self.model_dump(include=sent - {"price", "price_major", "slug"})
        if sent & {"price", "price_major"}:
            clean["price_minor"] = self.price if self.price_major is None else self.price_major
            clean["price_minor"] = clean["price_minor"] or 0
        return clean


class NewTier(TierChange):
    REFUSALS = {**TierChange.REFUSALS, "slug": SLUG_RULE}  # "gold\n" passes re.match's $, not the pattern

    slug: Annotated[str, Field(pattern=SLUG, max_length=40), BeforeValidator(_slug)]
    name: Annotated[str, Field(min_length=1, max_length=80), text(80, required=True)]

    def changes(self):
        return {"slug": self.slug, **super().changes()}


# What a new tier is unless the admin says otherwise; `slug` and `name` have no default.
NEW_TIER = {
    "slug": None,
    "name": None,
    "kind": "subscription",
    "interval": "monthly",
    "currency": "EUR",
    "price": 0,
    "rank": 5,
    "rate_limit_multiplier": 1,
}
