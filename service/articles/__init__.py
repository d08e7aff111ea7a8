from flask import Blueprint

bp = Blueprint("articles", __name__)

from . import reference, site, views  # noqa: E402,F401
