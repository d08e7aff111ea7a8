"""The scoring worker: woken by new comments, backing off on failures, losing nothing, deciding each comment once."""

import threading
import time

import pytest
from sqlalchemy import func, select

from service.background.worker import ScoringWorker
from service.extensions import db
from service.models import Comment, ScoringDecision

from .conftest import BENIGN, decisions_for, post, status_of


class FailingScorer:
    """A model that raises on every call: the fault to survive."""

    name, version = "failing", "0"

    def score(self, texts):
        raise RuntimeError("model exploded")


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing inside catches it."""


class CrashingScorer:
    name, version = "crashing", "0"

    def score(self, texts):
        raise Crash()


def test_in_process_worker_is_woken_by_a_new_comment(setup, api, app, scorer):
    """The post wakes the worker: with a poll longer than the wait, only a wake-up decides it.
    (How fast a decision comes is measured in benchmarks/, not asserted on a shared machine.)"""
    scoring = ScoringWorker(app, scorer=scorer, worker_id="thread-under-test")
    thread = threading.Thread(target=scoring.run, kwargs={"poll_seconds": 600}, daemon=True)
    thread.start()
    try:
        scoring.scorer.score(["warm up"])  # the idle server has its model loaded already
        time.sleep(0.5)  # let the worker find nothing pending and go to sleep on the poll
        comment = post(api, BENIGN)
        waited = 0
        while status_of(app, comment["id"]) == "pending" and waited < 3000:
            time.sleep(0.02)
            waited += 1
    finally:
        scoring.stop()
        thread.join(timeout=60)
    assert status_of(app, comment["id"]) == "published"


def test_scoring_failures_back_off_then_hold_with_the_error(setup, api, app):
    comment = post(api, BENIGN)
    scoring = ScoringWorker(app, scorer=FailingScorer(), worker_id="failing")
    attempts = app.config["SCORING_MAX_ATTEMPTS"]
    for attempt in range(1, attempts + 1):
        scoring.run_once()
        with app.app_context():
            row = db.session.get(Comment, comment["id"])
            assert row.attempts == (attempt if attempt < attempts else 0) or row.status == "held"
            if row.status == "pending":
                assert "model exploded" in row.last_error and row.next_attempt_at is not None
                row.next_attempt_at = None  # skip the back-off wait
                db.session.commit()
    assert status_of(app, comment["id"]) == "held"
    [decision] = decisions_for(app, comment["id"])
    assert decision.rule == "scoring_failed" and "model exploded" in decision.reason


def test_model_that_cannot_load_leaves_comments_pending_and_says_so(
    setup, api, other_api, app, tmp_path, client, monkeypatch
):
    comment = post(api, BENIGN)
    monkeypatch.setitem(app.config, "SCORING_CHECKPOINT", str(tmp_path / "missing.ckpt"))
    scoring = ScoringWorker(app, worker_id="broken")
    assert scoring.run_once() == 0
    assert status_of(app, comment["id"]) == "pending"
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["model"] == "unavailable" and health["backlog"] == "some"
    assert health["pending"] == 1 and "model_error" not in health  # the loader's error is for staff
    other_api.login("mod")
    health = other_api.get("/healthz").get_json()
    assert health["pending"] == 1 and "missing.ckpt" in health["model_error"]


def test_worker_that_dies_mid_batch_loses_nothing(setup, api, app, worker):
    comments = [post(api, f"{BENIGN} ({i})") for i in range(3)]
    with pytest.raises(Crash):
        ScoringWorker(app, scorer=CrashingScorer(), worker_id="doomed").run_once()
    assert {status_of(app, c["id"]) for c in comments} == {"pending"}
    assert worker.drain() == 3
    for comment in comments:
        assert status_of(app, comment["id"]) == "published"
        assert len(decisions_for(app, comment["id"])) == 1


def test_concurrent_workers_decide_each_comment_once(setup, api, app, scorer):
    ids = [post(api, f"Comment number {i} about the talks.")["id"] for i in range(12)]
    workers = [ScoringWorker(app, scorer=scorer, batch_size=4, worker_id=f"w{i}") for i in range(2)]
    threads = [threading.Thread(target=w.drain) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        per_comment = dict(
            db.session.execute(
                select(ScoringDecision.comment_id, func.count())
                .where(ScoringDecision.comment_id.in_(ids))
                .group_by(ScoringDecision.comment_id)
            ).all()
        )
    assert per_comment == {i: 1 for i in ids}
