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

    # Scoring: "thread" runs one in-process worker (the embedded default); "external" leaves
    # scoring to `flask worker` processes, so web processes never load the model.
    SCORING_WORKER = _env("SCORING_WORKER", "thread")
    SCORING_MODEL = _env("SCORING_MODEL", "bundled")  # or original, unbiased, … (needs the network)
    SCORING_CHECKPOINT = _env("SCORING_CHECKPOINT", "")  # any detoxify-format checkpoint file
    SCORING_BATCH_SIZE = _env_int("SCORING_BATCH_SIZE", 32)
    SCORING_POLL_SECONDS = float(_env("SCORING_POLL_SECONDS", "2"))
    SCORING_MAX_ATTEMPTS = _env_int("SCORING_MAX_ATTEMPTS", 5)
    # Moderation settings admins can change in the app; these are the defaults.
    REPORT_HIDE_THRESHOLD = _env_int("REPORT_HIDE_THRESHOLD", 3)
    MODERATION_AUTO_REJECT = _env_bool("MODERATION_AUTO_REJECT", False)
    # A deleted account's comments: "anonymise" (kept, by "deleted-user-N") or "delete".
    DELETED_ACCOUNT_COMMENTS = _env("DELETED_ACCOUNT_COMMENTS", "anonymise")

    # Readers' data exports: accounts with up to this many comments get theirs at once;
    # larger ones are built by the worker loop. A built export can be downloaded for this long.
    EXPORT_SYNC_MAX_COMMENTS = _env_int("EXPORT_SYNC_MAX_COMMENTS", 500)
    EXPORT_TTL_HOURS = _env_int("EXPORT_TTL_HOURS", 72)

    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True  # Redis down: limits carry on in memory
    RATELIMIT_KEY_PREFIX = "parley"
    LOGIN_LIMIT_PER_IP = _env("LOGIN_LIMIT_PER_IP", "30 per 5 minutes")
    LOGIN_LIMIT_PER_ACCOUNT = _env("LOGIN_LIMIT_PER_ACCOUNT", "5 per 5 minutes")
    REGISTER_LIMIT_PER_IP = _env("REGISTER_LIMIT_PER_IP", "10 per hour")
    COMMENT_LIMIT_PER_MINUTE = _env_int("COMMENT_LIMIT_PER_MINUTE", 5)  # times the tier's multiplier
    REPORT_LIMIT_PER_HOUR = _env("REPORT_LIMIT_PER_HOUR", "30 per hour")

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
    LOGIN_LIMIT_PER_IP = LOGIN_LIMIT_PER_ACCOUNT = REGISTER_LIMIT_PER_IP = REPORT_LIMIT_PER_HOUR = "10000 per minute"
    COMMENT_LIMIT_PER_MINUTE = 10000
    RATELIMIT_STORAGE_URI = "memory://"
    SCORING_WORKER = "off"  # a test that wants a worker asks for one
    # Tests turn Stripe on explicitly; the developer's environment must not do it for them.
    STRIPE_SECRET_KEY = ""
    STRIPE_WEBHOOK_SECRET = ""
    STRIPE_PRICES = {}
    MEMBERSHIP_GRACE_DAYS = 7
