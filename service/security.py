"""Security headers on every response."""
from flask import request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def register(app):
    def secure_cookies(response):
        """Over HTTPS every cookie we set is Secure, whatever SESSION_COOKIE_SECURE says.

        Registered to run after every other after_request hook (Flask runs them in reverse
        order), so it also sees the remember-me cookie Flask-Login sets late.
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
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
