"""Every word is read: long comments are scored as overlapping windows in one forward pass."""

import pytest

from moderation.explain import explain
from moderation.windows import (
    CHUNK,
    CHUNK_STRIDE,
    PIECE_HOLD,
    PIECE_MIN,
    REREAD_FROM,
    reread_pieces,
    sentence_spans,
    window_starts,
    with_reread,
)

# Ordinary news-comment sentences, written for this test; repeated into ~5,000 characters.
BENIGN = [
    "The council met on Tuesday to discuss the bridge, and the mayor said the costs had doubled since spring.",
    "Residents asked whether the new bus lanes would slow deliveries on Main Street during the morning rush.",
    "According to the report, the school district expects enrolment to fall by four percent over five years.",
    "I have lived here for thirty years and I have never seen the river this low in September.",
    "The article could have mentioned that the budget vote was delayed twice because of the audit.",
    "My neighbour runs the bakery on Elm Street and says the road works have cut her trade by half.",
    "It would help to see the full figures for the library renovation before the next meeting.",
    "The photographs of the harvest festival were lovely, and the children's choir sounded wonderful.",
]
INSULTS = [
    "You are a complete idiot and everyone here knows it.",
    "Shut up, you pathetic moron.",
    "What a stupid, worthless piece of garbage you are.",
]


def long_benign(length=5000):
    text, i = "", 0
    while len(text) < length:
        text += BENIGN[i % len(BENIGN)] + " "
        i += 1
    return text.strip()


@pytest.mark.parametrize(
    "count, size, stride, expected",
    [
        (0, 254, 192, [0]),
        (254, 254, 192, [0]),
        (255, 254, 192, [0, 1]),
        (600, 254, 192, [0, 192, 346]),
    ],
)
def test_windows_cover_every_token(count, size, stride, expected):
    starts = window_starts(count, size, stride)
    assert starts == expected
    assert starts[-1] + size >= count
    assert all(b - a <= stride for a, b in zip(starts, starts[1:]))  # no token skipped


def test_window_count_grows_linearly():
    assert len(window_starts(192 * 1000, 254, 192)) <= 1000


def with_insult(insult, position):
    filler = long_benign()
    middle = len(filler) // 2
    return {
        "start": f"{insult} {filler}",
        "middle": f"{filler[:middle]} {insult} {filler[middle:]}",
        "end": f"{filler} {insult}",
    }[position]


@pytest.mark.parametrize("position", ["start", "middle", "end"])
def test_an_insult_anywhere_in_a_long_comment_is_flagged(scorer, position):
    texts = [with_insult(insult, position) for insult in INSULTS]
    assert all(len(t) > 5000 for t in texts)
    for row in scorer.score(texts):
        assert row["toxicity"] >= 0.5, (position, row)


@pytest.mark.parametrize("position", ["start", "middle", "end"])
def test_an_insult_in_a_long_comment_scores_like_the_insult_alone(scorer, position):
    alone = scorer.score(INSULTS)
    for row, single in zip(scorer.score([with_insult(insult, position) for insult in INSULTS]), alone):
        assert abs(row["toxicity"] - single["toxicity"]) <= 0.15, (position, row, single)


def test_the_benign_comment_alone_is_not_flagged(scorer):
    assert scorer.score([long_benign()])[0]["toxicity"] < 0.5


def test_all_windows_of_a_batch_go_in_one_forward_pass(scorer):
    texts = [with_insult(INSULTS[0], p) for p in ("start", "middle", "end")] + ["Short and kind."]
    before = scorer.forward_passes
    scorer.score(texts)
    assert scorer.forward_passes == before + 1


def test_long_comments_score_the_same_alone_or_in_a_batch(scorer):
    texts = [with_insult(INSULTS[1], "end"), long_benign(2000), "Thanks!"]
    batched = scorer.score(texts)
    for text, row in zip(texts, batched):
        single = scorer.score([text])[0]
        assert all(abs(row[k] - single[k]) < 1e-3 for k in row)


