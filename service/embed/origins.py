"""Where a request comes from and which sites may frame the widget, as HTTP headers."""
from flask import request

from ..security import CSP


def own_origin():
    """Parley's own origin as this request reached it (scheme://host[:port])."""
    return request.host_url.rstrip("/").lower()


def csp_framed_by(origin):
    """The site's CSP, with only `origin` allowed to frame the page (and nothing else)."""
    return CSP.replace("frame-ancestors 'self'", f"frame-ancestors {origin}")
