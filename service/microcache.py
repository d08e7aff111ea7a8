"""A micro-cache of thread reads for signed-out readers.

A busy article is read by hundreds of signed-out readers a second, and each of them would
get the same page: rendering it costs 7–16 ms of CPU, replaying it well under one. So the
article page, the API's thread call and the widget's framed page are kept for a few seconds
(THREAD_CACHE_SECONDS, per process) and replayed to the next signed-out readers. Staleness is
bounded by that TTL; nothing is invalidated by hand, so there is no invalidation to get wrong.

What is never cached or served from the cache:
- requests of signed-in readers (a user in the session cookie, a remember-me cookie, any
  Authorization header such as the widget's Bearer token): they see their own pending
  comments, report buttons and CSRF tokens, and see their own new comment at once;
- requests whose session carries a flash message (it must be shown to that reader, once);
- anything but GET/HEAD, and any answer but a 200;
- answers that set a cookie or that embed a CSRF token (a per-session value).

Only headers that are the same for every reader are kept; per-request ones (rate-limit
counters, Vary, security headers) are added again by the usual after-request hooks.

Two doors to a hit. Inside Flask (`serve_from_cache`, a before-request hook): the request's
context is pushed, its session cookie read and the rate limits before it checked, and its
answer goes through the after-request hooks. Before Flask (`Replay`, a WSGI wrapper): a read
that carries no session or remember-me cookie, no Authorization and no Origin header, of a
page that has no rate limit of its own (the article page and the API's thread call; the
widget's frame keeps its per-address limit, so it takes the first door), is answered with the
bytes and the headers the miss went out with. A hit through Flask costs about 0.4 ms of CPU,
one through `Replay` a twentieth of that; at hundreds of reads a second that is a tenth of the one
interpreter every request of the process shares (README, Load benchmark).
"""

import threading
from collections import OrderedDict
from time import monotonic
from typing import NamedTuple
from urllib.parse import urlencode

from flask import current_app, g, request, session
from werkzeug.http import parse_cookie
from werkzeug.wrappers import Request

CACHED_ENDPOINTS = frozenset({"articles.article", "api.article_comments", "embed.thread"})
# Cached pages without a rate limit of their own: Replay may answer them before Flask runs.
REPLAYED_ENDPOINTS = frozenset({"articles.article", "api.article_comments"})
# Headers that belong to one answer, never replayed as they were: Replay sets its own
# Content-Length, Age and X-Cache; a kept answer never had a cookie.
PER_ANSWER_HEADERS = frozenset({"age", "content-length", "date", "retry-after", "set-cookie", "x-cache"})
SHARED_HEADERS = ("Content-Type", "Content-Security-Policy", "Cache-Control")
SIGNED_IN_SESSION_KEYS = ("_user_id", "_flashes")  # Flask-Login's user; a flash to show once
MAX_ENTRIES = 512
MAX_BYTES = 32 * 1024 * 1024  # per process; a 50-thread page is ~100 KB
EXTENSION = "parley.microcache"


class Entry(NamedTuple):
    stored_at: float
    expires_at: float
    body: bytes
    headers: list  # the shared headers, for a hit inside Flask (its hooks add the rest)
    replay: list | None = None  # every header the miss went out with, for Replay; None: not replayed


