"""Settings from environment variables, each with a default that works on first run."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigError(ValueError):
    """A setting in the environment that cannot work. Raised while the settings are read, so a
    process refuses to start, naming the variable, instead of failing later on some request."""


def _env(name, default):
    return os.environ.get(name, default)


def _given(name):
    """The variable's value, or None when it is unset or blank (blank lines in env files)."""
    value = os.environ.get(name, "").strip()
    return value or None


def _env_int(name, default, minimum=None, maximum=None):
    raw = _given(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigError(f"{name} must be from {minimum} to {maximum}, not {value}.")
    return value


TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _env_bool(name, default):
    raw = _given(name)
    if raw is None:
        return default
    if raw.lower() not in TRUE | FALSE:
        raise ConfigError(f"{name} must be true or false (also 1/0, yes/no, on/off), not {raw!r}.")
    return raw.lower() in TRUE


def _env_choice(name, default, choices):
    raw = _given(name)
    if raw is None:
        return default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
    return raw


def _env_limit(name, default):
    """A Flask-Limiter rate such as "5 per hour" (or several, separated by ';')."""
    raw = _given(name) or default
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a rate limit like '5 per hour', not {raw!r}.") from None
    return raw


def _env_origin(name):
    """An address like https://comments.example.com (no path), without a trailing slash; '' if unset."""
    raw = _given(name)
    if raw is None:
        return ""
    problem = f"{name} must be the address readers use, like https://comments.example.com (scheme, host and port only), not {raw!r}."
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        raise ConfigError(problem) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username is not None:
        raise ConfigError(problem)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(problem)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Config:
    SECRET_KEY = _env("SECRET_KEY", None)  # create_app() falls back to a file under instance/
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'parley.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 1024 * 1024  # bodies over 1 MiB get 413
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    # Named here (Flask-Login's own default), so that the code that must tell a signed-in
    # request from an anonymous one (the API's CSRF check, the thread cache) reads one name.
    REMEMBER_COOKIE_NAME = "remember_token"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    WTF_CSRF_HEADERS = ["X-CSRFToken", "X-CSRF-Token"]

    # "production" (the default) refuses to start without PUBLIC_URL; "development" (which
    # `make run` sets) and the tests use the loopback address for links in mail instead.
    PARLEY_ENV = _env_choice("PARLEY_ENV", "production", ("production", "development"))
    SITE_NAME = _env("SITE_NAME", "The Parley Ledger")
    # The address readers use (behind a TLS-terminating proxy it is not the one Parley sees):
    # links in mail are built from it and nothing else (service/domain/mail/links.py), and so
    # are the embed snippet and Stripe's return addresses. Required in production; in
    # development, mail uses http://127.0.0.1:5000 and the snippet the request's address.
    # SITE_URL is its earlier name, still read.
    PUBLIC_URL = _env_origin("PUBLIC_URL") or _env_origin("SITE_URL")
    # Behind a reverse proxy: believe its X-Forwarded-For/-Proto/-Host (one hop), so the
    # client's address, https and the public host are what Parley sees. Only when every
    # request really comes through that proxy: otherwise anyone can claim any address.
    TRUST_PROXY_HEADERS = _env_bool("TRUST_PROXY_HEADERS", False)
    # gzip text answers for clients that accept it (service/compression.py); off when a proxy
    # in front compresses instead.
    COMPRESS_RESPONSES = _env_bool("COMPRESS_RESPONSES", True)
    COMMENT_EDIT_WINDOW_MINUTES = _env_int("COMMENT_EDIT_WINDOW_MINUTES", 15)
    COMMENT_MAX_LENGTH = 5000
    COMMENT_MAX_DEPTH = _env_int("COMMENT_MAX_DEPTH", 4)  # replies nest this many levels below a top-level comment
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 60 * 60)  # seconds

    MAIL_FROM = _env("MAIL_FROM", "Parley <noreply@parley.local>")
    SMTP_HOST = _env("SMTP_HOST", "")  # empty: mail is only written to the outbox table
    SMTP_PORT = _env_int("SMTP_PORT", 587)
    SMTP_USER = _env("SMTP_USER", "")
    SMTP_PASSWORD = _env("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", True)
    SMTP_CA_FILE = _env("SMTP_CA_FILE", "")  # extra CA bundle for the SMTP server's certificate; empty: the system's
    # The worker delivers the outbox; a message that fails is tried again after 1, 2, 4 …
    # minutes, this many times in all (each failure is kept on the row: Admin → Outbox).
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 5, minimum=1, maximum=20)

    # Scoring: "process" (the embedded default) runs the worker in a child process the web
    # process starts and restarts (service/background/embedded.py); "thread" runs it in the web
    # process; "external" leaves scoring to `flask worker` processes; "off" runs none (tests).
    # In every mode but "thread", web processes never load the model.
    SCORING_WORKER = _env_choice("SCORING_WORKER", "process", ("process", "thread", "external", "off"))
    SCORING_MODEL = _env("SCORING_MODEL", "bundled")  # or original, unbiased, … (needs the network)
    SCORING_CHECKPOINT = _env("SCORING_CHECKPOINT", "")  # any detoxify-format checkpoint file
    SCORING_BATCH_SIZE = _env_int("SCORING_BATCH_SIZE", 32)
    SCORING_POLL_SECONDS = float(_env("SCORING_POLL_SECONDS", "2"))
    # After a wake-up, how long a worker lets more comments arrive before it claims a batch.
    SCORING_BATCH_WAIT_MS = _env_int("SCORING_BATCH_WAIT_MS", 50, minimum=0, maximum=1000)
    SCORING_MAX_ATTEMPTS = _env_int("SCORING_MAX_ATTEMPTS", 5)
    # Torch threads for scoring. Unset: 1 on the embedded default (SCORING_WORKER=thread), so
    # the model in the web process cannot take every core from the requests beside it; torch's
    # default (every core) otherwise, for `flask worker` processes that do nothing else.
    SCORING_THREADS = _env_int("SCORING_THREADS", None, minimum=1, maximum=256)
    # How many steps nicer (lower CPU priority) scoring runs than requests, so that a busy
    # machine serves pages and posts first (service/background/priority.py); password hashing
    # runs half as many steps nicer (service/passwords.py).
    BACKGROUND_NICENESS = _env_int("BACKGROUND_NICENESS", 10, minimum=0, maximum=19)
    # Where the model multiplies: "auto" is bfloat16 on CPUs that do it natively (about twice
    # the comments per second; scores within a few thousandths), float32 elsewhere.
    SCORING_PRECISION = _env_choice("SCORING_PRECISION", "auto", ("auto", "float32", "bfloat16"))
    # Moderation settings admins can change in the app; these are the defaults.
    REPORT_HIDE_THRESHOLD = _env_int("REPORT_HIDE_THRESHOLD", 3)
    MODERATION_AUTO_REJECT = _env_bool("MODERATION_AUTO_REJECT", False)
    # A deleted account's comments: "anonymise" (kept, by "deleted-user-N") or "delete".
    DELETED_ACCOUNT_COMMENTS = _env_choice("DELETED_ACCOUNT_COMMENTS", "anonymise", ("anonymise", "delete"))

    # Readers' data exports: accounts with up to this many comments get theirs at once;
    # larger ones are built by the worker loop. A built export can be downloaded for this long.
    EXPORT_SYNC_MAX_COMMENTS = _env_int("EXPORT_SYNC_MAX_COMMENTS", 500, minimum=0, maximum=1_000_000)
    EXPORT_TTL_HOURS = _env_int("EXPORT_TTL_HOURS", 72, minimum=1, maximum=24 * 365)
    EXPORT_LIMIT_PER_HOUR = _env_limit("EXPORT_LIMIT_PER_HOUR", "5 per hour")  # per reader, page and API together

    # The comment widget: how long a sign-in in it lasts, and whether /embed/demo is served.
    EMBED_TOKEN_HOURS = _env_int("EMBED_TOKEN_HOURS", 8, minimum=1, maximum=24 * 30)
    EMBED_DEMO = _env_bool("EMBED_DEMO", False)
    # Articles the widget may create (when the admin's setting allows it): per reader's address
    # and per host site. A newsroom publishes a few pages an hour; a script, thousands.
    EMBED_CREATE_LIMIT_PER_IP = _env_limit("EMBED_CREATE_LIMIT_PER_IP", "10 per hour")
    EMBED_CREATE_LIMIT_PER_ORIGIN = _env_limit("EMBED_CREATE_LIMIT_PER_ORIGIN", "200 per day")

    # Signed-out readers' thread reads (article page, API thread call, widget frame) are
    # replayed from a per-process cache for this many seconds (service/microcache.py); 0: off.
    THREAD_CACHE_SECONDS = _env_int("THREAD_CACHE_SECONDS", 2, minimum=0, maximum=300)

    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True  # Redis down: limits carry on in memory
    RATELIMIT_KEY_PREFIX = "parley"
    LOGIN_LIMIT_PER_IP = _env_limit("LOGIN_LIMIT_PER_IP", "30 per 5 minutes")
    # Failed password checks on one account from one address; and on one account from all
    # addresses together, more slowly, so one stranger cannot lock a known user out.
    LOGIN_LIMIT_PER_ACCOUNT = _env_limit("LOGIN_LIMIT_PER_ACCOUNT", "5 per 5 minutes")
    LOGIN_LIMIT_PER_ACCOUNT_TOTAL = _env_limit("LOGIN_LIMIT_PER_ACCOUNT_TOTAL", "100 per hour")
    REGISTER_LIMIT_PER_IP = _env_limit("REGISTER_LIMIT_PER_IP", "10 per hour")  # accounts created
    REGISTER_ATTEMPT_LIMIT_PER_IP = _env_limit("REGISTER_ATTEMPT_LIMIT_PER_IP", "60 per hour")  # refused attempts
    # Password reset requests: per typed address (its owner's inbox), and per client address.
    RESET_LIMIT_PER_ADDRESS = _env_limit("RESET_LIMIT_PER_ADDRESS", "3 per hour")
    RESET_LIMIT_PER_IP = _env_limit("RESET_LIMIT_PER_IP", "10 per hour")
    COMMENT_LIMIT_PER_MINUTE = _env_int("COMMENT_LIMIT_PER_MINUTE", 5)  # posts and edits; times the tier's multiplier
    COMMENT_ATTEMPT_LIMIT_PER_MINUTE = _env_limit("COMMENT_ATTEMPT_LIMIT_PER_MINUTE", "30 per minute")  # refused ones
    REPORT_LIMIT_PER_HOUR = _env_limit("REPORT_LIMIT_PER_HOUR", "30 per hour")

    # Membership: a lapsed recurring subscription stays active this many days past its end,
    # so a renewal that arrives a little late does not flicker the member's perks off.
    MEMBERSHIP_GRACE_DAYS = _env_int("MEMBERSHIP_GRACE_DAYS", 7)
    MEMBERSHIP_CURRENCY = _env("MEMBERSHIP_CURRENCY", "EUR")
    # Stripe is used when both keys are set; otherwise the manual provider records requests.
    STRIPE_SECRET_KEY = _env("STRIPE_SECRET_KEY", "")
    STRIPE_WEBHOOK_SECRET = _env("STRIPE_WEBHOOK_SECRET", "")
    # STRIPE_PRICE_<TIER SLUG>=price_… maps each paid tier to its Stripe price.
    STRIPE_PRICES = {
        name[len("STRIPE_PRICE_") :].lower().replace("_", "-"): value
        for name, value in os.environ.items()
        if name.startswith("STRIPE_PRICE_") and value
    }


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Limits stay on, set high; a test that checks one lowers it for itself.
    LOGIN_LIMIT_PER_IP = LOGIN_LIMIT_PER_ACCOUNT = LOGIN_LIMIT_PER_ACCOUNT_TOTAL = "10000 per minute"
    REGISTER_LIMIT_PER_IP = REGISTER_ATTEMPT_LIMIT_PER_IP = REPORT_LIMIT_PER_HOUR = "10000 per minute"
    EXPORT_LIMIT_PER_HOUR = EMBED_CREATE_LIMIT_PER_IP = EMBED_CREATE_LIMIT_PER_ORIGIN = "10000 per minute"
    RESET_LIMIT_PER_ADDRESS = RESET_LIMIT_PER_IP = COMMENT_ATTEMPT_LIMIT_PER_MINUTE = "10000 per minute"
    COMMENT_LIMIT_PER_MINUTE = 10000
    RATELIMIT_STORAGE_URI = "memory://"
    SCORING_WORKER = "off"  # a test that wants a worker asks for one
    # Tests turn Stripe on explicitly; the developer's environment must not do it for them.
    STRIPE_SECRET_KEY = ""
    STRIPE_WEBHOOK_SECRET = ""
    STRIPE_PRICES = {}
    MEMBERSHIP_GRACE_DAYS = 7
    # Nor must the developer's proxy, public address or demo settings (a test sets its own).
    PUBLIC_URL = ""
    TRUST_PROXY_HEADERS = False
    EMBED_DEMO = False
    # Tests expect a signed-out reader to see a change at once; tests/test_microcache.py turns
    # the cache on for itself.
    THREAD_CACHE_SECONDS = 0
    SCORING_THREADS = None


def require_public_url(config):
    """Refuse to start a production app without PUBLIC_URL: links in mail come from nowhere
    else, and a default would send readers' reset links to a loopback address."""
    if config.get("TESTING") or config.get("PARLEY_ENV") != "production" or config.get("PUBLIC_URL"):
        return
    raise ConfigError(
        "PUBLIC_URL must be set in production: the address readers use, like "
        "https://comments.example.com. Links in mail (password resets, notices) are built from it "
        "and never from a request's Host header. For development, set PARLEY_ENV=development "
        "(`make run` does) to use http://127.0.0.1:5000."
    )
