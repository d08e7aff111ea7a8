from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import views  # noqa: E402,F401
from . import membership  # noqa: E402,F401
from . import embed  # noqa: E402,F401
from . import accounts  # noqa: E402,F401
from . import people  # noqa: E402,F401
