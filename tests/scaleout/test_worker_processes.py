"""Real `flask worker` processes against the test database: killed mid-batch, stopped with
SIGTERM. Each comment must end with exactly one system decision, whatever happens."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, insert, select

from service.extensions import db
from service.models import Article, Comment, ScoringDecision, User, WorkerHeartbeat

from .waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]


def start_worker(app, batch_size=40, extra_env=None):
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "worker-test",
        "SCORING_BATCH_SIZE": str(batch_size),
        "SCORING_POLL_SECONDS": "0.5",
        "FLASK_APP": "wsgi.py",
        **(extra_env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def seed_pending(app, make_user, make_article, count):
    """Many pending comments at once, inserted in bulk as a burst of traffic would leave them."""
    make_article()
    make_user("ann")
    with app.app_context():
        article_id = db.session.scalar(select(Article.id))
        author_id = db.session.scalar(select(User.id))
        rows = [
            {
                "article_id": article_id,
                "author_id": author_id,
                "body": f"Comment {i}: the talks in Beijing went on for two days.",
                "status": "pending",
            }
            for i in range(count)
        ]
        db.session.execute(insert(Comment), rows)
        db.session.commit()


def counts(app):
    with app.app_context():
        decided = db.session.scalar(select(func.count()).select_from(ScoringDecision))
        pending = db.session.scalar(select(func.count()).select_from(Comment).where(Comment.status == "pending"))
        per_comment = db.session.execute(
            select(ScoringDecision.comment_id, func.count()).group_by(ScoringDecision.comment_id)
        ).all()
        db.session.remove()
    return decided, pending, per_comment


def stop(process):
    if process.poll() is None:
        process.kill()
    return process.communicate(timeout=10)[0]


def test_killed_worker_loses_nothing_and_decides_nothing_twice(app, make_user, make_article, worker):
    total = 400
    seed_pending(app, make_user, make_article, total)
    process = start_worker(app)
    try:
        started = wait_for(lambda: counts(app)[0] > 0, timeout=120)
        assert started, stop(process)
        process.send_signal(signal.SIGKILL)  # no chance to clean up: mid-batch, most likely
        process.wait(timeout=10)
    finally:
        output = stop(process)
    decided, pending, per_comment = counts(app)
    assert 0 < decided < total, output
    assert decided + pending == total
    assert all(n == 1 for _, n in per_comment)
    # Whatever the dead worker held is free again: another worker takes all of it.
    worker.drain()
    decided, pending, per_comment = counts(app)
    assert (decided, pending) == (total, 0)
    assert all(n == 1 for _, n in per_comment)


def test_sigterm_finishes_the_batch_and_exits_promptly(app, make_user, make_article):
    seed_pending(app, make_user, make_article, 200)
    process = start_worker(app, batch_size=32)
    try:
        assert wait_for(lambda: counts(app)[0] > 0, timeout=120), stop(process)
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=120)  # a hang guard, not a measure: it finishes its batch and stops
    finally:
        output = stop(process)
    assert code == 0, output
    decided, pending, per_comment = counts(app)
    assert decided + pending == 200 and all(n == 1 for _, n in per_comment)
    assert pending > 0, "it stopped after the batch in hand, not after draining the queue"


def test_worker_whose_model_cannot_load_reports_it_and_a_healthy_one_takes_over(
    app, make_user, make_article, api, worker, tmp_path
):
    seed_pending(app, make_user, make_article, 5)
    make_user("staff", role="moderator")
    api.login("staff")  # /healthz gives the count and the loader's error to staff only
    client = api.client
    broken = start_worker(app, extra_env={"SCORING_CHECKPOINT": str(tmp_path / "nowhere.ckpt")})
    try:

        def reported():
            with app.app_context():
                beat = db.session.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.state == "error"))
                db.session.remove()
                return beat is not None

        assert wait_for(reported, timeout=60), stop(broken)
        health = client.get("/healthz").get_json()
        assert health["model"] == "unavailable" and "nowhere.ckpt" in health["model_error"] and health["pending"] == 5
        assert counts(app)[1] == 5
        worker.drain()
        worker.heartbeat()
        assert counts(app)[:2] == (5, 0)
        assert client.get("/healthz").get_json()["model"] == worker.scorer.name
    finally:
        stop(broken)
