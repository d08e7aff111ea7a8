"""An edited comment is scored again, and an edit made during scoring gets its own decision."""

import threading

from service.background.worker import ScoringWorker
from service.domain.threads import comments
from service.extensions import db
from service.models import Comment

from .conftest import ABUSIVE, BENIGN, decisions_for, post, status_of


def test_edit_is_rescored_and_a_held_edit_disappears(setup, api, other_api, worker, app):
    comment = post(api, BENIGN)
    worker.drain()
    assert status_of(app, comment["id"]) == "published"
    edited = api.patch(f"/api/v1/comments/{comment['id']}", {"body": ABUSIVE})
    assert edited.get_json()["comment"]["status"] == "pending"
    worker.drain()
    assert status_of(app, comment["id"]) == "held"
    assert [d.revision for d in decisions_for(app, comment["id"])] == [0, 1]
    other_api.login("bob")
    assert other_api.get(f"/api/v1/comments/{comment['id']}").status_code == 404


def test_an_edit_during_scoring_gets_its_own_decision(setup, api, app, scorer, worker):
    """The author edits while the worker scores the old revision. On SQLite the worker holds
    no lock and must drop its stale decision; on PostgreSQL the edit waits for the worker's
    row lock and lands after it. Either way the new revision ends up pending and then gets
    exactly one decision of its own."""
    comment = post(api, BENIGN)

    def edit():
        with app.app_context():
            row = db.session.get(Comment, comment["id"])
            comments.edit_comment(row, row.author, BENIGN + " (edited)")
            db.session.remove()

    editor = threading.Thread(target=edit)

    class EditingScorer:
        name, version = "editing", "0"

        def score(self, texts):
            editor.start()
            editor.join(timeout=0.5)  # finishes on SQLite; blocks on the row lock on PostgreSQL
            return scorer.score(texts)

    ScoringWorker(app, scorer=EditingScorer(), worker_id="stale").run_once()
    editor.join(timeout=10)
    assert not editor.is_alive()
    with app.app_context():
        row = db.session.get(Comment, comment["id"])
        assert row.status == "pending" and row.revision == 1
    assert [d.revision for d in decisions_for(app, comment["id"])] in ([], [0])
    worker.drain()
    assert status_of(app, comment["id"]) == "published"
    assert [d.revision for d in decisions_for(app, comment["id"])].count(1) == 1
