"""data.py's training-side helpers: spans follow the normaliser, held-out rows stay out."""

import argparse
from types import SimpleNamespace

import pytest

from moderation import data, train


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


def test_embedded_toxic_lines_stay_whole_with_their_labels_and_spans():
    import random

    toxic = data._example(
        "You absolute idiot, read it again.", "civil", {"toxicity": 1.0, "insult": 1.0}, spans=[(13, 18)]
    )
    benign = [
        data._example(
            " ".join(f"The {n}th paragraph of an ordinary talk page comment about sources." for n in range(k, k + 20)),
            "wiki_talk",
            data.all_clear(),
        )
        for k in range(5)
    ]
    out = data.embedded_examples([toxic, *benign], random.Random(1), count=1, chars=300)
    assert len(out) == 1
    ex = out[0]
    assert ex.source == "embedded" and toxic.text in ex.text and len(ex.text) <= 300
    assert ex.target == toxic.target and ex.mask == toxic.mask
    assert [ex.text[a:b] for a, b in ex.spans] == ["idiot"]
    assert len(ex.text) > len(toxic.text) + 100  # it is padded, not alone


def test_a_long_embedded_example_is_padded_from_several_benign_comments():
    import random

    toxic = data._example("Shut up, you worthless clown.", "civil", {"toxicity": 1.0, "insult": 1.0}, spans=[(9, 28)])
    benign = [
        data._example(
            f"Comment {k} about the sources of the article, and why they matter.", "wiki_talk", data.all_clear()
        )
        for k in range(40)
    ]  # each about 70 characters: one alone cannot fill a 1,100-character example
    out = data.embedded_examples([toxic, *benign], random.Random(3), count=1, chars=1100)
    ex = out[0]
    assert 900 < len(ex.text) <= 1100
    assert ex.text.count("Comment ") > 5
    assert [ex.text[a:b] for a, b in ex.spans] == ["you worthless clown"]


def test_encode_cuts_each_source_at_its_own_length():
    torch = __import__("pytest").importorskip("torch")  # noqa: F841 (train.py needs it)
    from moderation.scorer import get_scorer
    from moderation.train import encode

    tokenizer = get_scorer().tokenizer
    text = "word " * 400
    examples = [data._example(text, "wiki_talk", data.all_clear()), data._example(text, "embedded", data.all_clear())]
    items = encode(examples, tokenizer, 128, lengths={"embedded": 256})
    assert [len(item[0]) for item in items] == [128, 256]


def test_long_benign_examples_are_long_clean_and_half_carry_a_benign_family_line():
    import random

    benign = [
        data._example(
            f"Comment {k} about the sources of the article, and why they matter.", "wiki_talk", data.all_clear()
        )
        for k in range(40)
    ]
    line = data._example(
        "Police said the attack near the station was not linked to terrorism.", "families", data.all_clear()
    )
    threat = data._example("I know where you live.", "families", {"toxicity": 1.0, "threat": 1.0})
    out = data.long_benign_examples([*benign, line, threat], random.Random(5), count=4, chars=1100)
    assert len(out) == 4
    assert all(900 < len(ex.text) <= 1100 and ex.source == "embedded" for ex in out)
    assert all(ex.target == data._example("x", "embedded", data.all_clear()).target for ex in out)
    assert sum(line.text in ex.text for ex in out) == 2
    assert not any(threat.text in ex.text for ex in out)  # only benign lines go in


def test_source_options_name_a_known_source_and_a_usable_value():
    assert train._source_weight("families=3") == ("families", 3.0)
    assert train._source_length("embedded=256") == ("embedded", 256)
    for bad in ("families=0", "families=-1", "families=x", "nosuch=2", "families"):
        with pytest.raises(argparse.ArgumentTypeError):
            train._source_weight(bad)


def test_the_wiki_weight_is_set_one_way_at_a_time(capsys):
    # Both options set the same weight; refused before any data is read or model loaded.
    with pytest.raises(SystemExit) as refused:
        train.main(["--data", "nowhere", "--out", "nowhere", "--wiki-weight", "2", "--source-weight", "wiki_talk=3"])
    assert refused.value.code == 2
    assert "set the same weight" in capsys.readouterr().err


def test_perspective_moves_only_the_wiki_talk_toxicity_target(tmp_path):
    (tmp_path / "wiki_talk_comments.csv").write_text(
        "id,text,parent,toxic,perspective,rated_with_parent\n"
        "1,You are being rude here.,,0,0.6,0\n"
        "2,Get lost you troll.,,1,0.2,0\n"
        "3,Unscored comment.,,0,,0\n"
    )
    rude = data._example("You are being rude here.", "wiki_talk", data.all_clear())
    troll = data._example("Get lost you troll.", "wiki_talk", {"toxicity": 1.0})
    unscored = data._example("Unscored comment.", "wiki_talk", data.all_clear())
    same_text = data._example("You are being rude here.", "civil", {"toxicity": 1.0, "insult": 1.0})
    out = data.perspective_blend([rude, troll, unscored, same_text], tmp_path, 0.5)
    tox = data.IDX["toxicity"]
    assert out[0].target[tox] == pytest.approx(0.3)  # halfway from 0 to 0.6
    assert out[1].target[tox] == pytest.approx(0.6)  # halfway from 1 to 0.2
    assert out[0].target[:tox] + out[0].target[tox + 1 :] == rude.target[:tox] + rude.target[tox + 1 :]
    assert out[0].mask == rude.mask and out[1].mask == troll.mask
    assert out[2] == unscored and out[3] == same_text  # no score, or not a wiki talk example
    assert rude.target[tox] == 0.0  # the input examples are left as they were
    assert data.perspective_blend([rude], tmp_path / "never-read", 0.0) == [rude]


def test_the_perspective_share_is_between_zero_and_one():
    assert train._share("0.5") == 0.5
    for bad in ("-0.1", "1.5", "half", "nan"):
        with pytest.raises(argparse.ArgumentTypeError):
            train._share(bad)


def test_long_benign_lengths_spread_from_a_minimum_when_asked():
    import random

    benign = [
        data._example(
            f"Comment {k} about the sources of the article, and why they matter.", "wiki_talk", data.all_clear()
        )
        for k in range(40)
    ]
    out = data.long_benign_examples(benign, random.Random(5), count=40, chars=1100, min_chars=400)
    lengths = [len(ex.text) for ex in out]
    assert all(300 < n <= 1100 for n in lengths)
    assert sum(n < 700 for n in lengths) >= 8 and sum(n > 800 for n in lengths) >= 8  # spread, not all long


def test_counts_and_sizes_refuse_what_would_silently_do_nothing():
    assert train._count("0") == 0 and train._size("32") == 32
    for convert, bad in ((train._count, "-100"), (train._count, "many"), (train._size, "0"), (train._size, "1.5")):
        with pytest.raises(argparse.ArgumentTypeError):
            convert(bad)
    with pytest.raises(SystemExit):  # the parser turns the refusal into a usage error before any work
        train.main(["--robust-data", "--embedded", "-100"])