class MicroCache:
    """Responses by key, least recently used dropped first, bounded by count and bytes.

    Thread-safe: gunicorn's gthread workers share one per process.
    """

    def __init__(self, max_entries=MAX_ENTRIES, max_bytes=MAX_BYTES, clock=monotonic):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self._entries = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._entries)

    def get(self, key):
        """The fresh entry under `key`, or None (an expired one is dropped)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires_at <= self.clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key, body, headers, ttl, replay=None):
        if len(body) > self.max_bytes // 8:
            return  # one huge page would push out dozens of ordinary ones
        now = self.clock()
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = Entry(now, now + ttl, body, headers, replay)
            self._bytes += len(body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key):
        self._bytes -= len(self._entries.pop(key).body)


def cache_of(app):
    return app.extensions[EXTENSION]


def register(app):
    app.extensions[EXTENSION] = MicroCache()
    app.before_request(serve_from_cache)
    # First in the list = run last (Flask runs after-request hooks in reverse), so it sees any
    # cookie another hook sets (Flask-Login's remember-me) before deciding to keep the answer,
    # and every header the other hooks add (what Replay sends again).
    app.after_request_funcs.setdefault(None, []).insert(0, keep_in_cache)
    app.wsgi_app = Replay(app, app.wsgi_app)


class Replay:
    """WSGI: answers a cookieless signed-out read of a cached page before Flask runs.

    Only requests that nothing could make differ from the reader whose miss filled the entry:
    GET or HEAD, no session or remember-me cookie (any other cookie is not ours to read), no
    Authorization (the widget's Bearer token) and no Origin header (a cross-origin caller may
    be answered with CORS headers). Everything else goes on to Flask, where serve_from_cache
    decides as before. The key is the one keep_in_cache filed the entry under.
    """

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        entry = self._entry(environ)
        if entry is None:
            return self.wsgi_app(environ, start_response)
        age = int(cache_of(self.app).clock() - entry.stored_at)
        extra = [("Content-Length", str(len(entry.body))), ("Age", str(age)), ("X-Cache", "hit")]
        start_response("200 OK", entry.replay + extra)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else entry.body]

    def _entry(self, environ):
        config = self.app.config
        if not config["THREAD_CACHE_SECONDS"] or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        if "HTTP_AUTHORIZATION" in environ or "HTTP_ORIGIN" in environ:
            return None
        cookies = environ.get("HTTP_COOKIE")
        ours = (config["SESSION_COOKIE_NAME"], config["REMEMBER_COOKIE_NAME"])
        if cookies and any(name in parse_cookie(cookies) for name in ours):
            return None
        entry = cache_of(self.app).get(_key(Request(environ)))
        return entry if entry is not None and entry.replay is not None else None


def serve_from_cache():
    """Answer a signed-out thread read from the cache when a fresh copy is there."""
    ttl = current_app.config["THREAD_CACHE_SECONDS"]
    if not ttl or request.endpoint not in CACHED_ENDPOINTS:
        return None
    if not _shareable_request():
        g.microcache = ("bypass", None)
        return None
    key = _key()
    entry = cache_of(current_app).get(key)
    if entry is None:
        g.microcache = ("miss", key)
        return None
    g.microcache = ("hit", key)
    response = current_app.response_class(entry.body, status=200, headers=entry.headers)
    response.headers["Age"] = str(int(cache_of(current_app).clock() - entry.stored_at))
    return response


def keep_in_cache(response):
    """Keep a miss's answer when every reader may share it; label the answer either way."""
    state, key = g.pop("microcache", (None, None))
    if state is None:
        return response
    if state == "miss" and _shareable_response(response):
        headers = [(name, response.headers[name]) for name in SHARED_HEADERS if name in response.headers]
        replay = _replay_headers(response) if request.endpoint in REPLAYED_ENDPOINTS else None
        ttl = current_app.config["THREAD_CACHE_SECONDS"]
        cache_of(current_app).put(key, response.get_data(), headers, ttl, replay)
    response.headers["X-Cache"] = state
    return response


def _shareable_request():
    if request.method not in ("GET", "HEAD") or "Authorization" in request.headers:
        return False
    if current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies:
        return False  # Flask-Login would sign this reader in from it
    return not any(name in session for name in SIGNED_IN_SESSION_KEYS)


def _shareable_response(response):
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return False
    if "Set-Cookie" in response.headers or current_app.session_interface.should_set_cookie(current_app, session):
        return False
    # Flask-WTF keeps the token it rendered in g: the page holds a value bound to this session.
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in g


def _replay_headers(response):
    """The headers this answer goes out with, as Replay sends them again: all but the
    per-answer ones, and Vary: Cookie, which Flask adds later (the session was looked at)."""
    kept = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in PER_ANSWER_HEADERS and not name.lower().startswith("x-ratelimit")
    ]
    vary = [value for name, value in kept if name.lower() == "vary"]
    if not any("cookie" in value.lower() for value in vary):
        kept.append(("Vary", "Cookie"))
    return kept


def _key(asked=request):
    """Scheme, host, path and the query in a canonical order (?a=1&b=2 is ?b=2&a=1), of
    Flask's request or of a plain werkzeug Request (Replay's, made from the same environ)."""
    query = urlencode(sorted(asked.args.items(multi=True)))
    return f"{asked.scheme}://{asked.host}{asked.path}?{query}"
