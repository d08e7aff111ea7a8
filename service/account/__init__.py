"""A reader's own data: download a copy of it, or delete the account."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from . import settings_views, views  # noqa: E402,F401
