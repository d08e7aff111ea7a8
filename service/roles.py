"""Role checks shared by pages and the API."""

from functools import wraps

from flask_login import current_user

from .errors import Forbidden, Unauthorized


def require_role(*roles):
    """Refuse with 401 when signed out and 403 when the role does not fit."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                raise Unauthorized("Sign in first.")
            if current_user.role not in roles:
                raise Forbidden("You do not have access to this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


admin_required = require_role("admin")
moderator_required = require_role("moderator", "admin")
