"""Background work yields the CPU to requests.

Scoring comments and hashing passwords are the two CPU-heavy things Parley does, and
neither is in a hurry: a decision may take a second, a sign-in a few hundred milliseconds.
Page views and comment posts are in a hurry. On a machine where all of them share the
cores, the threads doing background work ask the kernel for a lower priority (a higher
nice value), so a request that becomes runnable gets a core first.

Linux applies nice values per thread, so one thread of a web process can be lowered
without slowing the rest. Raising a priority back needs privileges, so a lowered thread
stays lowered: only threads that do nothing else are lowered. Elsewhere (or without
permission) this is a no-op: the work still runs, only without the preference.
"""

import logging
import os
import threading

log = logging.getLogger(__name__)


def lower_this_thread(niceness):
    """Make the calling thread (and threads it starts later) `niceness` steps nicer."""
    if niceness <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + niceness))
    except OSError as exc:  # not Linux, or a sandbox that forbids it: run at normal priority
        log.info("could not lower the priority of %s: %s", threading.current_thread().name, exc)


def niceness_of(native_id):
    """The nice value of one thread (Linux), for tests and diagnostics."""
    return os.getpriority(os.PRIO_PROCESS, native_id)