def test_spans_are_found_in_the_last_window_and_point_into_the_original(scorer):
    text = with_insult("Honestly, you 1d10t.", "end")
    spans = explain(text, scorer)
    assert spans and all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    assert any("1d10t" in s["text"] for s in spans)


@pytest.mark.parametrize("idiot", ["1d10t", "i|d|i|o|t", "(i)(d)(i)(o)(t)", "🅸🅳🅸🅾🆃", "🇮🇩🇮🇴🇹"])
def test_the_model_reads_through_spelling_tricks(scorer, idiot):
    plain, disguised = scorer.score(["You are an idiot.", f"You are an {idiot}."])
    assert abs(plain["toxicity"] - disguised["toxicity"]) <= 0.15


def test_sentences_are_cut_at_their_ends_and_at_line_breaks():
    text = "First one. Second one!  Third?\nA line\n\n  \nLast"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["First one.", "Second one!", "Third?", "A line", "Last"]
    assert sentence_spans(" \n\n ") == []


def test_re_read_pieces_are_whole_sentences_and_a_flood_of_tiny_ones_stays_few(scorer):
    text = long_benign(3000)
    pieces = reread_pieces(scorer.tokenizer, text)
    assert all(p in BENIGN or p.rstrip(".") + "." in BENIGN for p in pieces)  # each news sentence on its own

    def tokens(text):
        return len(scorer.tokenizer(text, add_special_tokens=False)["input_ids"])

    same = "a. " * 2000  # 4,000 tokens of one tiny sentence: read a few times, not 2,000
    assert len(reread_pieces(scorer.tokenizer, same)) <= 3
    words = " ".join(f"{w}." for w in ("alpha", "beta", "gamma", "delta", "omega") * 400)
    assert len(reread_pieces(scorer.tokenizer, words)) <= tokens(words) // PIECE_MIN + 1
    # Short and long sentences in turn: each short one alone, still linear in the tokens.
    mixed = " ".join(f"Shut up {i}. {BENIGN[i % len(BENIGN)]}" for i in range(200))
    pieces = reread_pieces(scorer.tokenizer, mixed)
    assert "Shut up 7." in pieces and len(pieces) <= 2 * (tokens(mixed) // PIECE_MIN) + 1


def test_the_re_read_raises_a_comment_its_windows_flag_or_one_of_its_pieces_would_hold():
    calm = {"toxicity": 0.2, "insult": 0.1, "threat": 0.05}
    borderline = [{"toxicity": PIECE_HOLD["toxicity"] - 0.05, "insult": 0.7, "threat": 0.0}]
    assert with_reread(calm, borderline) == calm  # a sentence that only looks bad out of context
    flagged = {**calm, "threat": REREAD_FROM["threat"]}
    assert with_reread(flagged, borderline) == {**borderline[0], "threat": REREAD_FROM["threat"]}
    assert with_reread(flagged, []) == flagged
    held = [{"toxicity": 0.3, "insult": PIECE_HOLD["insult"], "threat": 0.0}]
    assert with_reread(calm, held) == {"toxicity": 0.3, "insult": PIECE_HOLD["insult"], "threat": 0.05}


def test_a_short_insult_between_long_sentences_counts_as_if_posted_alone(scorer):
    half = long_benign(1800)
    insults = ["Shut up, clown.", "You moron.", "Pathetic loser."]
    alone = scorer.score(insults)
    padded = scorer.score([f"{half} {insult} {half}" for insult in insults])
    for insult, a, p in zip(insults, alone, padded):
        assert abs(p["toxicity"] - a["toxicity"]) <= 0.15, (insult, a["toxicity"], p["toxicity"])


def run_on(sentences):
    """Sentences with their ends taken out: one sentence as long as all of them."""
    return " ".join(s.rstrip(".!?") for s in sentences)


@pytest.mark.parametrize("position", ["middle", "end"])
def test_an_insult_glued_into_a_run_on_sentence_counts_as_if_posted_alone(scorer, position):
    filler = run_on(BENIGN * 5)
    middle = len(filler) // 2
    glue = {
        "middle": lambda insult: f"{filler[:middle]} {insult.rstrip('.')} {filler[middle:]}",
        "end": lambda insult: f"{filler} {insult}",
    }[position]
    alone = scorer.score(INSULTS)
    for insult, a, p in zip(INSULTS, alone, scorer.score([glue(i) for i in INSULTS])):
        assert abs(p["toxicity"] - a["toxicity"]) <= 0.15, (insult, a["toxicity"], p["toxicity"])


def test_an_insult_after_a_page_of_filler_words_counts_as_if_posted_alone(scorer):
    insults = INSULTS + ["The columnist is a total imbecile.", "Go away, you disgusting creep."]
    alone = scorer.score(insults)
    padded = scorer.score([f"{'lol ' * 700}{insult}{' lol' * 300}" for insult in insults])
    for insult, a, p in zip(insults, alone, padded):
        assert abs(p["toxicity"] - a["toxicity"]) <= 0.15, (insult, a["toxicity"], p["toxicity"])


def test_a_run_on_sentence_is_re_read_in_overlapping_chunks_linear_in_its_length(scorer):
    text = run_on(BENIGN * 20)
    words = text.split()
    pieces = reread_pieces(scorer.tokenizer, text)
    assert all(len(p.split()) <= CHUNK for p in pieces)
    assert len(pieces) <= len(words) // CHUNK_STRIDE + 1
    # Every run of CHUNK - CHUNK_STRIDE words lies whole in one chunk: an insult is never cut.
    size = CHUNK - CHUNK_STRIDE
    for start in range(0, len(words) - size + 1, 5):
        run = " ".join(words[start : start + size])
        assert any(run in p for p in pieces), run
    assert len(reread_pieces(scorer.tokenizer, "lol " * 5000)) <= 2  # the same chunk is read once


def test_evaluate_s_run_on_comment_keeps_every_word_and_no_sentence_end():
    from moderation.robust_eval import _run_on

    out = _run_on("The levy is 3.5 percent. Really?\n\nYes!! Ask the mayor…")
    assert out == "The levy is 3.5 percent Really Yes Ask the mayor"
    assert [out[a:b] for a, b in sentence_spans(out)] == [out]


@pytest.mark.parametrize("where", ["between long sentences", "glued into a run-on sentence"])
def test_the_words_the_re_read_flags_are_marked_where_they_were_written(scorer, where):
    """The moderator sees the insult the score stands on: explain reads a long comment as the
    scorer does (windows and re-read pieces, one pass), so its gate sees the same toxicity and
    the insult's words are marked at their place in the comment, wherever it is repeated."""
    from moderation.explain import token_scores

    insult = "Shut up, you pathetic moron"
    if where == "between long sentences":
        text = f"{long_benign(1800)} {insult}. {long_benign(1800)} {insult}."
    else:
        filler = run_on(BENIGN * 5)
        text = f"{filler[:1500]} {insult} {filler[1500:]}"
    toxicity, _ = token_scores(scorer, text)
    # The scorer may multiply in bfloat16 (MODEL_CARD: within 0.0054 of float32); explain reads float32.
    assert toxicity == pytest.approx(scorer.score([text])[0]["toxicity"], abs=0.01)
    spans = explain(text, scorer)
    marked = [s for s in spans if "moron" in s["text"]]
    assert marked and all(text[s["start"] : s["end"]] == s["text"] for s in spans)
    if where == "between long sentences":  # both places the insult was written
        assert len(marked) == 2
    assert not any(benign in s["text"] for s in spans for benign in ("council", "bakery", "library"))
