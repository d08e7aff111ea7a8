from flask import Blueprint

bp = Blueprint("admin", __name__)

# The views register on bp, so they are imported after it exists.
from . import accounts, embed, membership, people, views  # noqa: E402,F401,I001
