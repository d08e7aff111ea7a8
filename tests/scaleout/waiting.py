"""Polling helper shared by the process-level scale-out tests."""

import time


def wait_for(predicate, timeout, step=0.05):
    """True as soon as predicate() is, False once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
