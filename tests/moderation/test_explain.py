"""explain: the highlighted spans are the words a moderator should look at."""

from moderation.explain import explain


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
    passes = []
    hook = scorer.model.bert.register_forward_hook(lambda *_: passes.append(1))
    try:
        spans = explain(text, scorer)
    finally:
        hook.remove()
    assert len(passes) == 1
    assert any("idiot" in span["text"] for span in spans)
