"""data.py's training-side helpers: spans follow the normaliser, held-out rows stay out."""

from types import SimpleNamespace

from moderation import data


def test_spans_follow_a_shortened_text():
    # "stuuupid you" -> "stuupid you": original offsets of each output character.
    starts = (0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11)
    norm = SimpleNamespace(text="stuupid you", starts=starts, ends=tuple(s + 1 for s in starts))
    assert data._spans_after(norm, [(0, 8)]) == [(0, 7)]
    assert data._spans_after(norm, [(9, 12)]) == [(8, 11)]


def test_held_out_wiki_talk_rows_are_benign_and_stable():
    benign = {"id": "1", "toxic": "0"}
    toxic = {"id": "1", "toxic": "1"}
    assert data.wiki_talk_split(toxic) == "train"
    assert {data.wiki_talk_split({"id": str(i), "toxic": "0"}) for i in range(200)} == {"train", "eval"}
    assert data.wiki_talk_split(benign) == data.wiki_talk_split(dict(benign))


def test_toxigen_split_is_by_text():
    parts = [data.toxigen_split(f"statement {i}") for i in range(500)]
    assert 0.1 < parts.count("eval") / len(parts) < 0.3
    assert data.toxigen_split("statement 7") == parts[7]
