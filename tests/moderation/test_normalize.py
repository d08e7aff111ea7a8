"""moderation.normalize: each spelling trick folds to the plain word; offsets map back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.normalize import for_matching, for_model

TRICKS = [
    ("ｉｄｉｏｔ", "idiot"),  # fullwidth
    ("іdіоt", "idiot"),  # Cyrillic і and о
    ("ΙDΙΟΤ", "idiot"),  # Greek capitals
    ("i\u200bd\u200ci\u200do\u2060t", "idiot"),  # zero-width characters
    ("id\u00adiot", "idiot"),  # soft hyphen
    ("1d10t", "idiot"),  # leet digits
    ("@$$hole", "asshole"),  # leet symbols
    ("sh!t", "shit"),
    ("i d i o t", "idiot"),  # spaced
    ("i.d.i.o.t", "idiot"),  # dotted
    ("i-d-i-o-t", "idiot"),
    ("i_d_i_o_t", "idiot"),
    ("i*d*i*o*t", "idiot"),
    ("I.D.I.O.T.", "idiot"),
    ("🤡", "clown"),
    ("🐀", "rat"),
    ("🔪", "knife"),
    ("🖕🏽", "fuck you"),  # skin tone dropped
]


@pytest.mark.parametrize("written, word", TRICKS)
def test_each_trick_folds_to_the_plain_word(written, word):
    assert for_matching(written).text == word
    assert for_model(written).text.strip(" .").casefold() == word  # the sentence's full stop stays


@pytest.mark.parametrize(
    "text",
    [
        "In 1990, 50% of voters",
        "the 3rd time at 10am",
        "mp3 and covid19",
        "costs $5.99",
        "wow!! really?!",
        "mail me at jo@example.com",
        "Привет, как дела?",
        "Καλημέρα σας",
        "don't",
        "A.I. and U.N.",
        "e.g. this",
    ],
)
def test_ordinary_text_reaches_the_model_as_written(text):
    # Numbers, real words in other scripts and punctuation are not leet.
    assert for_model(text).text == text


def test_stretched_letters_keep_a_double_for_the_model():
    assert for_model("stuuuupid and coooool").text == "stuupid and cool"
    # Matching keeps every letter: the matcher compares runs.
    assert for_matching("stuuuupid").text == "stuuuupid"


def test_a_digit_that_may_be_two_letters_keeps_both():
    folded = for_matching("k1ll")
    assert folded.text == "kill" and folded.alts == {1: "l"}


def test_masks_and_soft_boundaries():
    assert for_matching("f*ck").masks == frozenset({1})
    folded = for_matching("kick-ass")
    assert folded.text == "kickass" and 4 in folded.soft


def test_spans_map_back_to_the_original():
    text = "Well, you ｉ.ｄ.ｉ.ｏ.ｔ 🤡!"
    folded = for_model(text)
    start = folded.text.index("idiot")
    assert folded.original_span(start, start + 5) == (10, 19)
    clown = folded.text.index("clown")
    assert text[slice(*folded.original_span(clown, clown + 5))] == "🤡"


@given(st.text(max_size=80))
def test_every_output_character_points_into_the_original(text):
    for normalised in (for_model(text), for_matching(text)):
        assert len(normalised.starts) == len(normalised.ends) == len(normalised.text)
        assert all(0 <= s < e <= len(text) for s, e in zip(normalised.starts, normalised.ends))
        assert list(normalised.starts) == sorted(normalised.starts)
