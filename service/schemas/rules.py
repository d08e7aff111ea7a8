"""Validators the payload models share: each raises ValueError with the words a client is shown."""

from pydantic import BeforeValidator

from ..domain.threads.clean import is_blank, single_line
from ..numbers import whole_number

TRUE, FALSE = ("on", "true", "1", "yes"), ("", "off", "false", "0", "no", None)


def text(limit, required=False, clean=single_line):
    """A string of at most `limit` characters (not blank when required; absent or empty is ""
    when not), cleaned by `clean`."""

    def check(value):
        value = value if required else (value or "")
        if not isinstance(value, str) or len(value) > limit or (required and is_blank(value)):
            raise ValueError(f"{'1' if required else '0'}–{limit} characters.")
        return clean(value)

    return BeforeValidator(check)


def or_default(default):
    """An empty value means `default`."""
    return BeforeValidator(lambda value: value or default)


def whole(low, high):
    """An integer from low to high, or its digits as text (a form's field)."""

    def check(value):
        if isinstance(value, str):
            value = whole_number(value, low, high)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"A whole number from {low} to {high}.")
        return value

    return BeforeValidator(check)


def flag(value):
    """A JSON boolean, or a form's on/off, true/false, 1/0, yes/no."""
    if value in (True, False):
        return value
    if value in TRUE or value in FALSE:
        return value in TRUE
    raise ValueError("true or false.")
