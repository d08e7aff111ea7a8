"""`flask worker --once`: everything waiting now is done, then the command exits, so a cron job
(or a systemd timer) can stand in for a long-running worker: pending comments and queued
data exports alike."""

import pytest
from sqlalchemy import select

from service.background import worker as worker_module
from service.extensions import db
from service.models import Comment, ExportJob, OutboxMessage


@pytest.fixture
def queued_export(app, api, make_user, make_article, monkeypatch):
    """ann has one pending comment and a queued export (too many comments to build at once)."""
    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 0)
    make_article()
    make_user("ann")
    api.login("ann")
    assert (
        api.post("/api/v1/articles/test-article/comments", {"body": "A fair point about the talks."}).status_code == 201
    )
    assert api.post("/api/v1/me/export").status_code == 202


def run_once(app):
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_once_decides_comments_and_builds_queued_exports(app, api, queued_export, scorer, monkeypatch):
    monkeypatch.setattr(worker_module, "load_scorer", lambda config: scorer)  # the session's real model, loaded once
    output = run_once(app)
    assert "Decided 1 comments" in output and "built 1 data export" in output
    with app.app_context():
        assert db.session.scalar(select(Comment.status)) in ("published", "review")
        assert db.session.scalar(select(ExportJob.status)) == "ready"
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Your data is ready to download"))
    ready = api.get("/api/v1/me/export").get_json()["export"]
    assert api.client.get(ready["download_url"]).status_code == 200
    assert "Decided 0 comments; built 0 data exports" in run_once(app)  # nothing left


def test_exports_are_built_even_when_the_model_cannot_load(app, queued_export, monkeypatch, tmp_path):
    """A cron run on a host without the model still hands readers their data."""
    monkeypatch.setitem(app.config, "SCORING_CHECKPOINT", str(tmp_path / "missing.ckpt"))
    output = run_once(app)
    assert "built 1 data export" in output
    with app.app_context():
        assert db.session.scalar(select(ExportJob.status)) == "ready"
        assert db.session.scalar(select(Comment.status)) == "pending"  # waits for a worker with a model
