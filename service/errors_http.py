"""Error responses: JSON under /api, pages elsewhere."""

import contextlib

from flask import jsonify, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError, PendingRollbackError
from werkzeug.exceptions import HTTPException

from .errors import DomainError

# The database being down: a connection refused or dropped (OperationalError), or a statement
# after that in the same request, whose session is left with an invalid transaction
# (PendingRollbackError). Answered 503 here; service/limits.py falls back on the same.
DATABASE_DOWN = (OperationalError, PendingRollbackError)


def wants_json():
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status, message, errors=None, extra=None):
    if wants_json():
        body = {"error": message, **(extra or {})}
        if errors:
            body["errors"] = errors
        return make_response(jsonify(body), status)
    return make_response(render_template("errors/error.html", status=status, message=message), status)


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(exc):
        if exc.status == 401 and not wants_json():
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return error_response(exc.status, exc.message, exc.errors, exc.extra)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_response(400, "The CSRF token is missing or invalid; reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        response = error_response(exc.code, exc.description)
        if exc.code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    def database_down(exc):
        # Connection refused or dropped: nothing was committed; the client may retry. A
        # PendingRollbackError is the same outage met again in this request: a connection
        # dropped under an earlier statement left the session's transaction invalid.
        app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, getattr(exc, "orig", exc))
        _discard_session()
        response = error_response(
            503, "The database is unavailable right now; nothing was saved. Try again in a moment."
        )
        response.headers["Retry-After"] = "5"
        return response

    for error in DATABASE_DOWN:
        app.register_error_handler(error, database_down)

    @app.errorhandler(DBAPIError)
    def database_error(exc):
        if exc.connection_invalidated:
            return database_down(exc)
        app.logger.exception("database error on %s %s", request.method, request.path)
        _discard_session()
        return error_response(500, "Something went wrong on our side; nothing was saved.")

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "Something went wrong on our side; nothing was saved.")


def _discard_session():
    from .extensions import db

    with contextlib.suppress(Exception):  # the connection is already gone; the pool will replace it
        db.session.rollback()
