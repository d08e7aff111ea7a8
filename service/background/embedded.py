"""The embedded default's scoring worker, started by the web process on its first request.

`SCORING_WORKER=process` (the default): a child process (`python -m service.background.child`)
that this web process starts, watches and restarts, so the model never shares the web
process's interpreter (its GIL, its garbage collector, its memory) with requests. The child
runs the same `ScoringWorker` loop as `flask worker`, at lower priority; the database stays
the queue between them. The web process wakes it through the child's stdin: one byte per
stored comment (`wakeups.wake_workers`), on top of the child's own poll; the pipe closing
(the web process gone, however it went) stops the child. If the child dies, it is started
again after 1 s, then 2, 4 … up to 30 s while it keeps dying at once.

`SCORING_WORKER=thread`: one scoring thread inside the web process (the earlier default,
kept for a single-process setup that wants no child).
"""

import atexit
import contextlib
import logging
import os
import subprocess
import sys
import threading
import time

from .wakeups import add_waker

log = logging.getLogger("service.background.worker")  # the worker's own log, where operators look

_thread_worker = None
_thread_lock = threading.Lock()
_process = None
_process_lock = threading.Lock()

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESTART_DELAYS = (1, 2, 4, 8, 16, 30)  # seconds before each further restart of a child that keeps dying
STEADY_SECONDS = 60  # a child that ran this long before dying is restarted after the first delay again


def start_thread_worker(app):
    """Start this process's scoring thread unless it runs already; the worker either way."""
    from .worker import ScoringWorker

    global _thread_worker
    with _thread_lock:
        if _thread_worker is None:
            _thread_worker = ScoringWorker(app)
            threading.Thread(target=_thread_worker.run, name="parley-scoring", daemon=True).start()
            log.info("in-process scoring worker started")
        return _thread_worker


def start_scoring_process(app):
    """Start this web process's scoring child unless it runs already; its supervisor either way."""
    global _process
    with _process_lock:
        if _process is None:
            _process = ScoringProcess(app)
            _process.start()
            atexit.register(_process.stop)
        return _process


def child_environment(app):
    """The child's environment: this process's, plus the settings the app was built with (a
    test or a benchmark may have passed them to create_app rather than through the environment)."""
    from .scoring import scoring_threads

    config = app.config
    env = dict(os.environ)
    env.update(
        DATABASE_URL=str(config["SQLALCHEMY_DATABASE_URI"]),
        SECRET_KEY=str(config["SECRET_KEY"]),
        SCORING_WORKER="external",  # the child is the worker; it starts none of its own
        SCORING_MODEL=str(config["SCORING_MODEL"]),
        SCORING_CHECKPOINT=str(config["SCORING_CHECKPOINT"] or ""),
        SCORING_BATCH_SIZE=str(config["SCORING_BATCH_SIZE"]),
        SCORING_POLL_SECONDS=str(config["SCORING_POLL_SECONDS"]),
        SCORING_BATCH_WAIT_MS=str(config["SCORING_BATCH_WAIT_MS"]),
        SCORING_MAX_ATTEMPTS=str(config["SCORING_MAX_ATTEMPTS"]),
        SCORING_PRECISION=str(config["SCORING_PRECISION"]),
        BACKGROUND_NICENESS=str(config["BACKGROUND_NICENESS"]),
        PYTHONUNBUFFERED="1",
    )
    threads = scoring_threads(config)
    if threads:
        env["SCORING_THREADS"] = str(threads)
    else:
        env.pop("SCORING_THREADS", None)
    if config.get("PUBLIC_URL"):
        env["PUBLIC_URL"] = config["PUBLIC_URL"]
    return env


class ScoringProcess:
    """One scoring child process, restarted whenever it exits until stop() is called."""

    def __init__(self, app):
        self.app = app
        self.env = child_environment(app)
        self.proc = None
        self.starts = 0  # how many children were started, restarts included
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def pid(self):
        proc = self.proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def start(self):
        self._spawn()
        add_waker(self.wake)
        threading.Thread(target=self._watch, name="parley-scoring-supervisor", daemon=True).start()

    def _spawn(self):
        with self._lock:
            if self._stopping.is_set():
                return
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "service.background.child"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.PIPE,
                close_fds=True,
            )
            os.set_blocking(self.proc.stdin.fileno(), False)  # a wake-up never blocks a request
            self.starts += 1
            self.started_at = time.monotonic()
        log.info("scoring process %s started", self.proc.pid)

    def _watch(self):
        failures = 0
        while not self._stopping.is_set():
            code = self.proc.wait()
            if self._stopping.is_set():
                return
            ran = time.monotonic() - self.started_at
            failures = 0 if ran >= STEADY_SECONDS else failures + 1
            delay = RESTART_DELAYS[min(max(failures - 1, 0), len(RESTART_DELAYS) - 1)]
            log.error(
                "scoring process %s exited (code %s) after %.0f s; restarting in %s s", self.proc.pid, code, ran, delay
            )
            if self._stopping.wait(delay):
                return
            self._spawn()

    def wake(self):
        """Tell the child a comment is waiting (called after each commit that stored one)."""
        proc = self.proc
        if proc is None:
            return
        # A full pipe holds plenty of unread wake-ups; a gone child's successor looks at the queue
        # when it starts. Neither is the request's problem.
        with contextlib.suppress(OSError, ValueError):
            os.write(proc.stdin.fileno(), b"\n")

    def stop(self, timeout=20):
        """Stop the child (SIGTERM: it finishes its batch) and do not restart it."""
        self._stopping.set()
        with self._lock:
            proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
