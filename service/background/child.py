"""The embedded default's scoring process: `python -m service.background.child`.

Started, watched and restarted by a web process (background/embedded.py), never by hand
(`flask worker` is the same loop for the scaled-out layout). It reads its settings from the
environment its web process gave it, runs the ScoringWorker loop at lower priority, and is
woken by a byte on its stdin per stored comment; end of file on stdin (the web process is
gone, however it went) or SIGTERM stops it after the batch in hand.
"""

import logging
import os
import signal
import threading

log = logging.getLogger("service.background.worker")


def listen_to_parent(worker, stdin_fd=0):
    """Until the pipe closes: each read is a wake-up. Then stop the worker."""
    from .wakeups import wakeup

    while True:
        try:
            data = os.read(stdin_fd, 4096)
        except InterruptedError:
            continue
        except OSError:
            data = b""
        if not data:
            log.info("web process gone; the scoring process stops")
            worker.stop()
            return
        wakeup.set()


def main():
    from service import create_app

    from .worker import ScoringWorker

    app = create_app()
    worker = ScoringWorker(app)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    signal.signal(signal.SIGINT, lambda *_: worker.stop())  # Ctrl-C reaches the whole group: the web process stops us
    threading.Thread(target=listen_to_parent, args=(worker,), name="parley-wakeups", daemon=True).start()
    log.info("scoring process %s running", os.getpid())
    worker.run()


if __name__ == "__main__":
    main()
