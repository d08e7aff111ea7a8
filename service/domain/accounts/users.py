"""Finding a user, the one way: by id for pages and the API, by name for forms and filters.
Names are folded as sign-in folds them (accounts.username_key), so "Ann" finds ann everywhere."""

from sqlalchemy import select

from ...errors import NotFound, ValidationError
from ...extensions import db
from ...models import User
from ..membership.perks import tier_of
from .accounts import username_key


def user_view(user):
    """A user as the API shows them: the row's public fields and the tier they hold now."""
    return {**user.to_dict(), "tier": tier_of(user).slug}


def get_user(user_id):
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound("No such user.")
    return user


def by_name(username):
    """The user called `username` (folded), or None."""
    name = username.strip() if isinstance(username, str) else ""
    return db.session.scalar(select(User).where(User.username_key == username_key(name))) if name else None


def find_user(username):
    """The user called `username`, for a form field: a 4xx naming the field when there is none."""
    user = by_name(username)
    if user is None:
        raise ValidationError({"username": "No user by that name."})
    return user
