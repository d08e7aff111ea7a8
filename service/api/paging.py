"""Query-string arguments of the paginated API calls."""

from flask import request

from ..errors import ValidationError
from ..numbers import whole_number


def int_arg(name, default, low, high):
    value = request.args.get(name)
    if value is None:
        return default
    number = whole_number(value, low, high)
    if number is None:
        raise ValidationError({name: f"A whole number from {low} to {high}."})
    return number
