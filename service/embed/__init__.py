"""The embeddable comment widget: /embed.js for host pages, the framed thread, the sign-in popup
and the development demo page. Its API calls live under /api/v1/embed (service/api/embed.py)."""

from flask import Blueprint

bp = Blueprint("embed", __name__)

from . import views  # noqa: E402,F401
