"""Each look-alike, leet character and filler the word matcher knows, written out: removing one
from moderation/normalize.py's tables makes its case here fail."""

import pytest

from moderation.words import find_words

LOOKALIKES = [
    # (listed word, its disguises: one letter at a time, by each character that stands for it)
    # e: Cyrillic е ё Е, Greek ε Ε; small capital ᴇ, 3, €
    ("creep", ["cr\u0435ep", "cr\u0451ep", "CR\u0415EP", "cr\u03b5ep", "CR\u0395EP"]),
    ("creep", ["cr\u1d07ep", "cr3ep", "cr\u20acep"]),
    # t: Cyrillic т Т, Greek τ Τ, small capital ᴛ, 7; +
    ("bigot", ["bigo\u0442", "BIGO\u0422", "bigo\u03c4", "BIGO\u03a4", "bigo\u1d1b", "bigo7"]),
    ("stupid", ["s+upid"]),
    # b: Cyrillic в ь В, Greek β Β, small capital ʙ
    ("bigot", ["\u0432igot", "\u044cigot", "\u0412IGOT", "\u03b2igot", "\u0392IGOT", "\u0299igot"]),
    # g: script ɡ, small capital ɢ, 9
    ("bigot", ["bi\u0261ot", "bi\u0262ot", "bi9ot"]),
    # z: small capital ᴢ
    ("bozo", ["bo\u1d22o"]),
]
CASES = [(disguised, word) for word, disguises in LOOKALIKES for disguised in disguises]


@pytest.mark.parametrize("disguised, word", CASES)
def test_each_lookalike_stands_for_its_letter(disguised, word):
    assert find_words(f"what a {disguised}!", [word]) == [(word, (7, 7 + len(disguised)))]


def test_a_greek_zeta_stands_for_z():
    """Capital Zeta is the look-alike; the matcher casefolds before folding look-alikes."""
    assert find_words("bo\u0396o", ["bozo"]) == [("bozo", (0, 4))]
    assert find_words("ζήτω η Ελλάδα", ["zhtw"]) == []  # real Greek stays Greek


@pytest.mark.parametrize("filler", list(".-_*~`'·•"))
def test_each_filler_between_letters_is_ignored(filler):
    assert find_words(filler.join("bigot"), ["bigot"]) == [("bigot", (0, 9))]


@pytest.mark.parametrize(
    "invisible", ["\ufe0e", "\ufe0f", "\u180e", "\U0001f3fb", "\U0001f3ff", "\u200b", "\u00ad", "\u2060"]
)
def test_each_invisible_character_inside_a_word_is_ignored(invisible):
    assert find_words(f"bi{invisible}got", ["bigot"]) == [("bigot", (0, 6))]


def test_matching_casefolds_rather_than_lowercases():
    # lower() keeps ß and turns ẞ into ß; casefold() makes both "ss", as a reader does.
    assert find_words("STRAẞE", ["strasse"]) == [("strasse", (0, 6))]
    assert find_words("straße", ["STRASSE"]) == [("STRASSE", (0, 6))]
    assert find_words("Strasse", ["straße"]) == [("straße", (0, 7))]
    # A final sigma is a sigma (lower() keeps ς and σ apart).
    assert find_words("σοφοσ", ["σοφος"]) == [("σοφος", (0, 5))]
    # The dotted capital İ and the dotless ı are both an i.
    assert find_words("İDİOT", ["idiot"]) and find_words("ıdıot", ["idiot"])
