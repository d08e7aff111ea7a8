"""A new comment is stored pending, scored by the real model and routed by the policy."""

from .conftest import ABUSIVE, BENIGN, SLUG, decisions_for, held_comment, post, status_of


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
