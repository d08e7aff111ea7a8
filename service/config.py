"""Settings from environment variables, each with a default that works on first run."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _env(name, default):
    return os.environ.get(name, default)


def _env_int(name, default):
    return int(os.environ.get(name, default))


def _env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = _env("SECRET_KEY", None)  # create_app() falls back to a file under instance/
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'parley.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 1024 * 1024  # bodies over 1 MiB get 413
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    WTF_CSRF_HEADERS = ["X-CSRFToken", "X-CSRF-Token"]

    SITE_NAME = _env("SITE_NAME", "The Parley Ledger")
    SITE_URL = _env("SITE_URL", "http://127.0.0.1:5000")
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

    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    LOGIN_LIMIT = _env("LOGIN_LIMIT", "10 per minute")
    REGISTER_LIMIT = _env("REGISTER_LIMIT", "20 per hour")

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
    RATELIMIT_ENABLED = False
    # Tests turn Stripe on explicitly; the developer's environment must not do it for them.
    STRIPE_SECRET_KEY = ""
    STRIPE_WEBHOOK_SECRET = ""
    STRIPE_PRICES = {}
    MEMBERSHIP_GRACE_DAYS = 7
