"""Readers report comments: enough reports hide one for review; the rules for a report."""

from ..conftest import nothing_changes
from .conftest import BENIGN, post, status_of


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
