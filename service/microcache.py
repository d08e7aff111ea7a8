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
"""

import threading
from collections import OrderedDict
from time import monotonic
from typing import NamedTuple
from urllib.parse import urlencode

from flask import current_app, g, request, session

CACHED_ENDPOINTS = frozenset({"articles.article", "api.article_comments", "embed.thread"})
SHARED_HEADERS = ("Content-Type", "Content-Security-Policy", "Cache-Control")
SIGNED_IN_SESSION_KEYS = ("_user_id", "_flashes")  # Flask-Login's user; a flash to show once
MAX_ENTRIES = 512
MAX_BYTES = 32 * 1024 * 1024  # per process; a 50-thread page is ~100 KB
EXTENSION = "parley.microcache"


class Entry(NamedTuple):
    stored_at: float
    expires_at: float
    body: bytes
    headers: list


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

    def put(self, key, body, headers, ttl):
        if len(body) > self.max_bytes // 8:
            return  # one huge page would push out dozens of ordinary ones
        now = self.clock()
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = Entry(now, now + ttl, body, headers)
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
    # cookie another hook sets (Flask-Login's remember-me) before deciding to keep the answer.
    app.after_request_funcs.setdefault(None, []).insert(0, keep_in_cache)


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
        cache_of(current_app).put(key, response.get_data(), headers, current_app.config["THREAD_CACHE_SECONDS"])
    response.headers["X-Cache"] = state
    return response


def _shareable_request():
    if request.method not in ("GET", "HEAD") or "Authorization" in request.headers:
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False  # Flask-Login would sign this reader in from it
    return not any(name in session for name in SIGNED_IN_SESSION_KEYS)


def _shareable_response(response):
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return False
    if "Set-Cookie" in response.headers or current_app.session_interface.should_set_cookie(current_app, session):
        return False
    # Flask-WTF keeps the token it rendered in g: the page holds a value bound to this session.
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in g


def _key():
    """Scheme, host, path and the query in a canonical order (?a=1&b=2 is ?b=2&a=1)."""
    query = urlencode(sorted(request.args.items(multi=True)))
    return f"{request.scheme}://{request.host}{request.path}?{query}"
