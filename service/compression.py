"""gzip for text answers the app serves itself (pages, JSON, CSS, JS, SVG) when the client
accepts it: an article page of 50 threads is ~100 KB of HTML and about a tenth of that gzipped.

A WSGI wrapper around the whole app, outside the micro-cache: the cache keeps and replays the
plain bytes, one copy for every reader, and each answer is compressed on its way out for the
client that asked. Streamed answers (no Content-Length: CSV exports), downloads, ranges,
tiny bodies and anything already encoded pass through untouched.
"""

import gzip

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
MIN_BYTES = 1024
LEVEL = 5  # most of level 9's saving for a third of its CPU


def _accepts_gzip(environ):
    offered = environ.get("HTTP_ACCEPT_ENCODING", "")
    return any(
        part.split(";")[0].strip() == "gzip" and "q=0" not in part.replace(" ", "") for part in offered.split(",")
    )


def _compressible(status, headers):
    names = {name.lower(): value for name, value in headers}
    if not status.startswith("200") or "content-encoding" in names:
        return False
    if names.get("content-disposition", "").startswith("attachment"):
        return False  # a download is saved as sent
    if "content-length" not in names or int(names["content-length"]) < MIN_BYTES:
        return False
    return names.get("content-type", "").startswith(COMPRESSIBLE)


def _vary(headers):
    for i, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            headers[i] = (name, value + ", Accept-Encoding")
            return headers
    return headers + [("Vary", "Accept-Encoding")]


def _gzipped_headers(headers, size):
    kept = []
    for name, value in headers:
        lower = name.lower()
        if lower == "content-length":
            continue
        if lower == "etag" and not value.startswith("W/"):
            value = "W/" + value  # the same resource, other bytes: no longer a strong validator
        kept.append((name, value))
    return _vary(kept) + [("Content-Encoding", "gzip"), ("Content-Length", str(size))]


class Gzip:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not _accepts_gzip(environ) or environ.get("REQUEST_METHOD") == "HEAD":
            return self.app(environ, start_response)
        held = {}

        def hold(status, headers, exc_info=None):
            if not _compressible(status, headers):
                return start_response(status, headers, exc_info)
            held.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: held.setdefault("early", []).append(data)  # the legacy write()

        body = self.app(environ, hold)
        if not held:
            return body
        try:
            data = b"".join(held.get("early", [])) + b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        packed = gzip.compress(data, compresslevel=LEVEL, mtime=0)
        start_response(held["status"], _gzipped_headers(held["headers"], len(packed)), held["exc_info"])
        return [packed]
