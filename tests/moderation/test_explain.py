"""explain: the highlighted spans are the words a moderator should look at."""

from contextlib import contextmanager

import pytest

from moderation.explain import explain, explain_many


def test_points_at_the_insult(scorer):
    text = "I read your whole post and honestly you are an idiot."
    spans = explain(text, scorer)
    assert spans
    assert any("idiot" in span["text"] for span in spans)
    assert all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    assert not any("honestly" in span["text"] for span in spans)


def test_ordinary_comment_has_no_spans(scorer):
    assert explain("Thanks for the balanced article about the Beijing talks.", scorer) == []


def test_spans_are_whole_words(scorer):
    text = "Shut up, you pathetic moron."
    for span in explain(text, scorer):
        before = text[span["start"] - 1] if span["start"] else " "
        after = text[span["end"]] if span["end"] < len(text) else " "
        assert not before.isalnum() and not after.isalnum()


def test_explains_a_500_character_comment_in_one_encoder_pass(scorer):
    # Cost is bounded by what can be counted, not by a clock: one pass of the encoder per
    # comment whatever its words (a per-word or per-token loop would show up here). The
    # time per post is a measured figure: `python -m moderation.evaluate` reports it.
    text = (
        "The council met on Tuesday to discuss the bridge, and the mayor said the costs had doubled since spring. "
    ) * 5
    text = text[:480] + " you idiot."
    with encoder_passes(scorer) as passes:
        spans = explain(text, scorer)
    assert len(passes) == 1
    assert any("idiot" in span["text"] for span in spans)


@contextmanager
def encoder_passes(scorer):
    """The rows of each pass of the encoder (its embeddings run once a pass, packed or not)."""
    passes = []
    hook = scorer.model.bert.embeddings.register_forward_hook(
        lambda module, args, kwargs, output: passes.append(len(kwargs.get("input_ids", args[0] if args else []))),
        with_kwargs=True,
    )
    try:
        yield passes
    finally:
        hook.remove()


def test_many_comments_are_explained_in_one_pass_each_with_the_spans_it_gets_alone(scorer):
    texts = [
        "I read your whole post and honestly you are an idiot.",
        "Thanks for the balanced article about the Beijing talks.",
        "Shut up, you pathetic moron.",
        "The council met on Tuesday about the bridge. " * 40 + "You are a complete idiot.",  # windows, re-read
        "",
    ]
    alone = [explain(text, scorer) for text in texts]
    with encoder_passes(scorer) as passes:
        together = explain_many(texts, scorer)
    assert len(passes) == 1 and explain_many([], scorer) == []
    assert [[(s["start"], s["end"]) for s in spans] for spans in together] == [
        [(s["start"], s["end"]) for s in spans] for spans in alone
    ]
    weights = [(a["weight"], b["weight"]) for x, y in zip(together, alone) for a, b in zip(x, y)]
    assert weights and all(a == pytest.approx(b, abs=1e-3) for a, b in weights)
    assert any("idiot" in s["text"] for s in together[3])


def test_the_mark_model_and_relative_threshold_decide_what_is_marked():
    from moderation.explain import spans_from_tokens

    text = "you are a bad idiot"
    tokens = [(0, 3, 0.1), (4, 7, 0.1), (8, 9, 0.1), (10, 13, 0.6), (14, 19, 0.9)]  # "bad", "idiot"
    marked = lambda **kw: [s["text"] for s in spans_from_tokens(text, 0.9, tokens, 0.5, 0.5, **kw)]  # noqa: E731
    assert marked() == ["bad idiot"]
    assert marked(relative=0.8) == ["idiot"]  # 0.6 < 0.8 x 0.9
    # A mark model that leans on the strongest token: at 0.9 it marks, at 0.6 it does not.
    mark = {"bias": 0.0, "toxicity": 0.0, "strongest": 1.0, "length": 0.0, "threshold": 0.8}
    assert marked(mark=mark) == ["bad idiot"]  # sigmoid(logit(0.9)) = 0.9
    weaker = [(s, e, w * 2 / 3) for s, e, w in tokens]
    assert spans_from_tokens(text, 0.9, weaker, 0.5, 0.3, mark=mark) == []
    # ... and one that says long comments are marked less: the same words, padded, are not.
    by_length = {"bias": 4.0, "toxicity": 0.0, "strongest": 0.0, "length": -1.0, "threshold": 0.5}
    padded = "The council met on Tuesday about the bridge budget. " * 4 + text
    shifted = [(s + len(padded) - len(text), e + len(padded) - len(text), w) for s, e, w in tokens]
    assert marked(mark=by_length) == ["bad idiot"]  # 4 - log(20) > 0
    assert spans_from_tokens(padded, 0.9, shifted, 0.5, 0.5, mark=by_length) == []  # 4 - log(228) < 0
    # Past the longest post it was fitted on, a comment counts as that long.
    capped = {**by_length, "longest": 20}
    assert [s["text"] for s in spans_from_tokens(padded, 0.9, shifted, 0.5, 0.5, mark=capped)] == ["bad idiot"]
    assert spans_from_tokens(text, 0.4, tokens, 0.5, 0.5) == []  # the toxicity gate still applies


def test_fit_mark_recovers_a_known_logistic_model():
    import random

    from moderation.explain import _mark_features, fit_mark, mark_probability

    truth = {"bias": 1.0, "toxicity": 0.5, "strongest": 1.5, "length": -0.4}
    rng = random.Random(3)
    rows, marked = [], []
    for _ in range(4000):
        toxicity, strongest, length = rng.uniform(0.05, 0.99), rng.uniform(0.01, 0.99), rng.randint(5, 2000)
        rows.append(_mark_features(toxicity, strongest, length))
        marked.append(rng.random() < mark_probability(truth, toxicity, strongest, length))
    fitted = fit_mark(rows, marked, l2=0.0)
    for name, weight in truth.items():
        assert abs(fitted[name] - weight) < 0.3, (name, fitted)


def test_tuning_picks_settings_that_mark_the_gold_words(scorer):
    from moderation.explain import GRID, tune

    posts = [
        ("You are a pathetic idiot.", [(18, 23)]),
        ("Thanks for the balanced article.", []),
    ]
    f1, settings = tune(scorer, posts)
    assert set(settings) == set(GRID) and f1 > 0.5


def test_a_batch_of_long_comments_is_explained_a_bounded_number_of_rows_at_a_time(scorer, monkeypatch):
    """Memory is bounded by rows a pass (PASS_ROWS), and splitting changes no comment's spans."""
    from moderation import explain as explain_module

    texts = ["Shut up, you pathetic moron."] * 3 + ["The council met on Tuesday about the bridge. " * 40 + "Idiot."]
    alone = [explain(text, scorer) for text in texts]
    monkeypatch.setattr(explain_module, "PASS_ROWS", 2)
    with encoder_passes(scorer) as passes:
        together = explain_many(texts, scorer)
    assert passes[:2] == [2, 1] and len(passes) == 3 and passes[2] > 2  # the long comment alone
    assert [[(s["start"], s["end"]) for s in spans] for spans in together] == [
        [(s["start"], s["end"]) for s in spans] for spans in alone
    ]
