"""Security headers on every response, and Secure cookies whenever the request came over HTTPS."""

from flask import request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.serving import WSGIRequestHandler

SERVER_NAME = "Parley"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure on HTTPS requests even when
    SESSION_COOKIE_SECURE is left off (its default, so plain-HTTP development still works)."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def register(app):
    app.session_interface = SessionInterface()

    def secure_cookies(response):
        """Over HTTPS every other cookie we set (Flask-Login's remember-me) is Secure too.

        Registered to run after every other after_request hook (Flask runs them in reverse
        order), so it sees the remember-me cookie Flask-Login sets late; the session cookie is
        written after all hooks, by SessionInterface above.
        """
        if request.is_secure:
            cookies = response.headers.getlist("Set-Cookie")
            if any("; secure" not in cookie.lower() for cookie in cookies):
                response.headers.remove("Set-Cookie")
                for cookie in cookies:
                    response.headers.add("Set-Cookie", cookie if "; secure" in cookie.lower() else cookie + "; Secure")
        return response

    app.after_request_funcs.setdefault(None, []).insert(0, secure_cookies)

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]:
            # Older browsers' equivalent; left off pages whose CSP names the sites that may frame
            # them (the comment widget), since SAMEORIGIN would refuse those sites.
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    _unversioned_server_header()


def _unversioned_server_header():
    """`Server: Parley` from the development server (`flask run`), not "Werkzeug/3.1.9
    Python/3.11.7": versions are a head start for anyone matching known bugs. It writes the
    header itself, before any the app sets, so the app cannot replace it; gunicorn already
    sends a bare "gunicorn"."""
    WSGIRequestHandler.version_string = lambda handler: SERVER_NAME
