"""Password hashes (scrypt), computed at background priority.

scrypt is slow on purpose: a sign-in or registration costs tens of milliseconds of one
core. Those requests wait for a small pool of hashing threads that run below request
priority (service/background/priority.py), so on a busy machine sign-ins take a little longer
instead of every other request doing so. hashlib's scrypt releases the GIL, so the pool
runs beside the request threads, not after them.

Half as nice as scoring (5 steps when BACKGROUND_NICENESS is 10): a person is waiting on a
sign-in, nobody on a score. At the same niceness, scrypt and the scoring process shared the
core requests left over, and a sign-in waited behind a batch (benchmarks/load.py on a 2-core
AVX2 EPYC: sign-in p99 0.59 s against the 0.5 s target).
"""

import hashlib
import hmac
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

from .background.priority import lower_this_thread

_pool = None
_pool_lock = threading.Lock()


def hash_password(password):
    """A salted scrypt hash of `password`, for the users table."""
    return _run(generate_password_hash, password, method="scrypt")


def password_matches(stored_hash, password):
    """True if `password` is the one `stored_hash` was made from."""
    return _run(check_password_hash, stored_hash, password)


def password_fingerprint(stored_hash):
    """A short keyed digest of a password hash, carried by sessions and reset links so that a
    password change ends them. Keyed with SECRET_KEY: cookies and links are signed, not
    encrypted, and this tells their holder nothing about the hash."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (stored_hash or "").encode(), hashlib.sha256).hexdigest()[:16]


def _run(function, *args, **kwargs):
    return _executor().submit(function, *args, **kwargs).result()


def hashing_niceness(background_niceness):
    """How much nicer than requests passwords are hashed: half of scoring's, rounded up."""
    return (background_niceness + 1) // 2


def _executor():
    global _pool
    with _pool_lock:
        if _pool is None:
            niceness = current_app.config["BACKGROUND_NICENESS"] if has_app_context() else 0
            _pool = ThreadPoolExecutor(
                max_workers=os.cpu_count() or 2,
                thread_name_prefix="password-hash",
                initializer=lower_this_thread,
                initargs=(hashing_niceness(niceness),),
            )
        return _pool


def _forget_pool():
    """A forked child starts without the parent's threads: it builds its own pool."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)
