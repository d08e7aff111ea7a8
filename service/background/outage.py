"""The worker's log while the database is away: one line when it goes, one when it is back."""

import logging

log = logging.getLogger("service.background.worker")  # the worker's own log, where operators look


class DatabaseOutage:
    """One log line when the database goes away and one when it is back.

    While PostgreSQL restarts, every poll, export turn and heartbeat fails the same way; a
    traceback for each would bury the log (and anything else in it) for the whole outage.
    """

    def __init__(self):
        self.down = False

    def failed(self, exc):
        if not self.down:
            self.down = True
            log.warning(
                "database unavailable (%s); the worker retries quietly until it is back", exc.__class__.__name__
            )

    def ok(self):
        if self.down:
            self.down = False
            log.info("database back; the worker carries on")
