"""The embedded default: one scoring thread in the web process, started once."""

import logging
import threading

from .worker import ScoringWorker

log = logging.getLogger("service.background.worker")  # the worker's own log, where operators look

_thread_worker = None
_thread_lock = threading.Lock()


def start_thread_worker(app):
    """Start this process's scoring thread unless it runs already; the worker either way."""
    global _thread_worker
    with _thread_lock:
        if _thread_worker is None:
            _thread_worker = ScoringWorker(app)
            threading.Thread(target=_thread_worker.run, name="parley-scoring", daemon=True).start()
            log.info("in-process scoring worker started")
        return _thread_worker
