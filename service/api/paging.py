"""Query-string arguments of the paginated API calls."""
from flask import request

from ..errors import ValidationError


def int_arg(name, default, low, high):
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValidationError({name: f"A whole number from {low} to {high}."})
    return int(value)
