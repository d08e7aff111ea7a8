"""The embedded default's scoring process (service/background/embedded.py): the web process
starts it on its first request and wakes it through a pipe; it scores what the web process
stores; it is started again when it dies and stopped with the app; and the web process itself
never loads the model."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from service.background import wakeups
from service.background.embedded import ScoringProcess, child_environment
from service.extensions import db
from service.models import Comment, WorkerHeartbeat

from .scaleout.waiting import wait_for

ROOT = Path(__file__).resolve().parent.parent
SLUG = "test-article"


def test_the_child_scores_what_requests_store_and_the_web_process_never_loads_the_model(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "tests.embedded_web", f"sqlite:///{tmp_path / 'embedded.db'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["status"] == "published"  # scored with a 600 s poll: the pipe woke the child
    assert report["child_pid"] not in (None, report["web_pid"])
    assert [beat.split(":")[1] for beat in report["heartbeats"]] == [str(report["child_pid"])]
    assert report["healthz"]["model"] == "parley-minilm-v1" and report["healthz"]["pending"] == 0
    assert report["web_modules"] == []  # no torch, transformers, detoxify or Scorer in the web process


def child_heartbeat(app, pid):
    with app.app_context():
        beats = db.session.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.state == "ok")).all()
        db.session.remove()
    return any(f":{pid}:" in beat.id for beat in beats)


def status_of(app, comment_id):
    with app.app_context():
        status = db.session.get(Comment, comment_id).status
        db.session.remove()
    return status


@pytest.fixture
def scoring_process(app, monkeypatch):
    if app.config["SQLALCHEMY_DATABASE_URI"].rstrip("/") == "sqlite:":
        pytest.skip("a child process cannot share an in-memory database")
    monkeypatch.setitem(app.config, "SCORING_THREADS", 1)
    monkeypatch.setitem(app.config, "BACKGROUND_NICENESS", 0)  # a busy test machine must not starve its start
    monkeypatch.setitem(app.config, "SCORING_POLL_SECONDS", 600.0)  # only wake-ups decide
    process = ScoringProcess(app)
    process.start()
    yield process
    process.stop()
    wakeups._wakers.remove(process.wake)


def test_a_killed_child_is_started_again_and_scores_and_stop_ends_it(
    app, api, make_user, make_article, scoring_process
):
    make_article(slug=SLUG)
    make_user("ann")
    api.login("ann")
    first = scoring_process.pid
    assert wait_for(lambda: child_heartbeat(app, first), timeout=300)
    os.kill(first, signal.SIGKILL)
    assert wait_for(lambda: scoring_process.pid not in (None, first), timeout=60)
    second = scoring_process.pid
    assert scoring_process.starts == 2
    assert wait_for(lambda: child_heartbeat(app, second), timeout=300)
    response = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": "A calm remark about the Beijing talks."})
    assert response.status_code == 201, response.get_json()
    comment_id = response.get_json()["comment"]["id"]
    assert wait_for(lambda: status_of(app, comment_id) != "pending", timeout=120)  # woken: the poll is 600 s
    assert status_of(app, comment_id) == "published"
    proc = scoring_process.proc
    scoring_process.stop()
    assert proc.poll() is not None and scoring_process.pid is None and scoring_process.starts == 2


def test_the_child_gets_the_apps_settings_not_only_the_environment(app, monkeypatch):
    monkeypatch.setitem(app.config, "SCORING_BATCH_SIZE", 7)
    monkeypatch.setitem(app.config, "SCORING_PRECISION", "float32")
    monkeypatch.setitem(app.config, "SCORING_WORKER", "process")
    monkeypatch.setitem(app.config, "SCORING_THREADS", None)
    monkeypatch.setenv("SCORING_THREADS", "3")  # the app's setting (unset: the default) wins over the environment's
    env = child_environment(app)
    assert env["DATABASE_URL"] == app.config["SQLALCHEMY_DATABASE_URI"]
    assert (env["SCORING_BATCH_SIZE"], env["SCORING_PRECISION"], env["SCORING_WORKER"]) == ("7", "float32", "external")
    assert env["SCORING_THREADS"] == "1"  # the embedded default's one thread
