"""The comment lifecycle end to end: stored pending, scored by the real model in a worker,
routed by the policy, decided by moderators, reported by readers."""

import threading
import time

import pytest
from sqlalchemy import func, select

from service.background.worker import ScoringWorker
from service.domain.moderation import settings as site_settings
from service.domain.threads import comments
from service.extensions import db
from service.models import Article, Comment, ModerationAction, OutboxMessage, ScoringDecision, User

from .conftest import nothing_changes

SLUG = "test-article"
BENIGN = "Thanks for the balanced article, I learned a lot about the Beijing talks."
ABUSIVE = "You are a worthless idiot and everyone hates you, shut up you pathetic moron."


@pytest.fixture
def setup(make_article, make_user, api, other_api, app):
    make_article()
    make_user("ann")
    make_user("bob")
    make_user("mod", role="moderator")
    make_user("boss", role="admin")
    api.login("ann")
    return app


def post(api, body, parent_id=None):
    payload = {"body": body} if parent_id is None else {"body": body, "parent_id": parent_id}
    response = api.post(f"/api/v1/articles/{SLUG}/comments", payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["comment"]


def status_of(app, comment_id):
    with app.app_context():
        return db.session.get(Comment, comment_id).status


def decisions_for(app, comment_id):
    with app.app_context():
        return db.session.scalars(select(ScoringDecision).where(ScoringDecision.comment_id == comment_id)).all()


def set_premoderated_article(app, value=True):
    with app.app_context():
        db.session.scalar(select(Article).where(Article.slug == SLUG)).premoderated = value
        db.session.commit()


def held_comment(app, api, worker, body="A perfectly calm remark about diplomacy."):
    """A comment the policy holds whatever the model says: the article is pre-moderated."""
    set_premoderated_article(app, True)
    comment = post(api, body)
    worker.drain()
    set_premoderated_article(app, False)
    assert status_of(app, comment["id"]) == "held"
    return comment


def test_benign_is_published_and_abuse_is_held(setup, api, worker, app):
    benign = post(api, BENIGN)
    abusive = post(api, ABUSIVE)
    assert benign["status"] == abusive["status"] == "pending"
    assert worker.drain() == 2
    assert status_of(app, benign["id"]) == "published"
    assert status_of(app, abusive["id"]) == "held"
    decision = decisions_for(app, abusive["id"])[0]
    assert decision.rule == "hold_band" and "≥ hold" in decision.reason
    assert decision.model_name == worker.scorer.name and decision.model_version == worker.scorer.version
    assert decision.spans, "a held comment carries the spans that drove its score"
    mine = api.get(f"/api/v1/comments/{abusive['id']}").get_json()["comment"]
    assert mine["status"] == "held" and mine["scores"]["toxicity"] > 0.8 and mine["reason"]


def test_others_see_only_published_and_review(setup, api, other_api, worker, app):
    held = held_comment(app, api, worker)
    visible = post(api, BENIGN)
    worker.drain()
    other_api.login("bob")
    seen = [c["id"] for c in other_api.get(f"/api/v1/articles/{SLUG}/comments").get_json()["comments"]]
    assert seen == [visible["id"]]
    assert other_api.get(f"/api/v1/comments/{held['id']}").status_code == 404
    page = api.client.get(f"/articles/{SLUG}").get_data(as_text=True)
    assert "being reviewed by a moderator" in page


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


class FailingScorer:
    """A model that raises on every call: the fault to survive."""

    name, version = "failing", "0"

    def score(self, texts):
        raise RuntimeError("model exploded")


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


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing inside catches it."""


class CrashingScorer:
    name, version = "crashing", "0"

    def score(self, texts):
        raise Crash()


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


def test_moderator_approves_a_held_comment_and_the_author_is_told(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    other_api.login("mod")
    queue = other_api.get("/api/v1/review/queues/pending").get_json()
    assert [c["id"] for c in queue["comments"]] == [comment["id"]]
    assert queue["counts"]["pending"] == 1
    answer = other_api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "approve"})
    assert answer.status_code == 200 and answer.get_json()["comment"]["status"] == "published"
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "ann@example.com"))
        assert mail.subject == "Your comment is published"
        actions = [
            a.action
            for a in db.session.scalars(select(ModerationAction).where(ModerationAction.comment_id == comment["id"]))
        ]
    assert actions == ["hold", "approve"]


def test_rejection_carries_its_reason_to_the_author(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    other_api.login("mod")
    answer = other_api.post(
        f"/api/v1/review/comments/{comment['id']}/decision", {"action": "reject", "reason": "personal attack"}
    )
    assert answer.get_json()["comment"]["status"] == "rejected"
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Your comment was not published"))
        assert "Reason: personal attack" in mail.body


def test_second_moderator_gets_409_with_the_current_state(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    other_api.login("mod")
    url = f"/api/v1/review/comments/{comment['id']}/decision"
    assert other_api.post(url, {"action": "approve"}).status_code == 200
    second = other_api.post(url, {"action": "reject"})
    assert second.status_code == 409
    assert second.get_json()["comment"]["status"] == "published"
    assert other_api.post(url, {"action": "approve"}).status_code == 409
    stale = other_api.post(url, {"action": "reject", "expected_status": "held"})
    assert stale.status_code == 409 and "now published" in stale.get_json()["error"]
    assert other_api.post(url, {"action": "obliterate"}).status_code == 400
    # Taking down a published comment is deliberate: the moderator says what they saw.
    takedown = other_api.post(url, {"action": "reject", "expected_status": "published"})
    assert takedown.status_code == 200 and takedown.get_json()["comment"]["status"] == "rejected"
    assert status_of(app, comment["id"]) == "rejected"
    with app.app_context():
        last = db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.comment_id == comment["id"])
            .order_by(ModerationAction.id.desc())
        ).first()
        assert (last.action, last.from_status, last.to_status) == ("reject", "published", "rejected")
        assert last.actor.username == "mod"
    # Readers no longer see it (its author still does, with its status).
    thread = app.test_client().get(f"/api/v1/articles/{SLUG}/comments").get_json()["comments"]
    assert comment["id"] not in [c["id"] for c in thread]


def test_simultaneous_decisions_never_overwrite(setup, api, worker, app):
    comment = held_comment(app, api, worker)
    clients = []
    for _ in range(2):
        from tests.conftest import Api

        moderator = Api(app.test_client())
        moderator.login("mod")
        clients.append(moderator)
    barrier = threading.Barrier(2)
    codes = []

    def decide(moderator, action):
        token = moderator.token()
        barrier.wait()
        response = moderator.client.post(
            f"/api/v1/review/comments/{comment['id']}/decision", json={"action": action}, headers={"X-CSRFToken": token}
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=decide, args=(c, a)) for c, a in zip(clients, ("approve", "reject"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [200, 409]
    with app.app_context():
        human = db.session.scalars(
            select(ModerationAction).where(
                ModerationAction.comment_id == comment["id"], ModerationAction.actor_id.is_not(None)
            )
        ).all()
    assert len(human) == 1


def test_decisions_on_deleted_comments_are_409(setup, api, other_api, worker, app):
    comment = held_comment(app, api, worker)
    api.delete(f"/api/v1/comments/{comment['id']}")
    other_api.login("mod")
    with nothing_changes(app):
        response = other_api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "approve"})
    assert response.status_code == 409 and response.get_json()["comment"]["status"] == "deleted"


def test_readers_cannot_use_the_review_api(setup, api, app):
    comment = post(api, BENIGN)
    assert api.get("/api/v1/review/queues/pending").status_code == 403
    with nothing_changes(app):  # still pending, and no moderation action recorded
        assert api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "approve"}).status_code == 403


def test_unknown_queue_is_404(setup, other_api):
    other_api.login("mod")
    assert other_api.get("/api/v1/review/queues/elsewhere").status_code == 404


def test_reports_hide_at_the_threshold(setup, api, worker, app, make_user):
    comment = post(api, BENIGN)
    worker.drain()
    threshold = app.config["REPORT_HIDE_THRESHOLD"]
    from tests.conftest import Api

    for i in range(threshold):
        make_user(f"reporter{i}")
        reporter = Api(app.test_client())
        reporter.login(f"reporter{i}")
        assert reporter.post(f"/api/v1/comments/{comment['id']}/reports", {"reason": "spam"}).status_code == 201
        expected = "held" if i == threshold - 1 else "published"
        assert status_of(app, comment["id"]) == expected
        if i == 0:
            again = reporter.post(f"/api/v1/comments/{comment['id']}/reports", {"reason": "spam"})
            assert again.status_code == 409
    moderator = Api(app.test_client())
    moderator.login("mod")
    reported = moderator.get("/api/v1/review/queues/reported").get_json()["comments"]
    assert [c["id"] for c in reported] == [comment["id"]] and len(reported[0]["reports"]) == threshold
    assert moderator.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "approve"}).status_code == 200
    assert moderator.get("/api/v1/review/queues/reported").get_json()["comments"] == []


def test_report_rules(setup, api, other_api, worker, app):
    comment = post(api, BENIGN)
    worker.drain()
    url = f"/api/v1/comments/{comment['id']}/reports"
    other_api.login("bob")
    anonymous = app.test_client()
    with nothing_changes(app):  # no report stored
        assert api.post(url, {"reason": "spam"}).status_code == 403  # one's own comment
        assert other_api.post(url, {"reason": ""}).status_code == 422
        assert other_api.post(url, {"reason": "x" * 501}).status_code == 422
        assert anonymous.post(url, json={"reason": "spam"}).status_code == 401
    assert other_api.post(url, {"reason": "x" * 500}).status_code == 201


def test_sanctions_refuse_posting_with_a_clear_message(setup, api, other_api, app):
    other_api.login("mod")
    with app.app_context():
        ann = db.session.scalar(select(User).where(User.username == "ann")).id
    url = f"/api/v1/review/users/{ann}/sanctions"
    with nothing_changes(app):
        assert other_api.post(url, {"action": "suspend", "days": 0}).status_code == 422
    assert other_api.post(url, {"action": "suspend", "days": 3, "reason": "cooling off"}).status_code == 201
    with nothing_changes(app):
        refused = api.post(f"/api/v1/articles/{SLUG}/comments", {"body": BENIGN})
    assert (
        refused.status_code == 403
        and "suspended" in refused.get_json()["error"]
        and "until" in refused.get_json()["error"]
    )
    assert other_api.post(url, {"action": "reinstate"}).status_code == 201
    assert api.post(f"/api/v1/articles/{SLUG}/comments", {"body": BENIGN}).status_code == 201
    assert other_api.post(url, {"action": "ban"}).status_code == 201
    assert api.post(f"/api/v1/articles/{SLUG}/comments", {"body": BENIGN}).status_code in (401, 403)
    with nothing_changes(app):
        assert other_api.post(url, {"action": "behead"}).status_code == 400
    with app.app_context():
        mod = db.session.scalar(select(User).where(User.username == "mod")).id
    assert other_api.post(f"/api/v1/review/users/{mod}/sanctions", {"action": "warn"}).status_code == 403


def test_premoderated_author_is_held_whatever_the_scores(setup, api, other_api, worker, app):
    other_api.login("mod")
    with app.app_context():
        ann = db.session.scalar(select(User).where(User.username == "ann")).id
    other_api.post(f"/api/v1/review/users/{ann}/sanctions", {"action": "premoderate"})
    comment = post(api, BENIGN)
    worker.drain()
    assert status_of(app, comment["id"]) == "held"
    assert decisions_for(app, comment["id"])[0].reason == "author on pre-moderation"
    other_api.post(f"/api/v1/review/users/{ann}/sanctions", {"action": "release"})
    again = post(api, BENIGN)
    worker.drain()
    assert status_of(app, again["id"]) == "published"


def test_rejection_rate_puts_an_author_on_premoderation_and_lifts_it(setup, api, other_api, worker, app):
    other_api.login("boss")
    other_api.patch("/api/v1/admin/settings", {"rate_window": 4, "rate_min_decided": 4, "premoderation_rate": 0.5})
    held = [held_comment(app, api, worker, f"Calm remark number {i}.") for i in range(3)]
    for comment in held:
        other_api.post(f"/api/v1/review/comments/{comment['id']}/decision", {"action": "reject"})
    fourth = post(api, BENIGN)
    worker.drain()
    # 3 rejected of 4 decided: 0.75 > 0.5.
    assert status_of(app, fourth["id"]) == "published"
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "ann")).auto_premoderated
    fifth = post(api, BENIGN + " Again.")
    worker.drain()
    assert status_of(app, fifth["id"]) == "held"
    assert decisions_for(app, fifth["id"])[0].reason == "author on pre-moderation"
    # Approving it: 2 rejected of the last 4 decided is 0.5, not above the rate, so it lifts.
    other_api.post(f"/api/v1/review/comments/{fifth['id']}/decision", {"action": "approve"})
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "ann"))
        assert not user.auto_premoderated
        flips = db.session.scalars(
            select(ModerationAction.action).where(
                ModerationAction.user_id == user.id, ModerationAction.action.like("auto_%")
            )
        ).all()
    assert flips == ["auto_premoderate", "auto_release"]


def test_settings_are_validated_recorded_and_apply_to_new_comments(setup, api, other_api, worker, app):
    other_api.login("boss")
    for bad in (
        {"review": {"toxicity": 1.5}},
        {"hold": {"toxicity": -0.1}},
        {"review": {"toxicity": 0.95}},
        {"colour": "blue"},
        {"report_hide_threshold": 0},
        {"auto_reject": "yes please"},
    ):
        response = other_api.patch("/api/v1/admin/settings", bad)
        assert response.status_code == 422, bad
    assert other_api.patch("/api/v1/admin/settings", {"banned_words": ["beijing"]}).status_code == 200
    comment = post(api, BENIGN)
    worker.drain()
    assert status_of(app, comment["id"]) == "held"
    assert decisions_for(app, comment["id"])[0].reason == "banned word 'beijing'"
    with app.app_context():
        change = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "settings"))
        assert change.details["after"] == {"banned_words": ["beijing"]} and change.details["before"] == {
            "banned_words": []
        }
        assert site_settings.current()["banned_words"] == ["beijing"]
    api.login("ann")
    assert api.patch("/api/v1/admin/settings", {"banned_words": []}).status_code == 403


def test_reply_notifies_the_parent_author(setup, api, other_api, worker, app):
    parent = post(api, BENIGN)
    worker.drain()
    other_api.login("bob")
    other_api.post(
        f"/api/v1/articles/{SLUG}/comments", {"body": "I agree, a useful summary.", "parent_id": parent["id"]}
    )
    worker.drain()
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "ann@example.com"))
    assert mail is not None and mail.subject == "bob replied to your comment"
