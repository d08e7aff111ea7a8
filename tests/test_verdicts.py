"""The verdict (service/domain/moderation/verdicts.py): scores in, status out, with the
policy's word matches kept as spans and every author's pre-moderation read in one query."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from moderation.policy import Settings
from service.domain.moderation import verdicts
from service.extensions import db
from service.models import Article, Comment, ScoringDecision, User
from service.models.base import utcnow

CALM = dict.fromkeys(("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack"), 0.01)
TOXIC = {**CALM, "toxicity": 0.95}


class FixedScorer:
    """Stands in for the model: the verdict only reads its name and version."""

    name, version = "fixed", "1"


@pytest.fixture
def people(app, make_user, make_article):
    make_article()
    for name in ("ann", "bob", "cat"):
        make_user(name)


@pytest.fixture
def model_spans(monkeypatch):
    """The model's explanation, counted: one span on the first word of the text."""
    calls = []

    def spans(scorer, text):
        calls.append(text)
        return [{"start": 0, "end": text.index(" "), "text": text[: text.index(" ")], "weight": 0.9}]

    monkeypatch.setattr(verdicts, "_model_spans", spans)
    return calls


def user(name):
    return db.session.query(User).filter_by(username=name).one()


def pending(author, body, status="pending", age_minutes=0):
    article = db.session.query(Article).one()
    comment = Comment(
        article=article, author=author, body=body, status=status, created_at=utcnow() - timedelta(minutes=age_minutes)
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def test_a_banned_word_hold_keeps_the_words_the_policy_matched_as_spans(people, ctx, model_spans):
    comment = pending(user("ann"), "Utter drivel, this rubbish is rubbish.")
    verdicts.record_verdicts([(comment, CALM)], FixedScorer(), Settings(banned_words=("rubbish",)))
    decision = db.session.query(ScoringDecision).filter_by(comment_id=comment.id).one()
    assert comment.status == "held" and decision.rule == "banned_word"
    word, model = decision.spans
    assert word == {"start": 19, "end": 26, "text": "rubbish", "weight": 1.0, "rule": "banned_word"}
    assert model["text"] == "Utter" and model_spans == [comment.body]


def test_a_published_comment_is_not_explained(people, ctx, model_spans):
    comment = pending(user("ann"), "A calm and careful remark.")
    verdicts.record_verdicts([(comment, CALM)], FixedScorer(), Settings())
    assert comment.status == "published"
    assert db.session.query(ScoringDecision).filter_by(comment_id=comment.id).one().spans is None
    assert model_spans == []


def test_each_outcome_takes_its_status(people, ctx, model_spans):
    calm, toxic = pending(user("ann"), "Calm words here."), pending(user("bob"), "Toxic words here.")
    verdicts.record_verdicts([(calm, CALM), (toxic, TOXIC)], FixedScorer(), Settings())
    assert (calm.status, toxic.status) == ("published", "held")
    assert calm.scores == CALM and toxic.reason.startswith("toxicity 0.95")


def test_pre_moderation_reads_every_author_of_a_batch_in_one_query(people, ctx, model_spans):
    ann, bob, cat = user("ann"), user("bob"), user("cat")
    # ann: most of her last ten rejected; bob: clean; cat: rejections only beyond the window.
    for age in range(1, 8):
        pending(ann, "Old words.", status="rejected", age_minutes=age)
    for age in range(1, 5):
        pending(bob, "Fine words.", status="published", age_minutes=age)
    for age in range(1, 11):
        pending(cat, "Fine words.", status="published", age_minutes=age)
    for age in range(11, 31):
        pending(cat, "Old words.", status="rejected", age_minutes=age)
    cat.auto_premoderated = True
    batch = [(pending(author, "New words."), CALM) for author in (ann, bob, cat)]
    statements = []
    listen = lambda conn, cursor, sql, *rest: statements.append(sql)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        verdicts.record_verdicts(batch, FixedScorer(), Settings())
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert sum("row_number" in sql.lower() for sql in statements) == 1
    assert (ann.auto_premoderated, bob.auto_premoderated, cat.auto_premoderated) == (True, False, False)
