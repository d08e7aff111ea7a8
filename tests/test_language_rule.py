"""The language rule in the service: stored with the decision, on the card, in history and the API."""

import pytest
from sqlalchemy import select

from service.domain.moderation import settings as site_settings
from service.extensions import db
from service.models import Comment, ModerationAction, ScoringDecision

GERMAN_INSULT = "Du bist ein verdammter Idiot und solltest endlich die Klappe halten."
CHINESE_INSULT = "你是个白痴，闭嘴吧，没人想听你说话。"
GERMAN_COMPLIMENT = "Vielen Dank für diesen ausgezeichneten Artikel, er ist sehr gut recherchiert."


@pytest.fixture
def world(make_article, make_user, api):
    make_article()
    make_user("ann")
    make_user("mod", role="moderator")
    make_user("boss", role="admin")
    api.login("ann")
    return api


def post(api, body):
    response = api.post("/api/v1/articles/test-article/comments", {"body": body})
    assert response.status_code == 201
    return response.get_json()["comment"]["id"]


def decided(app, comment_id):
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        decision = db.session.scalars(select(ScoringDecision).where(ScoringDecision.comment_id == comment_id)).one()
        return comment.status, decision.rule, decision.reason, decision.language


def test_foreign_insults_are_not_published_and_a_compliment_goes_by_the_language_rule(world, worker, app):
    ids = [post(world, text) for text in (GERMAN_INSULT, CHINESE_INSULT, GERMAN_COMPLIMENT)]
    worker.drain()
    german, chinese, compliment = (decided(app, i) for i in ids)
    assert german[0] != "published" and german[3] == "de"
    assert chinese[0] != "published" and chinese[3] == "zh"
    assert compliment == ("review", "language", "written in German; the model reads English", "de")


def test_language_on_the_card_in_history_and_in_the_api(world, worker, app, other_api):
    comment_id = post(world, GERMAN_COMPLIMENT)
    worker.drain()
    other_api.login("mod")
    page = other_api.client.get("/review/review").get_data(as_text=True)
    assert "Language:</span> German" in page
    cards = other_api.get("/api/v1/review/queues/review").get_json()
    decision = next(c["decision"] for c in cards["comments"] if c["id"] == comment_id)
    assert decision["language"] == "de" and decision["rule"] == "language"
    with app.app_context():
        row = db.session.scalars(select(ModerationAction).where(ModerationAction.comment_id == comment_id)).first()
        assert row.details["language"] == "de"
    history = other_api.client.get("/review/history").get_data(as_text=True)
    assert "language: de" in history


def test_admins_choose_the_language_action(world, app, other_api):
    other_api.login("boss")
    response = other_api.patch("/api/v1/admin/settings", {"language_action": "hold"})
    assert response.status_code == 200 and response.get_json()["settings"]["language_action"] == "hold"
    refused = other_api.patch("/api/v1/admin/settings", {"language_action": "delete"})
    assert refused.status_code == 422 and "language_action" in refused.get_json()["errors"]
    with app.app_context():
        assert site_settings.policy_settings().language_action == "hold"
    page = other_api.client.get("/review/settings").get_data(as_text=True)
    assert 'name="language_action" value="hold"' in page and "checked" in page


def test_a_one_word_insult_in_another_alphabet_goes_by_the_language_rule_and_its_script_is_shown(
    world, worker, app, other_api
):
    arabic, thai = post(world, "غبي"), post(world, "คุณโง่มาก")  # "stupid"; "you're so stupid"
    worker.drain()
    assert decided(app, arabic)[1:] == ("language", "written in Arabic; the model reads English", "ar")
    assert decided(app, thai)[1:] == ("language", "written in Thai script; the model reads English", "und-Thai")
    other_api.login("mod")
    page = other_api.client.get("/review/review").get_data(as_text=True)
    assert "Language:</span> Arabic" in page and "Language:</span> Thai script" in page
