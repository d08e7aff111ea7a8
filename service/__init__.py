"""Parley: comment moderation and membership for a news site."""

import hmac
import logging
import os
import secrets

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import INSTANCE, ROOT, Config, TestConfig, require_public_url
from .extensions import csrf, db, limiter, login_manager, migrate
from .passwords import password_fingerprint


def create_app(config=None):
    """Build the app. `config` is a dict of overrides (tests pass TESTING and a database URL)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        template_folder="../templates",
        static_folder="../static",
    )
    from .urls import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    from .json_input import ClientJSONProvider

    app.json = ClientJSONProvider(app)  # bounded depth, no lone surrogates in request bodies
    testing = bool(config and config.get("TESTING"))
    app.config.from_object(TestConfig if testing else Config)
    if config:
        app.config.update(config)
    require_public_url(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    _init_extensions(app)
    from .text import render_body

    app.add_template_filter(render_body, "comment_body")
    _register_blueprints(app)

    from . import cli, errors_http, security
    from .embed import bearer

    errors_http.register(app)
    security.register(app)
    bearer.register(app)
    cli.register(app)
    _start_scoring(app)
    # Last: a cached thread read skips the hooks after it, never the rate limits before it.
    from . import microcache

    microcache.register(app)
    if app.config["TRUST_PROXY_HEADERS"]:
        # One proxy in front (the README's scaled-out layout): its X-Forwarded-* headers say
        # who the client is, whether it used https and which host it asked for. Outside the
        # cache's replay, so that it keys reads by the host and scheme the client asked for.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    if app.config["COMPRESS_RESPONSES"]:
        from .compression import Gzip

        app.wsgi_app = Gzip(app.wsgi_app)  # outside the micro-cache: it keeps plain bytes
    return app


def _start_scoring(app):
    """On the embedded default, the first request starts the scoring process (a child of this
    one, supervised by it: background/embedded.py), or with SCORING_WORKER=thread a scoring
    thread in this process.

    Not at import: `flask db upgrade` and other commands must not start it.
    """
    mode = app.config["SCORING_WORKER"]
    if mode not in ("process", "thread"):
        return

    @app.before_request
    def start_worker():
        from .background import embedded

        if mode == "process":
            embedded.start_scoring_process(app)
        else:
            embedded.start_thread_worker(app)


def _instance_secret():
    """A random secret kept under instance/, so sessions survive restarts without any setup."""
    os.makedirs(INSTANCE, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _init_extensions(app):
    from . import models  # noqa: F401  (models must be imported before migrations look at them)
    from .numbers import parse_id

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."

    @login_manager.unauthorized_handler
    def unauthorized():
        from .errors import Unauthorized

        raise Unauthorized("Sign in first.")

    @login_manager.user_loader
    def load_user(session_id):
        # "id:fingerprint" (User.get_id). A banned user's sessions, and every session signed in
        # before a password reset, stop working at once; so do sessions in the old bare-id form.
        user_id, _, fingerprint = session_id.partition(":")
        user_id = parse_id(user_id)
        user = db.session.get(models.User, user_id) if user_id is not None else None
        if user is None or not user.is_active:
            return None
        return user if hmac.compare_digest(fingerprint, password_fingerprint(user.password_hash)) else None


def _register_blueprints(app):
    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .articles import bp as articles_bp
    from .auth import bp as auth_bp
    from .comments import bp as comments_bp
    from .embed import bp as embed_bp
    from .health import bp as health_bp
    from .membership import bp as membership_bp
    from .review import bp as review_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(articles_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(membership_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
