"""A web process of the embedded default, for tests/test_scoring_process.py (run as
`python -m tests.embedded_web SQLITE_URL`): it serves requests through the test client, one
of which starts its scoring process; a reader posts a comment; it prints, as JSON, what
became of the comment, which process scored it and which modules the web process loaded."""

import json
import os
import sys
import time

from flask_migrate import upgrade
from sqlalchemy import select

from service import create_app
from service.domain.accounts import accounts
from service.domain.threads import articles
from service.extensions import db
from service.models import Comment, WorkerHeartbeat

PASSWORD = "a-long-enough-password"


def main(url):
    # A poll far longer than the test waits: only the wake-up through the pipe (or the child's
    # first look at the queue, before the comment exists) can decide the comment.
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SCORING_WORKER": "process",
            "SCORING_THREADS": 1,
            "BACKGROUND_NICENESS": 0,
        }
    )
    app.config.update(SCORING_POLL_SECONDS=600.0)
    with app.app_context():
        upgrade()
        accounts.register("ann@example.com", "ann", PASSWORD)
        articles.save_article({"slug": "a", "title": "A", "summary": "S.", "body": "B.", "comments_mode": "open"})
    client = app.test_client()
    client.get("/healthz")  # the first request starts the scoring process
    from service.background import embedded

    child = embedded._process
    with app.app_context():  # wait until the child has loaded its model and looked at the queue once
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not _alive(child.pid):
            time.sleep(0.1)
        time.sleep(1)
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    client.post("/api/v1/auth/login", json={"login": "ann", "password": PASSWORD}, headers={"X-CSRFToken": token})
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    response = client.post(
        "/api/v1/articles/a/comments",
        json={"body": "Thanks for the balanced article about the Beijing talks."},
        headers={"X-CSRFToken": token},
    )
    posted = response.get_json()["comment"]
    assert response.status_code == 201, posted
    with app.app_context():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and db.session.get(Comment, posted["id"]).status == "pending":
            db.session.remove()
            time.sleep(0.1)
        status = db.session.get(Comment, posted["id"]).status
        beats = [b.id for b in db.session.scalars(select(WorkerHeartbeat)) if b.state == "ok"]
    health = client.get("/healthz").get_json()
    report = {
        "status": status,
        "web_pid": os.getpid(),
        "child_pid": child.pid,
        "heartbeats": beats,
        "healthz": health,
        "web_modules": sorted(
            m for m in ("torch", "transformers", "detoxify", "moderation.scorer") if m in sys.modules
        ),
    }
    child.stop()
    print(json.dumps(report))


def _alive(pid):
    """True once the scoring process `pid` has said it loaded its model."""
    beats = db.session.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.state == "ok")).all()
    db.session.remove()
    return pid is not None and any(f":{pid}:" in beat.id for beat in beats)


if __name__ == "__main__":
    main(sys.argv[1])
