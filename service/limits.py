"""Rate limits (Flask-Limiter): kept in Redis when REDIS_URL is set, in memory otherwise.

Each limit is a decorator shared by the page route and the API route it protects, so a
client cannot dodge a limit by switching doors: they are shared limits with one named scope,
so both doors count against one budget (a plain `limiter.limit` counts per endpoint).
"""

import functools

from flask import current_app, request
from flask_login import current_user
from limits import parse_many

from .domain.membership.perks import rate_limit_multiplier
from .errors_http import DATABASE_DOWN
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
            except DATABASE_DOWN:
                return fallback()

        return safe

    return wrap


def _failed(response):
    # Sign-in limits count failures only: a person who types the right password is not slowed,
    # and neither is one whose attempts met our own trouble (a 503 while the database is down).
    return 400 <= response.status_code < 500


def _written(response):
    # A comment posted (201, or the page's redirect) or edited (200): each is new text to score.
    return response.status_code in (200, 201, 302)


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


def _budget(setting, scope, message, key_func=None, deduct_when=None, methods=("POST",)):
    """A shared limit read from the setting named `setting` (so tests and operators change it
    at run time), counted under `scope` for whatever `key_func` names (the client's address
    by default)."""
    limit = setting if callable(setting) else (lambda: current_app.config[setting])
    return limiter.shared_limit(
        limit, scope, key_func=key_func, deduct_when=deduct_when, methods=list(methods), error_message=message
    )


def _stack(*decorators):
    """Several budgets as one decorator, applied in the order given."""

    def apply(view):
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return apply


# Every password check (signing in, deleting one's account) spends these three budgets when
# it fails: per address, per account and address, and a slower one per account from anywhere.
PASSWORD_CHECKS = ("POST", "DELETE")
login_per_ip = _budget(
    "LOGIN_LIMIT_PER_IP",
    "login-ip",
    "Too many failed sign-ins from your network; wait a minute and try again.",
    deduct_when=_failed,
    methods=PASSWORD_CHECKS,
)
login_per_account = _budget(
    "LOGIN_LIMIT_PER_ACCOUNT",
    "login-account-client",
    "Too many failed sign-ins for this account; wait a few minutes and try again.",
    key_func=_login_name_and_client,
    deduct_when=_failed,
    methods=PASSWORD_CHECKS,
)
login_per_account_total = _budget(
    "LOGIN_LIMIT_PER_ACCOUNT_TOTAL",
    "login-account",
    "Too many failed sign-ins for this account from many places; wait a while and try again.",
    key_func=_login_name,
    deduct_when=_failed,
    methods=PASSWORD_CHECKS,
)
password_check = _stack(login_per_ip, login_per_account, login_per_account_total)

# Accounts made count against one budget; refused attempts against their own, wider one (a
# 409 says an email has an account).
registration = _stack(
    _budget(
        "REGISTER_LIMIT_PER_IP",
        "register-ip",
        "Too many new accounts from your network; try again later.",
        deduct_when=_created,
    ),
    _budget(
        "REGISTER_ATTEMPT_LIMIT_PER_IP",
        "register-attempts-ip",
        "Too many registration attempts from your network; try again later.",
        deduct_when=_failed,
    ),
)


def _reset_address():
    """The address a reset is asked for, as the worker will look it up: one budget per inbox."""
    from .domain.accounts.accounts import normalise_email

    return "reset:" + normalise_email(request.form.get("email"))


# Every reset request counts, answered or not: a flood of them fills someone's inbox.
password_resets = _stack(
    _budget("RESET_LIMIT_PER_IP", "reset-ip", "Too many password resets from your network; try again later."),
    _budget(
        "RESET_LIMIT_PER_ADDRESS",
        "reset-address",
        "Several reset links were asked for that address just now; check its inbox, or try again later.",
        key_func=_reset_address,
    ),
)
# Posts and edits both spend the writing budget (an edit is new text that the model scores
# again, so unlimited edits would let one reader fill the scoring queue); refused attempts
# (members only, too long, a suspension) spend a wider one of their own, so a reader who
# trims a too-long comment a few times is not told to slow down before posting anything.
COMMENT_WRITES = ("POST", "PATCH")
comments_per_user = _stack(
    _budget(
        _comment_limit,
        "comments",
        "You are commenting very quickly; wait a moment before posting again.",
        key_func=_user_key,
        deduct_when=_written,
        methods=COMMENT_WRITES,
    ),
    _budget(
        "COMMENT_ATTEMPT_LIMIT_PER_MINUTE",
        "comment-attempts",
        "Many of your comments were refused just now; read why, then wait a moment before trying again.",
        key_func=_user_key,
        deduct_when=_failed,
        methods=COMMENT_WRITES,
    ),
)
reports_per_user = _budget(
    "REPORT_LIMIT_PER_HOUR",
    "reports",
    "You have sent many reports; moderators will look at them. Try again later.",
    key_func=_user_key,
)
exports_per_user = _budget(
    "EXPORT_LIMIT_PER_HOUR",
    "exports",
    "You have asked for your data several times this hour; the latest copy is on your profile. Try again later.",
    key_func=_user_key,
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
