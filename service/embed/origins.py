"""Where a request comes from and which sites may frame the widget, as HTTP headers."""

from ..public_url import base_url
from ..security import CSP


def own_origin():
    """Parley's own origin (scheme://host[:port]): PUBLIC_URL's, or the request's without it."""
    return base_url().lower()


def csp_framed_by(origin):
    """The site's CSP, with only `origin` allowed to frame the page (and nothing else)."""
    return CSP.replace("frame-ancestors 'self'", f"frame-ancestors {origin}")
