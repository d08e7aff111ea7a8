"""evaluate.py's wiki AUC, split by whether a comment fits one scoring window."""

import pytest

from moderation.evaluate import by_length, window_counts


def test_by_length_measures_each_part_on_its_own_comments():
    labels = [1, 0, 1, 0, 1, 0]
    scores = [0.9, 0.1, 0.8, 0.2, 0.3, 0.7]  # short ones ranked right, long ones wrong
    counts = [1, 1, 1, 1, 3, 2]
    parts = by_length(labels, scores, counts)
    assert parts["one_window"] == {"n": 4, "toxic": 2, "auc": 1.0}
    assert parts["longer"] == {"n": 2, "toxic": 1, "auc": 0.0}


def test_a_part_with_one_label_has_no_auc():
    parts = by_length([1, 0, 0], [0.9, 0.1, 0.5], [1, 1, 2])
    assert parts["longer"] == {"n": 1, "toxic": 0, "auc": None}
    assert parts["one_window"]["auc"] == pytest.approx(1.0)


def test_window_counts_follow_the_scorer_s_windows(scorer):
    short = "Thanks for the article."
    long = " ".join(f"Paragraph {i} of a long and entirely ordinary comment about the bridge." for i in range(60))
    counts = window_counts(scorer, [short, long, ""])
    assert counts[0] == 1 and counts[2] == 1
    # Each window after the first adds `stride` tokens to what is read.
    tokens = len(scorer.tokenizer(long, add_special_tokens=False)["input_ids"])
    assert counts[1] == 1 + -(-(tokens - (scorer.window - 2)) // scorer.stride)


def test_the_table_shows_both_parts_under_the_whole():
    from moderation.evaluate import _length_lines

    wiki = {"auc": 0.94} | by_length([1, 0, 1, 0], [0.9, 0.1, 0.2, 0.8], [1, 1, 2, 2])
    lines = _length_lines(wiki)
    assert [line.split()[:4] for line in lines] == [
        ["comments", "fitting", "one", "window"],
        ["comments", "longer", "than", "a"],
    ]
    assert lines[0].endswith("1.0000") and lines[1].endswith("0.0000")
    # A report from before the split (or a part with one label) shows no line for it.
    assert _length_lines({"auc": 0.94}) == []
