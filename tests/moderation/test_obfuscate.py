"""obfuscate.py: every disguise changes the word, and marked spans follow it."""

import random

import pytest

from moderation import obfuscate

TEXT = "You are a stupid idiot and a pig, really."
SPANS = [(10, 22), (29, 32)]  # "stupid idiot", "pig"


@pytest.mark.parametrize("name", sorted(obfuscate.TRANSFORMS))
def test_each_disguise_changes_the_word(name):
    rng = random.Random(1)
    assert obfuscate.disguise("idiot", rng, name) != "idiot"


@pytest.mark.parametrize("name", sorted(obfuscate.TRANSFORMS))
def test_spans_follow_the_disguised_words(name):
    rng = random.Random(2)
    text, moved = obfuscate.disguise_words(TEXT, ["stupid", "idiot", "pig"], rng, name)
    spans = obfuscate.move_spans(SPANS, moved)
    assert text.endswith(", really.") and text.startswith("You are a ")
    first, second = (text[a:b] for a, b in spans)
    assert " " in first and first.split(" ")[0] != "stupid"  # both words, disguised
    assert second not in ("pig", "") and text[spans[1][1] :] == ", really."


def test_words_are_matched_whole_and_in_any_case():
    rng = random.Random(3)
    text, moved = obfuscate.disguise_words("Pigeons and a PIG", ["pig"], rng, "spaced")
    assert text.startswith("Pigeons and a ") and len(moved) == 1
