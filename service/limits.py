"""Rate limits (Flask-Limiter): kept in Redis when REDIS_URL is set, in memory otherwise.

Each limit is a decorator shared by the page route and the API route it protects, so a
client cannot dodge a limit by switching doors: they are shared limits with one named scope,
so both doors count against one budget (a plain `limiter.limit` counts per endpoint).
"""
import functools

from flask import current_app, request
from flask_login import current_user
from limits import parse_many
from sqlalchemy.exc import OperationalError

from .domain.membership.perks import rate_limit_multiplier
from .extensions import limiter


def _unless_database_down(fallback):
    """For key and limit functions that read the database: while it is down, use `fallback()`.

    The request answers 503 anyway (service/errors_http.py). Raising here instead would make
    Flask-Limiter take the error for its own storage failing and stop using Redis for a while.
    """

    def wrap(function):
        @functools.wraps(function)
        def safe():
            try:
                return function()
            except OperationalError:
                return fallback()

        return safe

    return wrap


def _failed(response):
    # Sign-in limits count failures only: a person who types the right password is not slowed,
    # and neither is one whose attempts met our own trouble (a 503 while the database is down).
    return 400 <= response.status_code < 500


def _created(response):
    # Registration budgets count accounts made (201 from the API, the page's redirect), not
    # refused form posts: a reader who mistypes twice has not made three accounts.
    return response.status_code in (201, 302)


@_unless_database_down(lambda: "login:-")
def _login_name():
    """The account a password check aims at: every spelling of it (email, username in any case
    or width) shares one budget; an unknown name gets its own, folded the same way. Without a
    sign-in name (deleting one's account), the signed-in account itself."""
    from .domain.accounts.accounts import find_by_login, username_key

    data = request.get_json(silent=True) if request.is_json else request.form
    name = (data or {}).get("login") if isinstance(data, dict) or hasattr(data, "get") else None
    if not isinstance(name, str) or not name.strip():
        return f"login:user:{current_user.id}" if current_user.is_authenticated else "login:-"
    user = find_by_login(name)
    return f"login:user:{user.id}" if user is not None else "login:" + username_key(name.strip())


def _login_name_and_client():
    """The account and the address trying it: one stranger's guesses use up their own budget,
    not the account holder's (usernames are public, so anyone can aim at a moderator)."""
    return f"{_login_name()}|ip:{request.remote_addr}"


@_unless_database_down(lambda: f"ip:{request.remote_addr}")
def _user_key():
    return f"user:{current_user.id}" if current_user.is_authenticated else f"ip:{request.remote_addr}"


@_unless_database_down(lambda: f"{current_app.config['COMMENT_LIMIT_PER_MINUTE']} per minute")
def _comment_limit():
    base = current_app.config["COMMENT_LIMIT_PER_MINUTE"]
    multiplier = rate_limit_multiplier(current_user) if current_user.is_authenticated else 1
    return f"{base * multiplier} per minute"


# Every password check (signing in, deleting one's account) spends these three budgets when
# it fails: per address, per account and address, and a slower one per account from anywhere.
PASSWORD_CHECK_METHODS = ["POST", "DELETE"]
login_per_ip = limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"],
    "login-ip",
    deduct_when=_failed,
    methods=PASSWORD_CHECK_METHODS,
    error_message="Too many failed sign-ins from your network; wait a minute and try again.",
)
login_per_account = limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    "login-account-client",
    key_func=_login_name_and_client,
    deduct_when=_failed,
    methods=PASSWORD_CHECK_METHODS,
    error_message="Too many failed sign-ins for this account; wait a few minutes and try again.",
)
login_per_account_total = limiter.shared_limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_TOTAL"],
    "login-account",
    key_func=_login_name,
    deduct_when=_failed,
    methods=PASSWORD_CHECK_METHODS,
    error_message="Too many failed sign-ins for this account from many places; wait a while and try again.",
)


def password_check(view):
    """The sign-in budgets, for any view that checks a password."""
    return login_per_ip(login_per_account(login_per_account_total(view)))


register_per_ip = limiter.shared_limit(
    lambda: current_app.config["REGISTER_LIMIT_PER_IP"],
    "register-ip",
    deduct_when=_created,
    methods=["POST"],
    error_message="Too many new accounts from your network; try again later.",
)
# Refused registrations have their own, wider budget: a 409 says an email has an account.
register_attempts_per_ip = limiter.shared_limit(
    lambda: current_app.config["REGISTER_ATTEMPT_LIMIT_PER_IP"],
    "register-attempts-ip",
    deduct_when=_failed,
    methods=["POST"],
    error_message="Too many registration attempts from your network; try again later.",
)


def registration(view):
    return register_per_ip(register_attempts_per_ip(view))
comments_per_user = limiter.shared_limit(
    _comment_limit,
    "comments",
    key_func=_user_key,
    methods=["POST"],
    error_message="You are commenting very quickly; wait a moment before posting again.",
)
reports_per_user = limiter.shared_limit(
    lambda: current_app.config["REPORT_LIMIT_PER_HOUR"],
    "reports",
    key_func=_user_key,
    methods=["POST"],
    error_message="You have sent many reports; moderators will look at them. Try again later.",
)
exports_per_user = limiter.shared_limit(
    lambda: current_app.config["EXPORT_LIMIT_PER_HOUR"],
    "exports",
    key_func=_user_key,
    methods=["POST"],
    error_message="You have asked for your data several times this hour; the latest copy is on your profile. Try again later.",
)


def _spend(limit, *identifiers):
    """Count one event against every rate in `limit` for `identifiers`; False once any is spent.

    For budgets that one branch of a view spends (the decorators above count every request)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    return all(limiter.limiter.hit(item, *identifiers) for item in parse_many(limit))


def embed_creation_budget(origin):
    """Articles the widget creates: per client address, and per host site."""
    config = current_app.config
    return _spend(config["EMBED_CREATE_LIMIT_PER_IP"], "embed-create-ip", request.remote_addr or "-") and _spend(
        config["EMBED_CREATE_LIMIT_PER_ORIGIN"], "embed-create-origin", origin
    )
