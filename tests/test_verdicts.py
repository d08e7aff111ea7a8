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
    """The model's explanation, counted: each call's texts; one span on each text's first word."""
    calls = []

    def spans(scorer, texts):
        calls.append(list(texts))
        return [[{"start": 0, "end": t.index(" "), "text": t[: t.index(" ")], "weight": 0.9}] for t in texts]

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
    assert model["text"] == "Utter" and model_spans == [[comment.body]]


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


def test_a_batchs_flagged_comments_are_explained_in_one_call_and_each_keeps_its_own_spans(people, ctx, model_spans):
    first, calm, second = (
        pending(user("ann"), "Toxic first words."),
        pending(user("bob"), "Calm words here."),
        pending(user("cat"), "Nasty second words."),
    )
    verdicts.record_verdicts([(first, TOXIC), (calm, CALM), (second, TOXIC)], FixedScorer(), Settings())
    assert model_spans == [[first.body, second.body]]
    spans = {
        c.id: db.session.query(ScoringDecision).filter_by(comment_id=c.id).one().spans for c in (first, calm, second)
    }
    assert [s["text"] for s in spans[first.id]] == ["Toxic"] and [s["text"] for s in spans[second.id]] == ["Nasty"]
    assert spans[calm.id] is None


def test_a_failed_explanation_leaves_the_verdicts_standing(people, ctx, monkeypatch):
    def broken(texts, scorer):
        raise RuntimeError("the span head fell over")

    monkeypatch.setattr("moderation.explain.explain_many", broken)
    comment = pending(user("ann"), "Toxic words here.")
    verdicts.record_verdicts([(comment, TOXIC)], FixedScorer(), Settings())
    assert comment.status == "held"
    assert db.session.query(ScoringDecision).filter_by(comment_id=comment.id).one().spans is None


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
