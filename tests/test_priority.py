"""Background work (scoring, password hashing) runs below request priority, on real threads."""

import os
import threading
import time

import pytest
from werkzeug.security import check_password_hash

from service.background.priority import lower_this_thread, niceness_of
from service.background.worker import ScoringWorker
from service.passwords import _executor, hash_password, hashing_niceness, password_matches

pytestmark = pytest.mark.skipif(not hasattr(os, "setpriority"), reason="nice values are a POSIX feature")


def expected_after(base, steps):
    return min(19, base + steps)


def test_lowering_a_thread_leaves_the_others_alone():
    main = niceness_of(threading.get_native_id())
    seen = {}

    def background():
        lower_this_thread(5)
        seen["after"] = niceness_of(threading.get_native_id())

    thread = threading.Thread(target=background)
    thread.start()
    thread.join(timeout=10)
    assert seen["after"] == expected_after(main, 5)
    assert niceness_of(threading.get_native_id()) == main


def test_zero_steps_changes_nothing():
    seen = {}

    def background():
        before = niceness_of(threading.get_native_id())
        lower_this_thread(0)
        seen["same"] = niceness_of(threading.get_native_id()) == before

    thread = threading.Thread(target=background)
    thread.start()
    thread.join(timeout=10)
    assert seen["same"]


def test_passwords_are_hashed_on_lowered_threads(app):
    main = niceness_of(threading.get_native_id())
    with app.app_context():
        stored = hash_password("correct horse battery")
        assert stored.startswith("scrypt:") and check_password_hash(stored, "correct horse battery")
        assert password_matches(stored, "correct horse battery")
        assert not password_matches(stored, "wrong horse battery")
        pool_niceness = _executor().submit(lambda: niceness_of(threading.get_native_id())).result()
    assert pool_niceness == expected_after(main, hashing_niceness(app.config["BACKGROUND_NICENESS"]))
    assert niceness_of(threading.get_native_id()) == main  # the request thread kept its priority


@pytest.mark.parametrize("background, hashing", [(0, 0), (1, 1), (2, 1), (10, 5), (19, 10)])
def test_passwords_are_hashed_above_scoring_and_below_requests(background, hashing):
    """A person waits on a sign-in, nobody on a score: scrypt is half as nice as scoring."""
    assert hashing_niceness(background) == hashing


def test_the_scoring_loop_runs_below_request_priority(app, scorer):
    main = niceness_of(threading.get_native_id())
    scoring = ScoringWorker(app, scorer=scorer, worker_id="nice-under-test")
    thread = threading.Thread(target=scoring.run, kwargs={"poll_seconds": 0.2}, daemon=True)
    thread.start()
    want = expected_after(main, app.config["BACKGROUND_NICENESS"])
    try:
        deadline = time.monotonic() + 10
        while niceness_of(thread.native_id) != want and time.monotonic() < deadline:
            time.sleep(0.05)
        assert niceness_of(thread.native_id) == want
    finally:
        scoring.stop()
        thread.join(timeout=10)
    assert niceness_of(threading.get_native_id()) == main
