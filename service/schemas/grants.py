"""A membership's payloads: an admin's grant, a reader's request, and the admins' acts on one
(extend, refund, confirm, decline, the sponsors-page listing). The API documents them; the
admin and reader pages post the same fields, and service/domain/membership/grants.py validates
both through these models. Every problem is named at once, before anything is written."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, WithJsonSchema, field_validator
from pydantic.json_schema import SkipJsonSchema

from ..domain.membership import money
from ..domain.membership.fields import ADMIN_SOURCES, RECURRENCES, read_when
from ..domain.membership.perks import get_tier
from ..domain.threads.clean import multi_line, single_line
from ..errors import ValidationError
from ..models.base import utcnow
from ..numbers import whole_number
from . import Body
from .rules import or_default

MINOR = {"ge": 0, "le": money.MAX_AMOUNT_MINOR, "description": "minor units (cents)"}
CURRENCY = {"pattern": "^[A-Za-z]{3}$", "description": "ISO 4217 code"}
DATE = "ISO 8601 date or date-time, UTC"
FLAG_ON = (True, "on", "true", "1", "yes")  # anything else, absent included, is off


def _text(limit, clean=single_line, required=False):
    """Text of at most `limit` characters, cleaned and stripped; empty is None, or when required
    refused."""

    def check(value):
        if value is None or value == "":
            if required:
                raise ValueError("Required.")
            return None
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError(f"Text of at most {limit} characters.")
        return clean(value).strip() or None

    return BeforeValidator(check)


def _whole(value):
    """A whole number (its digits as text, a sign allowed); empty is 0."""
    if isinstance(value, str):
        text = value.strip()
        magnitude = whole_number(text.removeprefix("-"), 0, 10**9)
        value = value if magnitude is None else (-magnitude if text.startswith("-") else magnitude)
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 1_000_000:
        raise ValueError("A whole number.")
    return value


def _tier(slug):
    try:
        return get_tier(slug)
    except ValidationError as exc:
        raise ValueError(exc.errors["tier"]) from None


def _currency_of(info):
    """The currency an amount is in: the one sent, else the tier's, else EUR."""
    tier = info.context.get("tier")
    return info.data.get("currency") or (tier.currency if tier else "EUR")


def _documented(limit):
    """A required text's schema: sent blank, it is stored as none, but a client sends text."""
    return WithJsonSchema({"type": "string", "maxLength": limit})


Flag = Annotated[bool, BeforeValidator(lambda value: value in FLAG_ON)]
When = Annotated[datetime | None, BeforeValidator(read_when), WithJsonSchema({"type": "string", "description": DATE})]
Note = Annotated[str | None, Field(max_length=2000), _text(2000, multi_line)]
Reference = Annotated[str | None, Field(max_length=200), _text(200)]


class Payload(Body):
    REFUSALS = {"missing": "Required."}


class ReaderListing(Payload):
    """How the sponsors page shows a membership: a reader asking for one consents to being
    listed and names themselves."""

    public: Flag = Field(False, description="listed on the sponsors page")
    display_name: Annotated[str | None, Field(max_length=80), _text(80)] = None


class Listing(ReaderListing):
    """Where a member stands in the sponsors list is the admins' call."""

    public_order: Annotated[int, Field(ge=-1_000_000, le=1_000_000), BeforeValidator(_whole)] = 0


class Amounts(Payload):
    """`amount` in minor units (the API) or `amount_major`, "12.50" (the forms): once checked,
    `amount_major` holds the amount in minor units, whichever was sent. With the context
    `amounts=False` (a tier whose price is fixed) neither is read."""

    amount: int | None = Field(0, **MINOR)
    amount_major: SkipJsonSchema[int | None] = Field(None, validate_default=True)

    @field_validator("amount", mode="before")
    @classmethod
    def _minor(cls, value, info: ValidationInfo):
        if not info.context.get("amounts", True):
            return None
        problem = money.check_minor(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("amount_major", mode="before")
    @classmethod
    def _major(cls, value, info: ValidationInfo):
        if not info.context.get("amounts", True):
            return None
        if value not in (None, ""):
            return money.parse_major(value, _currency_of(info))
        return info.data.get("amount")


class RequestTerms(Amounts, ReaderListing):
    """What a reader sends with a request (the tier is in the path, or looked up first, and in
    the context); the amount only counts for a sponsorship, whose tier's price is its minimum."""

    @field_validator("amount_major", mode="after")
    @classmethod
    def _at_least_the_price(cls, value, info: ValidationInfo):
        tier = info.context["tier"]
        if value is None:
            return None
        if value < 1:
            raise ValueError("Enter the amount you would like to give.")
        if value < tier.price_minor:  # the tier's price is its minimum ("€50 a year or more")
            raise ValueError(f"The minimum for {tier.name} is {money.format_money(tier.price_minor, tier.currency)}.")
        return value


class MembershipRequest(RequestTerms):
    tier: str


class GrantTerms(Payload):
    tier: Annotated[str, AfterValidator(_tier), Field(description="a tier's slug")]
    currency: Annotated[
        str | None, Field(pattern=CURRENCY["pattern"], description="ISO 4217 code; the tier's when empty")
    ] = Field(None, validate_default=True)
    starts_at: When = Field(None, validate_default=True, description=f"{DATE}; now when empty")
    ends_at: When = None

    REFUSALS = {**Payload.REFUSALS, "tier": "No such tier."}

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value, info: ValidationInfo):
        if value in (None, ""):
            tier = info.data.get("tier")
            return tier.currency if tier else "EUR"
        code = money.clean_currency(value)
        if code is None:
            raise ValueError("An ISO 4217 currency code such as EUR or USD.")
        return code

    @field_validator("starts_at", mode="after")
    @classmethod
    def _now_when_empty(cls, value):
        return value or utcnow()

    @field_validator("ends_at", mode="after")
    @classmethod
    def _after_the_start(cls, value, info: ValidationInfo):
        start = info.data.get("starts_at")
        if value is not None and start is not None and value <= start:
            raise ValueError("The end must come after the start.")
        return value


class Grant(Listing, Amounts, GrantTerms):
    """A membership an admin grants, or a payment or sponsorship they received."""

    recurrence: Annotated[Literal[RECURRENCES], or_default("none")] = "none"
    source: Annotated[Literal[ADMIN_SOURCES], or_default("admin_grant")] = "admin_grant"
    payment_reference: Reference = None
    note: Note = None

    REFUSALS = {
        **GrantTerms.REFUSALS,
        "recurrence": f"One of {', '.join(RECURRENCES)}.",
        "source": f"One of {', '.join(ADMIN_SOURCES)}.",
    }

    def columns(self):
        """The new Membership's fields."""
        clean = {field: value for field, value in self if field not in ("amount", "amount_major")}
        return {**clean, "amount_minor": self.amount_major}


class Extend(Payload):
    ends_at: When = Field(description=DATE)

    @field_validator("ends_at", mode="after")
    @classmethod
    def _required(cls, value):
        if value is None:
            raise ValueError("Required.")
        return value


class Cancel(Body):
    immediately: Annotated[bool, BeforeValidator(bool), Field(description="end it now")] = False


class Refund(Payload):
    refund_note: Annotated[str | None, _text(2000, multi_line, required=True), _documented(2000)]
    end_now: Flag = False


class Confirm(Payload):
    payment_reference: Annotated[str | None, _text(200, required=True), _documented(200)]


class Decline(Payload):
    note: Note = None
