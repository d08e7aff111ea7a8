"""Download my data: what the JSON file holds, who may fetch it, and the background path for
large accounts (built by the worker loop)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from service.background import exports
from service.domain.accounts import export
from service.extensions import db
from service.models import ExportJob, OutboxMessage, User
from service.models.base import utcnow

from .account_data_scene import DISPLAY_NAME, REPORT_REASON, USERNAME, build_scene, sign_in
from .conftest import Api


@pytest.fixture
def scene(app, make_user, make_article):
    return build_scene(app, make_user, make_article)


def download(api, url):
    response = api.client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store" and response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_a_small_account_gets_its_file_at_once_with_everything(app, api, scene, worker):
    sign_in(api)
    # One comment the scoring worker decides, so the file carries a system decision too.
    posted = api.post("/api/v1/articles/test-article/comments", {"body": "A calm and thoughtful remark"}).get_json()
    worker.drain()
    response = api.form("/account/export", {})
    assert response.status_code == 302 and "/account/exports/" in response.headers["Location"]
    data = download(api, response.headers["Location"])

    assert (data["schema"], data["version"]) == ("parley.account-export", 1)
    assert data["profile"]["username"] == USERNAME and data["profile"]["email"] == "zelda.q7x@example.org"
    by_id = {c["id"]: c for c in data["comments"]}
    assert set(by_id) == {scene.top, scene.zelda_reply, scene.deleted_by_zelda, posted["comment"]["id"]}
    scored = by_id[posted["comment"]["id"]]
    assert scored["status"] in ("published", "review") and scored["reason"]
    assert set(scored["decisions"][0]["scores"]) >= {"toxicity", "insult"} and scored["decisions"][0]["reason"]
    approved = by_id[scene.top]["moderation"]
    assert [(m["action"], m["by"]) for m in approved] == [("approve", "moderator")]  # not the moderator's name
    assert "mona" not in json.dumps(data)
    assert by_id[scene.deleted_by_zelda]["status"] == "deleted"
    assert by_id[scene.zelda_reply]["parent_id"] == scene.otto_top
    assert [r["reason"] for r in data["reports"]] == [REPORT_REASON]
    [membership] = data["memberships"]
    assert (
        membership["tier"] == "sponsor" and membership["amount"] == 1500 and membership["display_name"] == DISPLAY_NAME
    )
    subjects = [n["subject"] for n in data["notifications"]]
    assert "otto replied to your comment" in subjects and "About your account" in subjects
    assert [h["action"] for h in data["account_history"]] == ["warn"]


def test_only_the_owner_can_download(app, api, scene, make_user):
    sign_in(api)
    url = api.form("/account/export", {}).headers["Location"]
    otto = Api(app.test_client())
    otto.login("otto")
    assert otto.client.get(url).status_code == 404
    admin = Api(app.test_client())
    admin.login("boss")
    assert admin.client.get(url).status_code == 404  # not even an admin
    assert app.test_client().get(url).status_code == 302  # signed out: to the sign-in page
    assert api.client.get(url).status_code == 200


def test_an_expired_export_is_gone(app, api, scene):
    sign_in(api)
    url = api.form("/account/export", {}).headers["Location"]
    with app.app_context():
        db.session.execute(update(ExportJob).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert api.client.get(url).status_code == 404
    assert "download your data" not in api.client.get("/profile").get_data(as_text=True)
    with app.app_context():
        assert exports.build_next() == 0  # nothing waiting, and the expired document is purged
        assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 0


def test_a_large_account_is_built_in_the_background(app, api, scene, worker, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 1)
    sign_in(api)
    first = api.post("/api/v1/me/export")
    assert first.status_code == 202
    job = first.get_json()["export"]
    assert job["status"] == "queued" and job["download_url"] is None
    again = api.post("/api/v1/me/export").get_json()["export"]
    assert again["id"] == job["id"]  # asking twice queues once
    profile = api.client.get("/profile").get_data(as_text=True)
    assert "being prepared" in profile and "Download my data</button>" not in profile

    assert worker.run_exports() == 1  # the worker loop's turn between scoring batches
    assert worker.run_exports() == 0
    ready = api.get("/api/v1/me/export").get_json()["export"]
    assert ready["status"] == "ready" and ready["size"] > 0
    data = download(api, ready["download_url"])
    assert len(data["comments"]) == 3
    assert "Ready — " in api.client.get("/profile").get_data(as_text=True)
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Your data is ready to download"))
        assert mail.recipient == "zelda.q7x@example.org" and "/profile#your-data" in mail.body


def test_a_job_is_claimed_once_and_a_stale_claim_is_taken_again(app, api, scene, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 0)
    sign_in(api)
    job_id = api.post("/api/v1/me/export").get_json()["export"]["id"]
    with app.app_context():
        assert exports._claim() == job_id
        assert exports._claim() is None  # running: nobody else takes it
        db.session.execute(update(ExportJob).values(started_at=utcnow() - exports.STALE_AFTER - timedelta(seconds=1)))
        db.session.commit()
        assert exports._claim() == job_id  # its worker died: another one takes it over
        db.session.remove()


def test_a_failed_build_is_reported_and_can_be_asked_again(app, api, scene, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 0)
    sign_in(api)
    api.post("/api/v1/me/export")

    def broken(user):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export, "build_document", broken)
    with app.app_context():
        assert exports.build_next() == 1
        db.session.remove()
    failed = api.get("/api/v1/me/export").get_json()["export"]
    assert failed["status"] == "failed" and "disk on fire" in failed["error"]
    assert "Preparing your copy failed" in api.client.get("/profile").get_data(as_text=True)
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 0)
    retried = api.post("/api/v1/me/export").get_json()["export"]
    assert retried["status"] == "queued" and retried["error"] is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 1  # the failed one is replaced


def test_the_worker_thread_builds_exports_without_being_asked(app, api, scene, monkeypatch):
    """The real loop (not a test hook): queued, the running worker wakes and builds it."""
    import threading
    import time

    from service.background.worker import ScoringWorker

    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 0)

    class NoModel:  # the export path must not wait for the scoring model
        name, version = "none", "0"

        def score(self, texts):
            return [{}] * len(texts)

    loop = ScoringWorker(app, scorer=NoModel(), worker_id="export-test")
    thread = threading.Thread(target=loop.run, kwargs={"poll_seconds": 0.2}, daemon=True)
    thread.start()
    try:
        sign_in(api)
        api.post("/api/v1/me/export")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and api.get("/api/v1/me/export").get_json()["export"]["status"] != "ready":
            time.sleep(0.1)
        assert api.get("/api/v1/me/export").get_json()["export"]["status"] == "ready"
    finally:
        loop.stop()
        thread.join(timeout=10)


def test_exports_of_a_deleted_account_are_gone_and_others_unaffected(app, api, scene):
    sign_in(api)
    url = api.form("/account/export", {}).headers["Location"]
    with app.app_context():
        otto = db.session.get(User, scene.otto)
        otto_job = export.request_export(otto)
        otto_job_id = otto_job.id
        db.session.remove()
    api.form("/account/delete", {"password": "a-long-enough-password"})
    assert api.client.get(url).status_code == 302  # signed out
    with app.app_context():
        assert [j.id for j in db.session.scalars(select(ExportJob))] == [otto_job_id]


def test_on_postgresql_a_worker_skips_a_job_another_is_claiming(app, api, other_api, scene, monkeypatch):
    """SKIP LOCKED: a job whose row another worker holds is passed over, not waited for."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time")
    monkeypatch.setitem(app.config, "EXPORT_SYNC_MAX_COMMENTS", 0)
    sign_in(api)
    other_api.login("otto")
    first = api.post("/api/v1/me/export").get_json()["export"]["id"]
    second = other_api.post("/api/v1/me/export").get_json()["export"]["id"]
    with app.app_context():
        with db.engine.connect() as other_worker:
            other_worker.execute(select(ExportJob.id).where(ExportJob.id == first).with_for_update())
            assert exports._claim() == second
            other_worker.rollback()
        assert exports._claim() == first
        db.session.remove()
